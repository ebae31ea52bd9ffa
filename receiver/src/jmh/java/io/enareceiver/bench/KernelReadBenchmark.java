package io.enareceiver.bench;

import io.enareceiver.ethtool.EthtoolException;
import io.enareceiver.ethtool.EthtoolReader;
import io.enareceiver.ethtool.KernelStatSource;
import io.enareceiver.ethtool.NetInterface;
import io.enareceiver.ethtool.StatSnapshot;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The read path: one {@code ETHTOOL_GSTATS} through FFM per interface (the steady state: count
 * and names known, so no {@code ETHTOOL_GSSET_INFO}), for 16 real veth interfaces, via
 * {@link KernelStatSource#read}. The score is per interface
 * ({@link OperationsPerInvocation} 16); with {@code -prof gc}, {@code gc.alloc.rate.norm} is the
 * allocation per interface read, which must be about 0 in steady state.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class KernelReadBenchmark {
  static final int INTERFACES = 16;

  private BenchVeths veths;
  private EthtoolReader reader;
  private KernelStatSource[] sources;
  private StatSnapshot[] snapshots;

  @Setup(Level.Trial)
  public void setUp() throws IOException, InterruptedException, EthtoolException {
    veths = BenchVeths.create(INTERFACES / 2);
    reader = EthtoolReader.open();
    List<String> names = veths.names();
    sources = new KernelStatSource[names.size()];
    snapshots = new StatSnapshot[names.size()];
    for (int i = 0; i < names.size(); i++) {
      // KernelStatSource reads by name; the index and MAC play no part in a read.
      NetInterface iface = new NetInterface(names.get(i), i + 1, "", "veth", "up");
      sources[i] = new KernelStatSource(iface, reader);
      snapshots[i] = new StatSnapshot();
      sources[i].read(snapshots[i]); // names read once, as in steady state
    }
    System.err.printf("%nKernelReadBenchmark: %d veth interfaces, %d stats each%n",
        sources.length, snapshots[0].count());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (reader != null) {
      reader.close();
    }
    if (veths != null) {
      veths.close();
    }
  }

  /** One sample of 16 interfaces; score and allocation per interface. */
  @Benchmark
  @OperationsPerInvocation(INTERFACES)
  public void read16(Blackhole bh) throws EthtoolException {
    for (int i = 0; i < sources.length; i++) {
      sources[i].read(snapshots[i]);
      bh.consume(snapshots[i].values()[0]);
    }
  }
}
