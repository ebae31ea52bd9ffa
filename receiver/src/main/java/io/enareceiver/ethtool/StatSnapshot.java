package io.enareceiver.ethtool;

/**
 * One reading of an interface's driver statistics, reused from sample to sample so that a
 * steady-state sample allocates nothing.
 *
 * <p>{@link #names()} is in driver order and is the same array instance for as long as the
 * driver reports the same set of statistics; {@link #namesGeneration()} changes whenever the
 * names are re-read (for example after {@code ethtool -L} changed the number of queues), which
 * is the signal for consumers to re-map their per-stat state. Values are unsigned 64-bit
 * integers stored in {@code long}: compare them with {@link Long#compareUnsigned} and print
 * them with {@link Long#toUnsignedString}.
 */
public final class StatSnapshot {
  private String[] names = new String[0];
  private long[] values = new long[0];
  private int count;
  private long namesGeneration;
  private long epochNanos;

  /** Statistic names in driver order; only the first {@link #count()} entries are valid. */
  public String[] names() {
    return names;
  }

  /** Raw unsigned 64-bit values, index-aligned with {@link #names()}. */
  public long[] values() {
    return values;
  }

  public int count() {
    return count;
  }

  public long namesGeneration() {
    return namesGeneration;
  }

  /** Wall-clock time of the read, nanoseconds since the epoch. */
  public long epochNanos() {
    return epochNanos;
  }

  /**
   * Installs a new set of names (copying nothing: the caller hands over the array) and makes
   * room for their values. Bumps {@link #namesGeneration()}.
   */
  public void replaceNames(String[] newNames, int newCount) {
    if (newCount > newNames.length) {
      throw new IllegalArgumentException("count " + newCount + " exceeds names " + newNames.length);
    }
    names = newNames;
    count = newCount;
    if (values.length < newCount) {
      values = new long[newCount];
    }
    namesGeneration++;
  }

  /** Records when the values currently held were read. */
  public void stamp(long epochNanos) {
    this.epochNanos = epochNanos;
  }

  /** Index of a statistic by name, or -1. Linear: meant for tests and the CLI, not the sampling loop. */
  public int indexOf(String name) {
    for (int i = 0; i < count; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }
}
