package io.enareceiver.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.config.KnownMetrics;
import io.enareceiver.ethtool.EthtoolException;
import io.enareceiver.ethtool.EthtoolReader;
import io.enareceiver.ethtool.InterfaceDiscovery;
import io.enareceiver.ethtool.InterfaceSelector;
import io.enareceiver.ethtool.InterfaceTracker;
import io.enareceiver.ethtool.KernelInterfaceTracker;
import io.enareceiver.ethtool.KernelStatSource;
import io.enareceiver.ethtool.NetInterface;
import io.enareceiver.ethtool.StatSnapshot;
import io.enareceiver.ethtool.StatSource;
import io.enareceiver.metrics.CatalogStatMapper;
import io.enareceiver.metrics.EnaMetricProducer;
import io.enareceiver.metrics.ResourceResolver;
import io.enareceiver.metrics.Sampler;
import io.enareceiver.metrics.SelfTelemetry;
import io.enareceiver.replay.ReplayStatSource;
import io.enareceiver.testing.netns.NetnsFixture;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.time.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What the kernel can do to a monitored interface: rename it, change its statistics count
 * between reads, make it vanish between GSTRINGS and GSTATS, refuse the read, or have no
 * statistics at all. None of it crashes or garbles a read, each gets a clear log line (not one
 * per sample), and the other interfaces keep being sampled.
 */
class KernelSurprisesTest {

  private static Sampler kernelSampler(String prefix, SelfTelemetry self) throws EthtoolException {
    KernelInterfaceTracker tracker = new KernelInterfaceTracker(InterfaceDiscovery.DEFAULT_ROOT, EthtoolReader.open(),
        new InterfaceSelector(List.of(prefix + "*"), List.of(), List.of()), Set.of());
    return new Sampler(tracker, new CatalogStatMapper(n -> true, n -> true), Duration.ofSeconds(1),
        Clock.getDefault(), Clock.getDefault().now(), self);
  }

  private static List<String> names(Sampler sampler) {
    return sampler.interfaces().stream().map(NetInterface::name).sorted().toList();
  }

  @Test
  void aRenamedInterfaceEndsItsOldSeriesAndIsPickedUpUnderItsNewName() throws Exception {
    try (HostLinks links = new HostLinks("n"); LogRecorder log = new LogRecorder()) {
      String p = links.prefix();
      links.addVethPairs("k", 0, 1);
      links.addVethPairs("m", 0, 1);
      Sampler sampler = kernelSampler(p, new SelfTelemetry(Clock.getDefault().now()));
      try {
        sampler.sampleOnce();
        assertThat(names(sampler)).containsExactly(p + "k0a", p + "k0b", p + "m0a", p + "m0b");
        int seriesBefore = sampler.seriesCount();
        NetnsFixture.exec("ip", "link", "set", "dev", p + "m0a", "down");
        NetnsFixture.exec("ip", "link", "set", "dev", p + "m0a", "name", p + "r0a");
        sampler.sampleOnce();
        sampler.sampleOnce();
        assertThat(names(sampler)).containsExactly(p + "k0a", p + "k0b", p + "m0b", p + "r0a");
        assertThat(sampler.seriesCount()).isEqualTo(seriesBefore);
        assertThat(sampler.self().lastPassReads().failed()).as("failed reads in the last pass").isZero();
        Map<String, Integer> lines = log.countByText();
        System.out.println("kernel surprises: rename logged " + lines);
        assertThat(lines).containsOnlyKeys(
            "io.enareceiver.metrics.Sampler INFO " + p + "m0a: interface is gone; its series stop",
            "io.enareceiver.metrics.Sampler INFO " + p + "r0a: new interface, monitoring it");
      } finally {
        sampler.close();
      }
    }
  }

