package io.enareceiver.bench;

import io.enareceiver.config.KnownMetrics;
import io.enareceiver.ethtool.EthtoolException;
import io.enareceiver.ethtool.EthtoolReader;
import io.enareceiver.ethtool.InterfaceDiscovery;
import io.enareceiver.ethtool.InterfaceSelector;
import io.enareceiver.ethtool.InterfaceTracker;
import io.enareceiver.ethtool.KernelInterfaceTracker;
import io.enareceiver.ethtool.StatSource;
import io.enareceiver.metrics.CatalogStatMapper;
import io.enareceiver.metrics.Sampler;
import io.enareceiver.metrics.SelfTelemetry;
import io.opentelemetry.sdk.common.Clock;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole sampling pass as the agent runs it, over 16 real veth interfaces: the kernel tracker's
 * link-change check (one rtnetlink {@code recv} while no link changes), then one GSTATS per
 * interface and the fold of every statistic (default metrics plus
 * {@code ethtool.stat} for every stat, so every slot is folded). {@link #trackerRefresh} measures
 * the tracker's share alone. Scores are per pass; with {@code -prof gc} the allocation per pass.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SamplerBenchmark {
  private BenchVeths veths;
  private Sampler sampler;
  private KernelInterfaceTracker tracker;
  private final InterfaceTracker.Listener ignoring = new InterfaceTracker.Listener() {
    @Override
    public void appeared(StatSource source) {
      throw new IllegalStateException("no interface may appear during the benchmark: " + source.iface());
    }

    @Override
    public void vanished(String name) {
      throw new IllegalStateException("no interface may vanish during the benchmark: " + name);
    }
  };

  @Setup(Level.Trial)
  public void setUp() throws IOException, InterruptedException, EthtoolException {
    veths = BenchVeths.create(KernelReadBenchmark.INTERFACES / 2);
    InterfaceSelector onlyOurs = new InterfaceSelector(List.of(veths.glob()), List.of(), List.of());
    tracker = new KernelInterfaceTracker(InterfaceDiscovery.DEFAULT_ROOT, EthtoolReader.open(), onlyOurs, Set.of());
    Map<String, Boolean> enabled = new HashMap<>(KnownMetrics.defaults());
    enabled.put(KnownMetrics.ETHTOOL_STAT, true);
    Clock clock = Clock.getDefault();
    sampler = new Sampler(tracker, new CatalogStatMapper(name -> enabled.getOrDefault(name, false), stat -> true),
        Duration.ofSeconds(1), clock, clock.now(), new SelfTelemetry(clock.now()));
    sampler.sampleOnce();
    sampler.sampleOnce();
    if (sampler.interfaces().size() != KernelReadBenchmark.INTERFACES) {
      throw new IllegalStateException("expected " + KernelReadBenchmark.INTERFACES + " interfaces, sampler has "
          + sampler.interfaces());
    }
    System.err.printf("%nSamplerBenchmark: %d interfaces, %d series%n", sampler.interfaces().size(), sampler.seriesCount());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (sampler != null) {
      sampler.close();
    }
    if (veths != null) {
      veths.close();
    }
  }

  /** One full pass over 16 interfaces. */
  @Benchmark
  public void sampleOnce16() {
    sampler.sampleOnce();
  }

  /** The tracker's per-pass check alone (nothing changes, so it finds nothing). */
  @Benchmark
  public void trackerRefresh() {
    tracker.refresh(ignoring);
  }
}
