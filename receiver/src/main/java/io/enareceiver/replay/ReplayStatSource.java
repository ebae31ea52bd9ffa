package io.enareceiver.replay;

import io.enareceiver.ena.Capture;
import io.enareceiver.ena.CaptureException;
import io.enareceiver.ethtool.EthtoolException;
import io.enareceiver.ethtool.NetInterface;
import io.enareceiver.ethtool.StatSnapshot;
import io.enareceiver.ethtool.StatSource;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A simulated interface that plays recorded {@code ethtool -S} captures, one per
 * {@link #read}: the sampler reads once per sampling interval, so capture i is what the
 * "device" shows at second i. This is how ENA hardware is faked in tests and demos.
 *
 * <p>After the last capture, {@code loop=true} starts over at the first (counters go back down,
 * which consumers see as a device reset) and {@code loop=false} keeps showing the last one
 * (counters stand still).
 *
 * <p>Captures are parsed before construction and kept as arrays, so a bad capture fails at
 * start-up naming its file, and {@link #read} allocates nothing: it copies values into the
 * snapshot and hands over a names array only when the name list changes. Captures with equal
 * name lists share one names array, so "changed" is an identity check.
 *
 * <p>Not thread-safe: one sampler thread reads a source.
 */
public final class ReplayStatSource implements StatSource {
  private final NetInterface iface;
  private final String[][] names;
  private final long[][] values;
  private final boolean loop;
  private final LongSupplier epochNanos;
  private int next;
  private boolean closed;

  /**
   * @param iface      the simulated interface (see {@link #replayInterface})
   * @param captures   parsed captures in play order, at least one
   * @param loop       start over after the last capture, or hold the last
   * @param epochNanos wall clock for {@link StatSnapshot#stamp}
   */
  public ReplayStatSource(NetInterface iface, List<Capture> captures, boolean loop, LongSupplier epochNanos) {
    this.iface = Objects.requireNonNull(iface, "iface");
    this.epochNanos = Objects.requireNonNull(epochNanos, "epochNanos");
    if (captures.isEmpty()) {
      throw new IllegalArgumentException("replay " + iface.name() + ": no captures");
    }
    this.loop = loop;
    this.names = new String[captures.size()][];
    this.values = new long[captures.size()][];
    Map<List<String>, String[]> shared = new HashMap<>();
    for (int i = 0; i < captures.size(); i++) {
      Capture c = captures.get(i);
      names[i] = shared.computeIfAbsent(c.names(), n -> n.toArray(String[]::new));
      values[i] = c.values();
    }
  }

  /** Plays with the system clock (millisecond resolution, read without allocating). */
  public ReplayStatSource(NetInterface iface, List<Capture> captures, boolean loop) {
    this(iface, captures, loop, ReplayStatSource::systemEpochNanos);
  }

  /**
   * A replay entry of the configuration: {@code captures} is {@code builtin:NAME} or the text
   * the user wrote, {@code files} the files it resolved to.
   *
   * @throws CaptureException when a capture cannot be used; the message names it
   */
  public static ReplayStatSource open(String name, String mac, String driver, String captures,
      List<Path> files, boolean loop) throws CaptureException {
    return new ReplayStatSource(replayInterface(name, mac, driver),
        ReplayScenarios.load(captures, files), loop);
  }

  /** A built-in scenario with the interface its index describes. */
  public static ReplayStatSource ofScenario(Scenario scenario, boolean loop) {
    return new ReplayStatSource(scenario.iface(), scenario.captures(), loop);
  }

  /** The interface a replay presents: no kernel index (0), always {@code up}. */
  public static NetInterface replayInterface(String name, String mac, String driver) {
    return new NetInterface(name, 0, mac, driver, "up");
  }

  @Override
  public NetInterface iface() {
    return iface;
  }

  /** Number of captures played in one round. */
  public int captureCount() {
    return values.length;
  }

  /** Index of the capture the next {@link #read} shows. */
  public int nextIndex() {
    return next;
  }

  @Override
  public void read(StatSnapshot into) throws EthtoolException {
    if (closed) {
      throw new EthtoolException(EthtoolException.Reason.OTHER, 0, iface.name(),
          "replay " + iface.name() + " is closed");
    }
    String[] n = names[next];
    long[] v = values[next];
    if (into.names() != n) {
      into.replaceNames(n, n.length);
    }
    System.arraycopy(v, 0, into.values(), 0, v.length);
    into.stamp(epochNanos.getAsLong());
    if (next < values.length - 1) {
      next++;
    } else if (loop) {
      next = 0;
    }
  }

  @Override
  public void close() {
    closed = true;
  }

  private static long systemEpochNanos() {
    return System.currentTimeMillis() * 1_000_000L;
  }
}