  @Test
  void aStatisticsCountChangingOnEveryReadGivesWholeReadsOrOneClearError() throws Exception {
    try (HostLinks links = new HostLinks("q"); EthtoolReader reader = EthtoolReader.open()) {
      String dev = links.prefix() + "q0a";
      NetnsFixture.exec("ip", "link", "add", dev, "numrxqueues", "4", "numtxqueues", "4", "type", "veth",
          "peer", "name", links.prefix() + "q0b", "numrxqueues", "4", "numtxqueues", "4");
      int ifindex = Integer.parseInt(Files.readString(Path.of("/sys/class/net", dev, "ifindex")).strip());
      long peerIndex = Long.parseLong(Files.readString(Path.of("/sys/class/net", links.prefix() + "q0b", "ifindex")).strip());
      KernelStatSource source = new KernelStatSource(new NetInterface(dev, ifindex, "", "veth", "down"), reader);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger toggles = new AtomicInteger();
      Thread flipper = Thread.ofPlatform().start(() -> {
        while (!stop.get()) {
          String q = toggles.incrementAndGet() % 2 == 0 ? "4" : "1";
          NetnsFixture.run("ethtool", "-L", dev, "rx", q, "tx", q);
        }
      });
      Map<String, Integer> outcomes = new TreeMap<>();
      Map<Integer, Integer> counts = new TreeMap<>();
      StatSnapshot snapshot = new StatSnapshot();
      try {
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < until) {
          try {
            source.read(snapshot);
            // A whole read: as many names as values, the names being veth's own.
            assertThat(snapshot.names()[0]).isEqualTo("peer_ifindex");
            assertThat(snapshot.values()[0]).isEqualTo(peerIndex);
            counts.merge(snapshot.count(), 1, Integer::sum);
            outcomes.merge("ok", 1, Integer::sum);
          } catch (EthtoolException e) {
            outcomes.merge(e.reason().name(), 1, Integer::sum);
            assertThat(e.reason()).as(e.getMessage()).isEqualTo(EthtoolException.Reason.BAD_ANSWER);
            assertThat(e.getMessage()).contains(dev).contains("twice in a row");
          }
        }
      } finally {
        stop.set(true);
        flipper.join();
      }
      System.out.println("kernel surprises: " + toggles.get() + " ethtool -L flips; outcomes " + outcomes
          + "; statistics counts seen " + counts);
      assertThat(counts).as("both queue layouts were read whole").hasSizeGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void anInterfaceVanishingBetweenNamesAndValuesIsOnlyEverNoDevice() throws Exception {
    try (HostLinks links = new HostLinks("v"); EthtoolReader reader = EthtoolReader.open()) {
      String dev = links.prefix() + "v0a";
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger cycles = new AtomicInteger();
      Thread churner = Thread.ofPlatform().start(() -> {
        while (!stop.get()) {
          NetnsFixture.run("ip", "link", "add", dev, "type", "veth", "peer", "name", links.prefix() + "v0b");
          NetnsFixture.run("ip", "link", "del", dev);
          cycles.incrementAndGet();
        }
      });
      Map<String, Integer> outcomes = new TreeMap<>();
      StatSnapshot snapshot = new StatSnapshot();
      try {
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < until) {
          // A fresh source each time, as the tracker makes for a new device: names, then values.
          KernelStatSource source = new KernelStatSource(new NetInterface(dev, 0, "", "veth", "down"), reader);
          try {
            source.read(snapshot);
            assertThat(snapshot.names()[0]).isEqualTo("peer_ifindex");
            outcomes.merge("ok", 1, Integer::sum);
          } catch (EthtoolException e) {
            outcomes.merge(e.reason().name(), 1, Integer::sum);
            assertThat(e.reason()).as(e.getMessage()).isEqualTo(EthtoolException.Reason.NO_DEVICE);
          }
        }
      } finally {
        stop.set(true);
        churner.join();
      }
      System.out.println("kernel surprises: " + cycles.get() + " add/del cycles; read outcomes " + outcomes);
      assertThat(outcomes).containsKeys("ok", "NO_DEVICE");
    }
  }

