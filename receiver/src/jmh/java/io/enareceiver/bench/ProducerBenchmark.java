package io.enareceiver.bench;

import io.enareceiver.config.KnownMetrics;
import io.enareceiver.ena.CaptureException;
import io.enareceiver.ethtool.StatSource;
import io.enareceiver.metrics.CatalogStatMapper;
import io.enareceiver.metrics.EnaMetricProducer;
import io.enareceiver.metrics.ResourceResolver;
import io.enareceiver.metrics.Sampler;
import io.enareceiver.metrics.SelfTelemetry;
import io.enareceiver.replay.ReplayInterfaceTracker;
import io.enareceiver.replay.ReplayScenarios;
import io.enareceiver.replay.ReplayStatSource;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.time.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One collection: {@link EnaMetricProducer#produce} for 16 simulated ENIs that replay the
 * built-in {@code dns-throttling} captures (real ENA stat names), default metrics, after 40
 * sampling passes so that counters, throttled seconds and peak rates all have values. The
 * series and point counts are printed at set-up, to relate {@code gc.alloc.rate.norm} to them.
 *
 * <p>Time is the SDK's {@link TestClock}: one second per pass during set-up, then frozen. With the
 * wall clock the sampler's series went stale ten seconds into the run (no good reading for ten
 * intervals) and {@code produce()} measured an ever emptier collection; {@link #produce16}
 * checks that every collection still has all its points.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1)
public class ProducerBenchmark {
  static final int ENIS = 16;

  private EnaMetricProducer producer;
  private int expectedPoints;

  @Setup(Level.Trial)
  public void setUp() throws CaptureException {
    var scenario = ReplayScenarios.loadBuiltin("dns-throttling");
    // Sources, sampler and producer share one clock, or the snapshots' stamps and the producer's
    // idea of "now" drift apart.
    TestClock clock = TestClock.create();
    List<StatSource> sources = new ArrayList<>();
    for (int i = 0; i < ENIS; i++) {
      sources.add(new ReplayStatSource(
          ReplayStatSource.replayInterface(String.format("eth%d", i), String.format("0a:00:00:00:00:%02x", i), "ena"),
          scenario.captures(), true, clock::now));
    }
    Map<String, Boolean> enabled = KnownMetrics.defaults();
    Sampler sampler = new Sampler(new ReplayInterfaceTracker(sources),
        new CatalogStatMapper(name -> enabled.getOrDefault(name, false), stat -> true),
        Duration.ofSeconds(1), clock, clock.now(), new SelfTelemetry(clock.now()));
    for (int i = 0; i < 40; i++) {
      clock.advance(Duration.ofSeconds(1));
      sampler.sampleOnce();
    }
    Resource resource = Resource.getDefault().merge(Resource.builder()
        .put("host.id", "i-0123456789abcdef0").put("cloud.region", "eu-west-1").build());
    producer = new EnaMetricProducer(sampler, ResourceResolver.of(resource), enabled, "bench", clock);
    // The first collection after sampling carries one point more than the ones after it: the
    // sampling-pass duration gauge is reported only when passes ran since the previous
    // collection, and none run between the benchmark's collections.
    producer.produce(Resource.empty());
    Collection<MetricData> once = producer.produce(Resource.empty());
    long points = points(once);
    expectedPoints = (int) points;
    System.err.printf("%nProducerBenchmark: %d ENIs, %d driver-fed series, %d MetricData, %d points%n",
        ENIS, sampler.seriesCount(), once.size(), points);
  }

  @Benchmark
  public Collection<MetricData> produce16() {
    Collection<MetricData> produced = producer.produce(Resource.empty());
    if (points(produced) != expectedPoints) {
      throw new IllegalStateException("produce() gave " + points(produced) + " points, not "
          + expectedPoints + ": the benchmark no longer measures a full collection");
    }
    return produced;
  }

  private static long points(Collection<MetricData> metrics) {
    long points = 0;
    for (MetricData m : metrics) {
      points += m.getData().getPoints().size();
    }
    return points;
  }
}
