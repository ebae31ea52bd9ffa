package io.enareceiver.reliability;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records every java.util.logging record under {@code io.enareceiver} (System.Logger maps onto
 * it) so a test can count how often each kind of line was written.
 */
final class LogRecorder extends Handler implements AutoCloseable {
  private final Logger root = Logger.getLogger("io.enareceiver");
  private final Level previous;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  /**
   * Also keeps the records off the console: thousands of lines written to a surefire fork's
   * stdout are buffered in the test JVM's heap and would pass for a leak of the receiver.
   */
  LogRecorder() {
    previous = root.getLevel();
    root.setLevel(Level.INFO);
    root.addHandler(this);
    root.setUseParentHandlers(false);
  }

  List<LogRecord> records() {
    return List.copyOf(records);
  }

  void clear() {
    records.clear();
  }

  /**
   * The kind of a record: logger, level and message pattern with interface names (anything
   * starting with {@code namePrefix}) and numbers masked, so "r1abc7a: gone" and "r1abc9a: gone"
   * are one kind.
   */
  static String kind(LogRecord r, String namePrefix) {
    String text = r.getMessage() == null ? "" : r.getMessage();
    if (r.getParameters() != null) {
      text = java.text.MessageFormat.format(text.replace("'", "''"), r.getParameters());
    }
    text = text.replaceAll(java.util.regex.Pattern.quote(namePrefix) + "\\w*", "<if>").replaceAll("\\d+", "N")
        .replace(" (N similar messages suppressed)", "");
    return r.getLoggerName() + " " + r.getLevel() + " " + text;
  }

  /** Records per kind, for messages. */
  Map<String, Integer> countByKind(String namePrefix) {
    Map<String, Integer> counts = new TreeMap<>();
    for (LogRecord r : records) {
      counts.merge(kind(r, namePrefix), 1, Integer::sum);
    }
    return counts;
  }

  /** Records per kind and formatted text (same line about the same interface). */
  Map<String, Integer> countByText() {
    Map<String, Integer> counts = new TreeMap<>();
    for (LogRecord r : records) {
      String text = r.getMessage();
      if (r.getParameters() != null) {
        text = java.text.MessageFormat.format(text.replace("'", "''"), r.getParameters());
      }
      counts.merge(r.getLoggerName() + " " + r.getLevel() + " " + text.replaceAll("\\(\\d+ similar", "(N similar"), 1, Integer::sum);
    }
    return counts;
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    root.removeHandler(this);
    root.setLevel(previous);
    root.setUseParentHandlers(true);
  }
}
