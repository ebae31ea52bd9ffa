package io.enareceiver.metrics;

import io.enareceiver.ethtool.EthtoolException;
import io.enareceiver.ethtool.NetInterface;
import io.enareceiver.ethtool.InterfaceTracker;
import io.enareceiver.ethtool.StatSource;
import io.opentelemetry.sdk.common.Clock;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One sampling pass over every monitored interface: bring the interface set up to date, read
 * each interface's statistics, fold them into its series state. The pass itself is driven by
 * {@link SamplingLoop}; tests call {@link #sampleOnce()} directly.
 *
 * <p>Reads happen outside the registry lock (on ENA a read is a device admin command), the fold
 * under it. A steady-state pass allocates nothing per statistic.
 */
public final class Sampler {
  private static final Logger LOG = System.getLogger(Sampler.class.getName());

  private final InterfaceTracker tracker;
  private final StatMapper mapper;
  private final double samplingSeconds;
  private final Clock clock;
  private final long bootEpochNanos;
  private final SelfTelemetry self;
  private final SeriesRegistry registry = new SeriesRegistry();
  private final RateLimitedLog errorLog = new RateLimitedLog(LOG, Duration.ofMinutes(1));
  private final List<SeriesRegistry.Entry> passEntries = new ArrayList<>();
  private final InterfaceTracker.Listener listener = new TrackerListener();
  private boolean firstPass = true;
  /** Selected interfaces the tracker could not read in this pass's refresh (sampling thread only). */
  private int unreadableThisPass;

  /**
   * @param bootEpochNanos start time for series that exist when the receiver starts (the
   *     driver has been counting since the system booted)
   */
  public Sampler(InterfaceTracker tracker, StatMapper mapper, Duration samplingInterval, Clock clock,
      long bootEpochNanos, SelfTelemetry self) {
    this.tracker = tracker;
    this.mapper = mapper;
    this.samplingSeconds = samplingInterval.toNanos() / 1e9;
    this.clock = clock;
    this.bootEpochNanos = bootEpochNanos;
    this.self = self;
  }

  SeriesRegistry registry() {
    return registry;
  }

  /**
   * How old an interface's last good reading may be before its series stop being exported:
   * ten sampling intervals of failed reads.
   */
  Duration staleAfter() {
    return Duration.ofNanos(Math.round(samplingSeconds * 10 * 1e9));
  }

  public SelfTelemetry self() {
    return self;
  }

  /** The interfaces monitored right now. */
  public List<NetInterface> interfaces() {
    return registry.interfaces();
  }

  /** Number of series fed directly by driver statistics, over all interfaces. */
  public int seriesCount() {
    int[] total = new int[1];
    registry.forEachLocked(e -> total[0] += e.series.slotCount());
    return total[0];
  }

  /** One pass: refresh the interface set, then read and fold every interface. */
  public void sampleOnce() {
    long startMono = clock.nanoTime();
    unreadableThisPass = 0;
    try {
      tracker.refresh(listener);
    } catch (RuntimeException e) {
      // Discovery failing must not stop the interfaces already known from being sampled.
      errorLog.log("tracker", Level.ERROR, startMono, () -> "interface discovery failed: " + e);
    }
    firstPass = false;
    registry.snapshotEntries(passEntries);
    int ok = 0;
    int failed = unreadableThisPass;
    for (int i = 0, n = passEntries.size(); i < n; i++) {
      SeriesRegistry.Entry entry = passEntries.get(i);
      try {
        entry.source.read(entry.snapshot);
      } catch (EthtoolException e) {
        if (!handleReadFailure(entry, e)) {
          failed++;
        }
        continue;
      } catch (RuntimeException e) {
        // A bug or a source we cannot trust: report it like a read error and keep the others going.
        failed++;
        self.readError(entry.iface().name(), "internal", clock.now());
        errorLog.log(entry.iface().name() + ":internal", Level.ERROR, clock.nanoTime(),
            () -> entry.iface().name() + ": reading statistics failed unexpectedly: " + e);
        continue;
      }
      ok++;
      long mono = clock.nanoTime();
      registry.lock().lock();
      try {
        entry.series.update(entry.snapshot, mono);
      } finally {
        registry.lock().unlock();
      }
    }
    passEntries.clear();
    long end = clock.nanoTime();
    self.samplePass(end - startMono, clock.now(), end, ok, failed);
  }

  /**
   * @return true when the failure is the normal end of an interface (it vanished), false when
   *     it is a failed read (counted, logged, and part of the readiness verdict)
   */
  private boolean handleReadFailure(SeriesRegistry.Entry entry, EthtoolException e) {
    String name = entry.iface().name();
    if (e.reason() == EthtoolException.Reason.NO_DEVICE) {
      forget(name);
      tracker.forget(name);
      return true;
    }
    String type = errorType(e);
    self.readError(name, type, clock.now());
    errorLog.log(name + ":" + type, Level.WARNING, clock.nanoTime(), e::getMessage);
    return false;
  }

  static String errorType(EthtoolException e) {
    return switch (e.reason()) {
      case NO_DEVICE -> "ENODEV";
      case NOT_SUPPORTED -> "EOPNOTSUPP";
      case PERMISSION -> e.errno() == 13 ? "EACCES" : "EPERM";
      case OTHER -> e.errno() != 0 ? "errno_" + e.errno() : "other";
      default -> e.reason().name().toLowerCase(Locale.ROOT);
    };
  }

  /** Stops monitoring an interface and drops everything kept about it. */
  private void forget(String name) {
    if (registry.remove(name)) {
      LOG.log(Level.INFO, "{0}: interface is gone; its series stop", name);
    }
    self.forgetInterface(name);
    errorLog.forgetPrefix(name + ":");
  }

  /** Stops monitoring everything and releases the sources. */
  public void close() {
    tracker.close();
    registry.closeAll();
  }

  private final class TrackerListener implements InterfaceTracker.Listener {
    /** Names offered twice (a replayed interface named like a real one): the second is ignored. */
    private final java.util.Set<String> shadowed = new java.util.HashSet<>();

    @Override
    public void appeared(StatSource source) {
      String name = source.iface().name();
      if (registry.contains(name)) {
        // Two sources must never feed one series: keep the one monitored first.
        shadowed.add(name);
        source.close();
        LOG.log(Level.WARNING, "{0}: another monitored interface (replayed or real) already has this name;"
            + " ignoring the second one - give the replayed interface another name", name);
        return;
      }
      long start = firstPass ? bootEpochNanos : clock.now();
      registry.add(new SeriesRegistry.Entry(source,
          new InterfaceSeries(source.iface(), mapper, samplingSeconds, start)));
      if (!firstPass) {
        LOG.log(Level.INFO, "{0}: new interface, monitoring it", source.iface().name());
      }
    }

    @Override
    public void unreadable(String name, EthtoolException problem) {
      // Counted like a failed read (the tracker logs it, once); not monitored, so no series yet.
      unreadableThisPass++;
      self.readError(name, errorType(problem), clock.now());
    }

    @Override
    public void vanished(String name) {
      if (shadowed.remove(name)) {
        return; // the ignored twin went away; the monitored one stays
      }
      forget(name);
    }
  }
}
