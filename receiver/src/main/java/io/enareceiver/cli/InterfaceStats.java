package io.enareceiver.cli;

import java.util.Arrays;
import java.util.List;

/**
 * What the {@code stats} command shows for one interface: an immutable copy of one reading, or
 * the reason there is none.
 *
 * @param driverVersion empty when unknown (replayed captures)
 * @param error         why the statistics could not be read, empty when they were
 */
record InterfaceStats(String name, String driver, String driverVersion, List<String> names, long[] values, String error) {
  InterfaceStats {
    names = List.copyOf(names);
    values = values.clone();
    if (names.size() != values.length) {
      throw new IllegalArgumentException(names.size() + " names but " + values.length + " values");
    }
  }

  static InterfaceStats failed(String name, String driver, String error) {
    return new InterfaceStats(name, driver, "", List.of(), new long[0], error);
  }

  boolean ok() {
    return error.isEmpty();
  }

  /** The value of a statistic, or null when the driver does not have it. */
  Long value(String stat) {
    int i = names.indexOf(stat);
    return i < 0 ? null : values[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InterfaceStats s && s.name.equals(name) && s.driver.equals(driver)
        && s.driverVersion.equals(driverVersion) && s.names.equals(names) && Arrays.equals(s.values, values)
        && s.error.equals(error);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "InterfaceStats[" + name + ", " + driver + ", " + names.size() + " stats" + (ok() ? "" : ", " + error) + "]";
  }
}
