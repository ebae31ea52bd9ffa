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

  /**
   * Must run before anything touches java.util.logging: installs {@link ShutdownSafeLogManager},
   * so the lines written while the receiver shuts down (the final export) still reach stderr.
   */
  public static void install() {
    if (System.getProperty("java.util.logging.manager") == null) {
      System.setProperty("java.util.logging.manager", ShutdownSafeLogManager.class.getName());
    }
  }

  /**
   * The JDK resets logging (closing every handler) in a shutdown hook of its own, which runs
   * alongside the receiver's hook and silences the final-export log lines. This manager ignores
   * that reset; handlers are flushed on every record anyway.
   */
  public static final class ShutdownSafeLogManager extends java.util.logging.LogManager {
    @Override
    public void reset() {
      // Deliberately nothing: see the class comment. configure() replaces handlers itself.
    }
  }

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
