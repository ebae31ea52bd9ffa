package io.enareceiver.cli;

import java.util.List;

/**
 * Writes {@code stats --format json}: a shape stable for scripts,
 * {@code {"interfaces":[{"name":"eth0","driver":"ena","stats":{"<stat>":<unsigned integer>,...}}]}},
 * stats in driver order, numbers as exact unsigned decimals (never floating point, never
 * negative). Interfaces that could not be read carry {@code "error"} instead of stats.
 */
final class JsonStatsWriter {
  private JsonStatsWriter() {}

  static String write(List<InterfaceStats> interfaces) {
    StringBuilder out = new StringBuilder(256);
    out.append("{\"interfaces\":[");
    for (int i = 0; i < interfaces.size(); i++) {
      InterfaceStats s = interfaces.get(i);
      if (i > 0) {
        out.append(',');
      }
      out.append("{\"name\":");
      string(out, s.name());
      out.append(",\"driver\":");
      string(out, s.driver());
      if (!s.driverVersion().isEmpty()) {
        out.append(",\"driver_version\":");
        string(out, s.driverVersion());
      }
      if (!s.ok()) {
        out.append(",\"error\":");
        string(out, s.error());
      } else {
        out.append(",\"stats\":{");
        for (int j = 0; j < s.names().size(); j++) {
          if (j > 0) {
            out.append(',');
          }
          string(out, s.names().get(j));
          out.append(':').append(Long.toUnsignedString(s.values()[j]));
        }
        out.append('}');
      }
      out.append('}');
    }
    out.append("]}");
    return out.toString();
  }

  /** A JSON string literal with the escapes RFC 8259 requires. */
  static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
