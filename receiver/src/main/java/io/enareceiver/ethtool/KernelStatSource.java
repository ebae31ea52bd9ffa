package io.enareceiver.ethtool;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Statistics of one real interface, read from the kernel through a (possibly shared)
 * {@link EthtoolReader}.
 *
 * <p><b>Protocol.</b> In steady state a {@link #read} is exactly one system call:
 * {@code ETHTOOL_GSTATS} with the count the names were read for. The kernel's answer says
 * whether that count still holds: it answers the same count and the values, or (the set
 * changed, e.g. {@code ethtool -L} changed ENA's queues) 0 on newer kernels, the driver's
 * current count on older ones. Only then, and on the first read, are the count
 * ({@code ETHTOOL_GSSET_INFO}) and the names ({@code ETHTOOL_GSTRINGS}) read, and
 * {@code ETHTOOL_GSTATS} asked once more; a second disagreement is a
 * {@link EthtoolException.Reason#BAD_ANSWER}. Asking the count before every read is not needed
 * to stay safe: an older kernel that writes more values than the buffer holds runs into the
 * reader's guard page ({@link GuardedNativeBuffer}) and reports its count instead of
 * overwriting memory. A snapshot that does not hold this source's current names (the same
 * array instance) is given them without asking the kernel. In steady state a read allocates
 * nothing.
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
    if (names == null) {
      loadNames(name);
    }
    install(into);
    if (reader.readValues(name, count, into.values()) != count) {
      // The set changed since the names were read (queues reconfigured): start over once.
      loadNames(name);
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

  /** Reads the count, then the names, re-reading both once if they disagree. */
  private void loadNames(String name) throws EthtoolException {
    int expected = countOrFail(name);
    EthtoolReader.Names read = reader.readNames(name, expected);
    if (!read.matches(expected)) {
      expected = countOrFail(name);
      read = reader.readNames(name, expected);
      if (!read.matches(expected)) {
        throw new EthtoolException(EthtoolException.Reason.BAD_ANSWER, 0, name,
            name + ": ETHTOOL_GSTRINGS answered " + Integer.toUnsignedString(read.answered())
                + " names where " + expected + " were expected, twice in a row");
      }
    }
    names = read.names();
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