  @Test
  void anInterfaceWithoutStatisticsIsNotedOnceAndTheOthersAreSampled() throws Exception {
    try (HostLinks links = new HostLinks("z"); LogRecorder log = new LogRecorder()) {
      String p = links.prefix();
      links.addVethPairs("k", 0, 1);
      NetnsFixture.exec("ip", "link", "add", p + "br0", "type", "bridge"); // no driver statistics
      SelfTelemetry self = new SelfTelemetry(Clock.getDefault().now());
      Sampler sampler = kernelSampler(p, self);
      try {
        for (int i = 0; i < 20; i++) {
          sampler.sampleOnce();
        }
        assertThat(names(sampler)).containsExactly(p + "k0a", p + "k0b");
        assertThat(self.passes()).isEqualTo(20);
        assertThat(self.readErrorCount()).isZero();
        List<String> lines = log.countByText().keySet().stream().filter(l -> l.contains(p + "br0")).toList();
        System.out.println("kernel surprises: no-stats interface logged " + lines);
        assertThat(lines).containsExactly(
            "io.enareceiver.ethtool.KernelInterfaceTracker INFO " + p + "br0 (driver bridge) has no driver statistics; not monitored");
        assertThat(log.countByText().values()).allMatch(n -> n == 1);
      } finally {
        sampler.close();
      }
    }
  }

  /**
   * EPERM cannot be provoked for real here: GSTATS needs no capability (DESIGN §4), so only a
   * seccomp filter on ioctl could refuse it, which is more machinery than the property is worth.
   * A source that answers EPERM stands in; the other interface is a replay whose counters grow.
   */
  @Test
  void aReadRefusedWithEpermIsLoggedOnceAMinuteAndTheOthersKeepUpdating() throws Exception {
    TestClock clock = TestClock.create();
    List<io.enareceiver.ena.Capture> captures = SamplerSoak.growingCaptures();
    ReplayStatSource healthy = new ReplayStatSource(ReplayStatSource.replayInterface("ens5", "02:00:00:00:00:05", "ena"),
        captures, false, clock::now);
    StatSource refused = new StatSource() {
      private final NetInterface iface = ReplayStatSource.replayInterface("ens6", "02:00:00:00:00:06", "ena");

      @Override
      public NetInterface iface() {
        return iface;
      }

      @Override
      public void read(StatSnapshot into) throws EthtoolException {
        throw new EthtoolException(EthtoolException.Reason.PERMISSION, 1, "ens6",
            "ens6: ETHTOOL_GSTATS: operation not permitted (EPERM)");
      }

      @Override
      public void close() {}
    };
    InterfaceTracker tracker = new InterfaceTracker() {
      private boolean offered;

      @Override
      public void refresh(Listener listener) {
        if (!offered) {
          offered = true;
          listener.appeared(healthy);
          listener.appeared(refused);
        }
      }

      @Override
      public void close() {}
    };
    SelfTelemetry self = new SelfTelemetry(clock.now());
    Sampler sampler = new Sampler(tracker, new CatalogStatMapper(n -> true, n -> true), Duration.ofSeconds(1), clock,
        clock.now(), self);
    EnaMetricProducer producer = new EnaMetricProducer(sampler, ResourceResolver.of(Resource.empty()),
        KnownMetrics.defaults(), "test", clock);
    try (LogRecorder log = new LogRecorder()) {
      long previous = -1;
      for (int second = 0; second < 180; second++) { // three minutes, one pass a second
        sampler.sampleOnce();
        clock.advance(Duration.ofSeconds(1));
        if (second % 15 == 14) {
          long exceeded = linklocal(producer.produce(Resource.empty()));
          assertThat(exceeded).as("ens5 keeps updating at second %d", second).isGreaterThan(previous);
          previous = exceeded;
        }
      }
      Map<String, Integer> lines = log.countByKind("ens");
      System.out.println("kernel surprises: EPERM over 180 passes logged " + lines + ", read errors " + self.readErrorCount());
      assertThat(self.readErrorCount()).isEqualTo(180);
      assertThat(lines).hasSize(1);
      assertThat(lines.values().iterator().next()).as("one line a minute over three minutes").isBetween(3, 4);
      assertThat(lines.keySet().iterator().next()).contains("WARNING").contains("EPERM");
    } finally {
      sampler.close();
    }
  }

  private static long linklocal(java.util.Collection<MetricData> data) {
    for (MetricData m : data) {
      if (m.getName().equals("aws.ena.allowance.exceeded")) {
        for (LongPointData p : m.getLongSumData().getPoints()) {
          if ("ens5".equals(p.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("network.interface.name")))
              && "linklocal".equals(p.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey("aws.ena.allowance")))) {
            return p.getValue();
          }
        }
      }
    }
    throw new AssertionError("no linklocal point for ens5 in " + data);
  }
}
