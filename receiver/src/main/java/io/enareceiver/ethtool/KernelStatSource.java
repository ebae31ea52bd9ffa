package io.enareceiver.ethtool;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Statistics of one real interface, read from the kernel through a (possibly shared)
 * {@link EthtoolReader}.
 *
 * <p>Each {@link #read} asks the cheap {@code ETHTOOL_GSSET_INFO} count first; the names
 * ({@code ETHTOOL_GSTRINGS}) are re-read only when that count changed or the snapshot does not
 * hold this source's current names (the same array instance), and then {@code ETHTOOL_GSTATS} fills the values. When the
 * kernel's answer disagrees with the count (the set changed between the calls), count and names
 * are read again and the read is retried once; a second disagreement is a
 * {@link EthtoolException.Reason#BAD_ANSWER}. In steady state a read allocates nothing.
 *
 * <p>Timestamps have millisecond resolution ({@link System#currentTimeMillis()}): enough for
 * one-second sampling and for Prometheus, and unlike {@code Instant.now()} it allocates nothing.
 *
 * <p>Not thread-safe, like the reader it uses; closing it does not close the shared reader.
 */
public final class KernelStatSource implements StatSource {

  private final NetInterface iface;
  private final EthtoolReader reader;
  private final LongSupplier epochNanos;

  private String[] names;
  private int count;
  private boolean closed;

  public KernelStatSource(NetInterface iface, EthtoolReader reader) {
    this(iface, reader, () -> System.currentTimeMillis() * 1_000_000L);
  }

  /** With an explicit clock (epoch nanoseconds), for tests. */
  public KernelStatSource(NetInterface iface, EthtoolReader reader, LongSupplier epochNanos) {
    this.iface = Objects.requireNonNull(iface, "iface");
    this.reader = Objects.requireNonNull(reader, "reader");
    this.epochNanos = Objects.requireNonNull(epochNanos, "epochNanos");
    EthtoolReader.checkInterfaceName(iface.name());
  }

  @Override
  public NetInterface iface() {
    return iface;
  }

  @Override
  public void read(StatSnapshot into) throws EthtoolException {
    if (closed) {
      throw new IllegalStateException(iface.name() + ": statistics source is closed");
    }
    String name = iface.name();
    int now = countOrFail(name);
    if (now != count || names == null) {
      loadNames(name, now);
    }
    install(into);
    if (reader.readValues(name, count, into.values()) != count) {
      // The set changed between GSSET_INFO and GSTATS (queues reconfigured): start over once.
      loadNames(name, countOrFail(name));
      install(into);
      int answered = reader.readValues(name, count, into.values());
      if (answered != count) {
        throw new EthtoolException(EthtoolException.Reason.BAD_ANSWER, 0, name,
            name + ": ETHTOOL_GSTATS answered " + answered + " statistics where " + count
                + " were expected, twice in a row");
      }
    }
    into.stamp(epochNanos.getAsLong());
  }

  /** The names currently known (driver order), or an empty array before the first read. */
  public String[] currentNames() {
    return names == null ? new String[0] : names.clone();
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "KernelStatSource[" + iface.name() + "]";
  }

  private int countOrFail(String name) throws EthtoolException {
    int n = reader.statsCount(name);
    if (n == 0) {
      // The kernel answers GSSET_INFO successfully but clears the ETH_SS_STATS bit: no errno.
      throw new EthtoolException(EthtoolException.Reason.NOT_SUPPORTED, 0, name,
          name + ": ETHTOOL_GSSET_INFO: the driver has no statistics (not supported)");
    }
    return n;
  }

  /** Reads names for {@code expected} statistics, re-reading the count once if they disagree. */
  private void loadNames(String name, int expected) throws EthtoolException {
    String[] read = reader.readNames(name, expected);
    if (read.length != expected) {
      expected = countOrFail(name);
      read = reader.readNames(name, expected);
      if (read.length != expected) {
        throw new EthtoolException(EthtoolException.Reason.BAD_ANSWER, 0, name,
            name + ": ETHTOOL_GSTRINGS answered " + read.length + " names where " + expected
                + " were expected, twice in a row");
      }
    }
    names = read;
    count = expected;
  }

  /**
   * Hands the names to {@code into} unless it already holds exactly these. Every re-read makes
   * a new array, so holding the same array instance means holding the current names; a
   * snapshot that was never given them (or was given others since) gets them and a new
   * generation, one that already has them keeps its generation.
   */
  private void install(StatSnapshot into) {
    if (into.names() != names || into.count() != count) {
      into.replaceNames(names, count);
    }
  }
}
