package io.enareceiver.cli;

import io.enareceiver.ena.StatCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code stats} as aligned text for a human: by default one row per interface with the
 * five allowance counters and {@code conntrack_allowance_available}; with {@code --all} every
 * statistic; in {@code --watch} mode also per-second rates of the allowance counters.
 */
final class TableStatsWriter {
  /** Column titles: the allowance columns follow the order of {@link StatCatalog#ALLOWANCE_STATS}. */
  private static final List<String> HEADERS = List.of(
      "INTERFACE", "DRIVER", "BW_IN", "BW_OUT", "PPS", "CONNTRACK", "LINKLOCAL", "CONNTRACK_AVAIL");

  private TableStatsWriter() {}

  /**
   * @param rates per interface, per allowance stat, packets per second since the previous
   *     reading; null when not watching
   * @param notes lines printed under the table (e.g. why an ENA driver has no allowance stats)
   */
  static String summary(List<InterfaceStats> interfaces, Map<String, Map<String, Double>> rates, List<String> notes) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADERS);
    for (InterfaceStats s : interfaces) {
      List<String> row = new ArrayList<>();
      row.add(s.name());
      row.add(s.driver().isEmpty() ? "-" : s.driver());
      Map<String, Double> r = rates == null ? null : rates.get(s.name());
      for (String stat : StatCatalog.ALLOWANCE_STATS) {
        row.add(cell(s, stat, r));
      }
      row.add(cell(s, StatCatalog.CONNTRACK_AVAILABLE_STAT, null));
      rows.add(row);
    }
    StringBuilder out = new StringBuilder();
    align(rows, out);
    for (InterfaceStats s : interfaces) {
      if (!s.ok()) {
        // Read errors already name the interface.
        out.append(s.error()).append('\n');
      }
    }
    notes.forEach(n -> out.append(n).append('\n'));
    return out.toString();
  }

  private static String cell(InterfaceStats s, String stat, Map<String, Double> rates) {
    Long v = s.ok() ? s.value(stat) : null;
    if (v == null) {
      return "-";
    }
    String text = Long.toUnsignedString(v);
    if (rates != null && rates.containsKey(stat)) {
      text += String.format(" (%.0f/s)", rates.get(stat));
    }
    return text;
  }

  /** Every statistic of every interface, {@code ethtool -S} style. */
  static String all(List<InterfaceStats> interfaces) {
    StringBuilder out = new StringBuilder();
    for (InterfaceStats s : interfaces) {
      out.append(s.name()).append(" (driver ").append(s.driver().isEmpty() ? "-" : s.driver());
      if (!s.driverVersion().isEmpty()) {
        out.append(' ').append(s.driverVersion());
      }
      out.append("):\n");
      if (!s.ok()) {
        out.append("     ").append(s.error()).append('\n');
        continue;
      }
      for (int i = 0; i < s.names().size(); i++) {
        out.append("     ").append(s.names().get(i)).append(": ").append(Long.toUnsignedString(s.values()[i])).append('\n');
      }
    }
    return out.toString();
  }

  private static void align(List<List<String>> rows, StringBuilder out) {
    int cols = rows.get(0).size();
    int[] width = new int[cols];
    for (List<String> row : rows) {
      for (int c = 0; c < cols; c++) {
        width[c] = Math.max(width[c], row.get(c).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < cols; c++) {
        String cell = row.get(c);
        if (c < 2) {
          line.append(cell).append(" ".repeat(width[c] - cell.length()));
        } else {
          line.append(" ".repeat(width[c] - cell.length())).append(cell);
        }
        if (c < cols - 1) {
          line.append("  ");
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
  }
}
