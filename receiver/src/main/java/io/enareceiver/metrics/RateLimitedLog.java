package io.enareceiver.metrics;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Logs a recurring problem at most once per period per key, and says how many repeats were
 * suppressed. A broken interface read every second must not write a line every second.
 */
public final class RateLimitedLog {
  private final Logger logger;
  private final long periodNanos;
  private final Map<String, long[]> lastByKey = new HashMap<>();

  public RateLimitedLog(Logger logger, java.time.Duration period) {
    this.logger = logger;
    this.periodNanos = period.toNanos();
  }

  /**
   * @return true when the line was written
   */
  public synchronized boolean log(String key, Level level, long monoNanos, Supplier<String> message) {
    long[] state = lastByKey.get(key);
    if (state != null && monoNanos - state[0] < periodNanos) {
      state[1]++;
      return false;
    }
    long suppressed = state == null ? 0 : state[1];
    if (state == null) {
      state = new long[2];
      lastByKey.put(key, state);
    }
    state[0] = monoNanos;
    state[1] = 0;
    String text = message.get();
    logger.log(level, suppressed == 0 ? text : text + " (" + suppressed + " similar messages suppressed)");
    return true;
  }

  /** Forgets every key that starts with {@code prefix}, e.g. all about an interface that is gone. */
  public synchronized void forgetPrefix(String prefix) {
    lastByKey.keySet().removeIf(k -> k.startsWith(prefix));
  }
}
