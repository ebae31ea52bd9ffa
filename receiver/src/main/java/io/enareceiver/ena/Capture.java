package io.enareceiver.ena;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One parsed {@code ethtool -S} output.
 *
 * <p>Names are kept exactly as the driver printed them and in driver order, repeats included:
 * {@code ethtool -S} shows every entry and so does a capture (bnx2x, for instance, prints
 * {@code [0]: rx_bytes} per queue and {@code rx_bytes} for the port). Whoever needs unique keys
 * (the metrics layer, {@link StatCatalog}) keys by position and name.
 *
 * @param interfaceName from a {@code # interface: NAME} comment, else {@code eth0}
 * @param driver        first word of a {@code # driver: NAME} comment, else empty
 * @param names         statistic names in file order
 * @param values        raw unsigned 64-bit values, index-aligned with {@code names}; values
 *                      above 2^63-1 are stored as their two's-complement bit pattern
 * @param skipped       lines that were not statistics, with line numbers and reasons
 * @param source        the file or resource name used in messages
 */
public record Capture(String interfaceName, String driver, List<String> names, long[] values,
    List<ParseProblem> skipped, String source) {

  public Capture {
    Objects.requireNonNull(interfaceName, "interfaceName");
    Objects.requireNonNull(driver, "driver");
    names = List.copyOf(names);
    values = values.clone();
    skipped = List.copyOf(skipped);
    Objects.requireNonNull(source, "source");
    if (names.size() != values.length) {
      throw new IllegalArgumentException(
          source + ": " + names.size() + " names but " + values.length + " values");
    }
  }

  /** A copy of the values; use {@link #value(int)} to read one without copying. */
  @Override
  public long[] values() {
    return values.clone();
  }

  public int size() {
    return values.length;
  }

  public long value(int index) {
    return values[index];
  }

  /** Value of the first statistic with this name, or throws when there is none (tests, CLI). */
  public long value(String name) {
    int i = names.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException(source + ": no statistic named '" + name + "'");
    }
    return values[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Capture c
        && interfaceName.equals(c.interfaceName)
        && driver.equals(c.driver)
        && names.equals(c.names)
        && Arrays.equals(values, c.values)
        && skipped.equals(c.skipped)
        && source.equals(c.source);
  }

  @Override
  public int hashCode() {
    return Objects.hash(interfaceName, driver, names, Arrays.hashCode(values), skipped, source);
  }

  @Override
  public String toString() {
    return "Capture[" + source + ", interface=" + interfaceName + ", driver=" + driver + ", "
        + values.length + " stats, " + skipped.size() + " skipped lines]";
  }
}
