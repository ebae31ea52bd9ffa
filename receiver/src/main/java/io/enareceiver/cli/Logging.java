package io.enareceiver.cli;

import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One-line log records on standard error ({@code 2026-12-04T10:00:00.123Z WARN  logger: text}),
 * readable in {@code kubectl logs}. java.util.logging needs no dependency and is what the
 * OpenTelemetry SDK logs to as well.
 */
public final class Logging {
  private Logging() {}

  /** Sets the root level from {@code service.telemetry.logs.level} (debug, info, warn, error). */
  public static void configure(String level) {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler handler = new ConsoleHandler();
    handler.setFormatter(new OneLine());
    Level jul = toJul(level);
    handler.setLevel(jul);
    root.addHandler(handler);
    root.setLevel(jul);
  }

  static Level toJul(String level) {
    return switch (level == null ? "info" : level.toLowerCase(Locale.ROOT)) {
      case "debug" -> Level.FINE;
      case "warn", "warning" -> Level.WARNING;
      case "error" -> Level.SEVERE;
      default -> Level.INFO;
    };
  }

  private static final class OneLine extends Formatter {
    @Override
    public String format(LogRecord r) {
      String level = r.getLevel() == Level.SEVERE ? "ERROR"
          : r.getLevel() == Level.WARNING ? "WARN " : r.getLevel().intValue() < Level.INFO.intValue() ? "DEBUG" : "INFO ";
      String logger = r.getLoggerName() == null ? "" : r.getLoggerName().substring(r.getLoggerName().lastIndexOf('.') + 1);
      StringBuilder b = new StringBuilder(128)
          .append(r.getInstant()).append(' ').append(level).append(' ').append(logger).append(": ").append(formatMessage(r));
      if (r.getThrown() != null) {
        b.append(" (").append(r.getThrown()).append(')');
      }
      return b.append(System.lineSeparator()).toString();
    }
  }
}
