package io.enareceiver.reliability;

import io.enareceiver.ena.Capture;
import io.enareceiver.ena.CaptureException;
import io.enareceiver.ethtool.InterfaceTracker;
import io.enareceiver.metrics.CatalogStatMapper;
import io.enareceiver.metrics.EnaMetricProducer;
import io.enareceiver.metrics.ResourceResolver;
import io.enareceiver.metrics.Sampler;
import io.enareceiver.metrics.SelfTelemetry;
import io.enareceiver.replay.ReplayScenarios;
import io.enareceiver.replay.ReplayStatSource;
import io.enareceiver.config.KnownMetrics;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.time.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sampler and producer driven flat out over simulated ENA interfaces, with a test clock that
 * moves one second per cycle: what a node sees in {@code cycles} seconds of life, minus the
 * sleeping. Records live heap and series counts at checkpoints so the caller can assert they
 * stay flat.
 *
 * <p>Every interface has {@value #STATS} statistics named like a real ENA driver's (the global
 * and allowance stats of the built-in capture plus per-queue stats up to the count), every
 * metric switched on (per-queue and {@code ethtool.stat} too) so each statistic is a live
 * series. Counters grow every capture; after the last capture a replay starts over, so each
 * interface also goes through a counter reset every {@value #CAPTURES} cycles.
 */
final class SamplerSoak {
  static final int INTERFACES = 50;
  static final int STATS = 200;
  static final int CAPTURES = 300;
  static final int PRODUCE_EVERY = 15;

  /** One measurement point. */
  record Checkpoint(long cycle, long heapAfterGc, int seriesCount, int points) {}

  /** What a run saw. */
  record Result(List<Checkpoint> checkpoints, long cycles, double cyclesPerSecond, long produces) {}

  private SamplerSoak() {}

  /**
   * @param checkpointPercents cycles (as percent of {@code cycles}) after which to measure
   */
  static Result run(long cycles, int... checkpointPercents) throws CaptureException {
    TestClock clock = TestClock.create(Instant.parse("2026-12-04T10:00:00Z"));
    List<Capture> captures = growingCaptures();
    List<ReplayStatSource> sources = new ArrayList<>();
    for (int i = 0; i < INTERFACES; i++) {
      sources.add(new ReplayStatSource(
          ReplayStatSource.replayInterface(String.format("ens%d", i), String.format("02:00:00:00:%02x:%02x", i / 256, i % 256), "ena"),
          captures, true, clock::now));
    }
    InterfaceTracker tracker = new InterfaceTracker() {
      private boolean offered;

      @Override
      public void refresh(Listener listener) {
        if (!offered) {
          offered = true;
          sources.forEach(listener::appeared);
        }
      }

      @Override
      public void close() {}
    };
    SelfTelemetry self = new SelfTelemetry(clock.now());
    Sampler sampler = new Sampler(tracker, new CatalogStatMapper(name -> true, name -> true),
        Duration.ofSeconds(1), clock, clock.now() - Duration.ofDays(1).toNanos(), self);
    Map<String, Boolean> allOn = new HashMap<>();
    KnownMetrics.defaults().keySet().forEach(k -> allOn.put(k, true));
    EnaMetricProducer producer = new EnaMetricProducer(sampler, ResourceResolver.of(Resource.empty()), allOn, "soak", clock);

    List<Checkpoint> checkpoints = new ArrayList<>();
    int next = 0;
    long produces = 0;
    int lastPoints = 0;
    long measuredNanos = 0;
    long sliceStart = System.nanoTime();
    for (long cycle = 1; cycle <= cycles; cycle++) {
      sampler.sampleOnce();
      clock.advance(Duration.ofSeconds(1));
      if (cycle % PRODUCE_EVERY == 0) {
        lastPoints = points(producer.produce(Resource.empty()));
        produces++;
      }
      if (next < checkpointPercents.length && cycle == cycles * checkpointPercents[next] / 100) {
        measuredNanos += System.nanoTime() - sliceStart;
        checkpoints.add(new Checkpoint(cycle, HeapProbe.usedAfterGc(), sampler.seriesCount(), lastPoints));
        next++;
        sliceStart = System.nanoTime();
      }
    }
    measuredNanos += System.nanoTime() - sliceStart;
    sampler.close();
    return new Result(checkpoints, cycles, cycles / (measuredNanos / 1e9), produces);
  }

  private static int points(Collection<MetricData> data) {
    int n = 0;
    for (MetricData m : data) {
      n += m.getData().getPoints().size();
    }
    return n;
  }

  /**
   * {@value #CAPTURES} captures of one ENA interface with {@value #STATS} statistics, every
   * counter higher than in the capture before (by a per-statistic rate), the conntrack gauge
   * moving up and down.
   */
  static List<Capture> growingCaptures() throws CaptureException {
    List<String> names = enaNames();
    List<Capture> out = new ArrayList<>(CAPTURES);
    for (int c = 0; c < CAPTURES; c++) {
      long[] values = new long[names.size()];
      for (int s = 0; s < values.length; s++) {
        values[s] = names.get(s).equals("conntrack_allowance_available")
            ? 50_000 + (c * 37L % 1000)
            : 1_000L * s + (long) c * (s % 13 + 1);
      }
      out.add(new Capture("eth0", "ena", names, values, List.of(), "generated-" + c));
    }
    return out;
  }

  /** The built-in capture's global and allowance statistics, then per-queue ones up to {@value #STATS}. */
  static List<String> enaNames() throws CaptureException {
    List<String> base = ReplayScenarios.loadBuiltin("dns-throttling").captures().getFirst().names();
    List<String> names = new ArrayList<>();
    List<String> queueSuffixes = new ArrayList<>();
    for (String n : base) {
      if (n.startsWith("queue_0_")) {
        queueSuffixes.add(n.substring("queue_0_".length()));
      } else if (!n.startsWith("queue_")) {
        names.add(n);
      }
    }
    if (!names.contains("conntrack_allowance_available")) {
      names.add("conntrack_allowance_available");
    }
    for (int q = 0; names.size() < STATS; q++) {
      for (String suffix : queueSuffixes) {
        if (names.size() == STATS) {
          break;
        }
        names.add("queue_" + q + "_" + suffix);
      }
    }
    return List.copyOf(names);
  }
}
