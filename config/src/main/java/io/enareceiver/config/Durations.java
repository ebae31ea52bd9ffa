package io.enareceiver.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;

/**
 * Go-style durations as the OpenTelemetry Collector writes them: {@code 500ms}, {@code 15s},
 * {@code 1m30s}, {@code 1.5s}, {@code 250us} (or {@code µs}), {@code 10ns}, {@code 1h}.
 *
 * <p>Unlike Go, a bare number (even {@code 0}) is refused: a config that says
 * {@code collection_interval: 15} is far more likely to mean seconds than nanoseconds, so we ask.
 * Negative durations are refused because no setting here can use one.
 */
public final class Durations {
  private Durations() {}

  private static final String EXPECTED = "expected a duration such as 15s, 500ms or 1m30s";
  /** Longer text than any sensible duration; keeps number parsing cheap on hostile input. */
  private static final int MAX_LENGTH = 64;

  private static final Map<String, BigDecimal> NANOS_PER_UNIT =
      Map.of(
          "ns", BigDecimal.ONE,
          "us", BigDecimal.valueOf(1_000L),
          "µs", BigDecimal.valueOf(1_000L), // U+00B5 micro sign
          "μs", BigDecimal.valueOf(1_000L), // U+03BC Greek mu
          "ms", BigDecimal.valueOf(1_000_000L),
          "s", BigDecimal.valueOf(1_000_000_000L),
          "m", BigDecimal.valueOf(60_000_000_000L),
          "h", BigDecimal.valueOf(3_600_000_000_000L));

  /**
   * Parses a Go-style duration.
   *
   * @throws IllegalArgumentException with a message saying what was expected
   */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException(EXPECTED + ", found an empty value");
    }
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(EXPECTED + ", found a " + text.length() + "-character value");
    }
    String s = text;
    if (s.startsWith("-")) {
      throw new IllegalArgumentException("must not be negative, found '" + text + "'");
    }
    if (s.startsWith("+")) {
      s = s.substring(1);
    }
    if (!s.isEmpty() && s.chars().allMatch(c -> isNumberChar((char) c))) {
      throw new IllegalArgumentException(
          EXPECTED + " (a number needs a unit: ns, us, ms, s, m or h), found '" + text + "'");
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException(EXPECTED + ", found '" + text + "'");
    }
    BigDecimal nanos = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int numberStart = i;
      while (i < s.length() && isNumberChar(s.charAt(i))) {
        i++;
      }
      String number = s.substring(numberStart, i);
      int unitStart = i;
      while (i < s.length() && !isNumberChar(s.charAt(i))) {
        i++;
      }
      String unit = s.substring(unitStart, i);
      BigDecimal perUnit = NANOS_PER_UNIT.get(unit);
      if (!isDecimal(number) || perUnit == null) {
        throw new IllegalArgumentException(
            EXPECTED + " (units: ns, us, ms, s, m, h), found '" + text + "'");
      }
      nanos = nanos.add(new BigDecimal(number).multiply(perUnit));
    }
    // Like Go, fractions of a nanosecond are dropped.
    BigDecimal whole = nanos.setScale(0, RoundingMode.DOWN);
    if (whole.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException("duration '" + text + "' is too long (at most about 292 years)");
    }
    return Duration.ofNanos(whole.longValueExact());
  }

  private static boolean isNumberChar(char c) {
    return (c >= '0' && c <= '9') || c == '.';
  }

  private static boolean isDecimal(String number) {
    // "1", "1.5", ".5" and "1." are all accepted by Go; "." and "1.2.3" are not.
    int dot = number.indexOf('.');
    if (dot != number.lastIndexOf('.')) {
      return false;
    }
    return number.length() > (dot >= 0 ? 1 : 0);
  }

  /** Renders compactly and so that {@link #parse} gives the same duration back: 15s, 1m30s, 500ms. */
  public static String format(Duration duration) {
    if (duration.isNegative()) {
      return "-" + format(duration.negated());
    }
    if (duration.isZero()) {
      return "0s";
    }
    long seconds = duration.getSeconds();
    int nanos = duration.getNano();
    if (seconds == 0) {
      if (nanos >= 1_000_000) {
        return decimal(nanos, 6) + "ms";
      }
      if (nanos >= 1_000) {
        return decimal(nanos, 3) + "us";
      }
      return nanos + "ns";
    }
    StringBuilder text = new StringBuilder();
    long hours = seconds / 3600;
    long minutes = (seconds % 3600) / 60;
    long secs = seconds % 60;
    if (hours > 0) {
      text.append(hours).append('h');
    }
    if (minutes > 0) {
      text.append(minutes).append('m');
    }
    if (secs > 0 || nanos > 0) {
      text.append(decimal(secs * 1_000_000_000L + nanos, 9)).append('s');
    }
    return text.toString();
  }

  private static String decimal(long unscaled, int scale) {
    return BigDecimal.valueOf(unscaled, scale).stripTrailingZeros().toPlainString();
  }
}
