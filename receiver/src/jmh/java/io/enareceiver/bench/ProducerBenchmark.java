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
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
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

  @Setup(Level.Trial)
  public void setUp() throws CaptureException {
    var scenario = ReplayScenarios.loadBuiltin("dns-throttling");
    List<StatSource> sources = new ArrayList<>();
    for (int i = 0; i < ENIS; i++) {
      sources.add(new ReplayStatSource(
          ReplayStatSource.replayInterface(String.format("eth%d", i), String.format("0a:00:00:00:00:%02x", i), "ena"),
          scenario.captures(), true));
    }
    Map<String, Boolean> enabled = KnownMetrics.defaults();
    Clock clock = Clock.getDefault();
    Sampler sampler = new Sampler(new ReplayInterfaceTracker(sources),
        new CatalogStatMapper(name -> enabled.getOrDefault(name, false), stat -> true),
        Duration.ofSeconds(1), clock, clock.now(), new SelfTelemetry(clock.now()));
    for (int i = 0; i < 40; i++) {
      sampler.sampleOnce();
    }
    Resource resource = Resource.getDefault().merge(Resource.builder()
        .put("host.id", "i-0123456789abcdef0").put("cloud.region", "eu-west-1").build());
    producer = new EnaMetricProducer(sampler, ResourceResolver.of(resource), enabled, "bench", clock);
    Collection<MetricData> once = producer.produce(Resource.empty());
    long points = once.stream().mapToLong(m -> m.getData().getPoints().size()).sum();
    System.err.printf("%nProducerBenchmark: %d ENIs, %d driver-fed series, %d MetricData, %d points%n",
        ENIS, sampler.seriesCount(), once.size(), points);
  }

  @Benchmark
  public Collection<MetricData> produce16() {
    return producer.produce(Resource.empty());
  }
}
