package io.enareceiver.resource;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects the java.util.logging records of one logger (System.Logger maps onto it) during a test. */
final class LogCapture extends Handler implements AutoCloseable {
  private final Logger logger;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Level previousLevel;

  /** Captures every level, debug included, so tests can count attempts that only log at debug. */
  LogCapture(Class<?> source) {
    this.logger = Logger.getLogger(source.getName());
    this.previousLevel = logger.getLevel();
    logger.setLevel(Level.ALL);
    logger.addHandler(this);
  }

  /** Keeps the records from the console too (property tests that log on purpose). */
  LogCapture quiet() {
    logger.setUseParentHandlers(false);
    return this;
  }

  List<LogRecord> at(Level level) {
    return records.stream().filter(r -> r.getLevel().equals(level)).toList();
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setLevel(previousLevel);
    logger.setUseParentHandlers(true);
  }
}
