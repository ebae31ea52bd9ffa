package io.enareceiver.cli;

import io.enareceiver.config.ConfigLoader;
import io.enareceiver.config.Durations;
import io.enareceiver.ena.StatCatalog;
import io.enareceiver.ena.UnsignedLongs;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * {@code ena-receiver stats}: the operator's view of the allowance counters, read the same way
 * the receiver reads them, to cross-check against {@code ethtool -S}.
 */
final class StatsCommand implements Subcommand {
  enum Format { table, json }

  /** What {@code --watch} without a value means. */
  private static final String DEFAULT_WATCH = "1s";

  @Override
  public String name() {
    return "stats";
  }

  @Override
  public String description() {
    return "Show the ENA allowance counters of this machine's interfaces, or of saved captures.\n"
        + "By default the interfaces the receiver would monitor (driver ena); --interface reads any interface.";
  }

  @Override
  public Options options() {
    return new Options()
        .addOption(Option.builder().longOpt("interface").hasArg().argName("NAME")
            .desc("Read this interface, whatever the filters say (repeatable).").get())
        .addOption(Option.builder().longOpt("all")
            .desc("Show every statistic, not only the allowance counters.").get())
        .addOption(Option.builder().longOpt("watch").hasArg().optionalArg(true).argName("INTERVAL")
            .desc("Refresh every INTERVAL (default 1s, at least 1s) with per-second rates of the allowance counters.").get())
        .addOption(Option.builder().longOpt("format").hasArg().argName("FORMAT")
            .desc("table or json (default table).").get())
        .addOption(Option.builder().longOpt("config").hasArg().argName("FILE")
            .desc("Take interface filters and replayed interfaces from this configuration.").get())
        .addOption(Option.builder().longOpt("from").hasArgs().argName("FILE")
            .desc("Read saved `ethtool -S` captures instead of the kernel.").get());
  }

  @Override
  public int run(CommandLine line, PrintWriter out, PrintWriter err) throws Exception {
    List<String> interfaces = Cli.values(line, "interface");
    View view = new View(format(Cli.value(line, "format", Format.table.name())), line.hasOption("all"));
    String config = Cli.value(line, "config", null);
    List<Path> from = Cli.values(line, "from").stream().map(Path::of).toList();
    Duration interval = watchInterval(line.hasOption("watch") ? Cli.value(line, "watch", DEFAULT_WATCH) : null);
    if (!from.isEmpty() && (!interfaces.isEmpty() || config != null || interval != null)) {
      throw new ParseException("--from reads saved captures; it cannot be combined with --interface, --config or --watch");
    }
    try (StatsCollector collector = from.isEmpty()
        ? StatsCollector.fromKernel(config == null ? ConfigLoader.defaults() : ConfigLoader.load(Path.of(config)), interfaces)
        : StatsCollector.fromCaptures(from)) {
      if (interval == null) {
        List<InterfaceStats> stats = collector.read();
        out.print(view.render(stats, null, collector.notes(stats)));
        out.flush();
        return stats.stream().allMatch(InterfaceStats::ok) ? Main.OK : Main.RUNTIME_FAILURE;
      }
      watch(collector, interval, view, out);
      return Main.OK;
    } catch (StatsCollector.UnknownInterfaceException e) {
      err.println(e.getMessage());
      return Main.RUNTIME_FAILURE;
    }
  }

  private static Format format(String value) throws ParseException {
    for (Format f : Format.values()) {
      if (f.name().equals(value)) {
        return f;
      }
    }
    throw new ParseException("Invalid value for option '--format': expected one of "
        + Arrays.toString(Format.values()) + ", found '" + value + "'");
  }

  /** The {@code --watch} interval, or null when not watching. */
  private static Duration watchInterval(String watch) throws ParseException {
    if (watch == null) {
      return null;
    }
    Duration d;
    try {
      d = Durations.parse(watch);
    } catch (IllegalArgumentException e) {
      throw new ParseException("--watch " + watch + ": " + e.getMessage());
    }
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      // On ENA every read is a device admin command under the RTNL lock.
      throw new ParseException("--watch " + watch + ": at least 1s (each read is a command to the ENA device)");
    }
    return d;
  }

  /** How the readings are shown: {@code --format} and {@code --all}. */
  private record View(Format format, boolean all) {
    String render(List<InterfaceStats> stats, Map<String, Map<String, Double>> rates, List<String> notes) {
      if (format == Format.json) {
        return JsonStatsWriter.write(stats) + "\n";
      }
      String table = all ? TableStatsWriter.all(stats) : "";
      return table + TableStatsWriter.summary(stats, rates, notes);
    }
  }

  private static void watch(StatsCollector collector, Duration interval, View view, PrintWriter out) throws InterruptedException {
    Format format = view.format();
    boolean terminal = System.console() != null && format == Format.table;
    List<InterfaceStats> previous = null;
    long previousNanos = 0;
    while (!Thread.currentThread().isInterrupted()) {
      long now = System.nanoTime();
      List<InterfaceStats> stats = collector.read();
      Map<String, Map<String, Double>> rates = previous == null ? null : rates(previous, stats, (now - previousNanos) / 1e9);
      if (terminal) {
        out.print("\033[H\033[2J");
      }
      out.print(view.render(stats, rates, collector.notes(stats)));
      if (format == Format.table) {
        out.println();
      }
      out.flush();
      previous = stats;
      previousNanos = now;
      Thread.sleep(interval);
    }
  }

  static Map<String, Map<String, Double>> rates(List<InterfaceStats> before, List<InterfaceStats> after, double seconds) {
    Map<String, Map<String, Double>> out = new HashMap<>();
    for (InterfaceStats now : after) {
      InterfaceStats then = before.stream().filter(b -> b.name().equals(now.name())).findFirst().orElse(null);
      if (then == null || !then.ok() || !now.ok() || seconds <= 0) {
        continue;
      }
      Map<String, Double> perStat = new HashMap<>();
      for (String stat : StatCatalog.ALLOWANCE_STATS) {
        Long a = then.value(stat);
        Long b = now.value(stat);
        if (a != null && b != null) {
          // A counter that went down was reset: what it shows now happened since. The counters
          // are unsigned 64-bit: a delta of 2^63 or more is not negative.
          long delta = Long.compareUnsigned(b, a) >= 0 ? b - a : b;
          perStat.put(stat, UnsignedLongs.toDouble(delta) / seconds);
        }
      }
      out.put(now.name(), perStat);
    }
    return out;
  }
}
