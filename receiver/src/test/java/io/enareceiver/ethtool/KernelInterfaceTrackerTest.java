package io.enareceiver.ethtool;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.testing.netns.NetnsFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Hotplug against the real kernel: interfaces created and deleted in this process's namespace
 * (sysfs shows only that one) are reported on the next refresh; filters apply; an interface
 * without driver statistics is left alone.
 */
class KernelInterfaceTrackerTest {

  private static final class Recorder implements InterfaceTracker.Listener {
    final List<StatSource> appeared = new ArrayList<>();
    final List<String> vanished = new ArrayList<>();

    @Override
    public void appeared(StatSource source) {
      appeared.add(source);
    }

    @Override
    public void vanished(String name) {
      vanished.add(name);
    }

    List<String> appearedNames() {
      return appeared.stream().map(s -> s.iface().name()).toList();
    }
  }

  @Test
  void reportsInterfacesAsTheyComeAndGoAndReadsThem() throws Exception {
    NetnsFixture.create().close(); // prerequisites: root, ip, tc, ethtool (skips or fails)
    long tag = ProcessHandle.current().pid() % 100_000;
    String a = "enata" + tag;
    String b = "enatb" + tag;
    String other = "zzz" + tag;
    InterfaceSelector selector = new InterfaceSelector(List.of("enat*"), List.of("lo"), List.of());
    try (KernelInterfaceTracker tracker =
        new KernelInterfaceTracker(InterfaceDiscovery.DEFAULT_ROOT, EthtoolReader.open(), selector, Set.of())) {
      Recorder first = new Recorder();
      tracker.refresh(first);
      assertThat(first.appearedNames()).noneMatch(n -> n.startsWith("enat"));

      NetnsFixture.exec("ip", "link", "add", a, "type", "veth", "peer", "name", b);
      NetnsFixture.exec("ip", "link", "add", other, "type", "ifb");
      try {
        Recorder added = new Recorder();
        tracker.refresh(added);
        assertThat(added.appearedNames()).containsExactlyInAnyOrder(a, b);
        StatSnapshot snap = new StatSnapshot();
        added.appeared.getFirst().read(snap);
        assertThat(snap.count()).isPositive();
        assertThat(added.appeared.getFirst().iface().driver()).isEqualTo("veth");

        Recorder unchanged = new Recorder();
        tracker.refresh(unchanged);
        assertThat(unchanged.appeared).isEmpty();
        assertThat(unchanged.vanished).isEmpty();
      } finally {
        NetnsFixture.run("ip", "link", "del", other);
        NetnsFixture.run("ip", "link", "del", a);
      }
      Recorder removed = new Recorder();
      tracker.refresh(removed);
      assertThat(removed.vanished).containsExactlyInAnyOrder(a, b);
      assertThat(tracker.monitoredNames()).isEmpty();
    }
  }

  @Test
  void anInterfaceForgottenAfterEnodevIsOfferedAgainWhileItStillExists() throws Exception {
    NetnsFixture.create().close();
    long tag = ProcessHandle.current().pid() % 100_000;
    String a = "enafa" + tag;
    String b = "enafb" + tag;
    InterfaceSelector selector = new InterfaceSelector(List.of("enaf*"), List.of(), List.of());
    NetnsFixture.exec("ip", "link", "add", a, "type", "veth", "peer", "name", b);
    try (KernelInterfaceTracker tracker =
        new KernelInterfaceTracker(InterfaceDiscovery.DEFAULT_ROOT, EthtoolReader.open(), selector, Set.of())) {
      Recorder first = new Recorder();
      tracker.refresh(first);
      assertThat(first.appearedNames()).containsExactlyInAnyOrder(a, b);

      // The sampler read ENODEV (e.g. a device detached for a moment) and dropped the series.
      tracker.forget(a);
      Recorder again = new Recorder();
      tracker.refresh(again);
      assertThat(again.appearedNames()).containsExactly(a);
      assertThat(again.vanished).isEmpty();
      assertThat(tracker.monitoredNames()).contains(a, b);
    } finally {
      NetnsFixture.run("ip", "link", "del", a);
    }
  }

  @Test
  void anExplicitlyNamedInterfaceWithoutStatisticsIsNotMonitored() throws Exception {
    NetnsFixture.create().close();
    InterfaceSelector selector = new InterfaceSelector(List.of("*"), List.of(), List.of());
    try (KernelInterfaceTracker tracker =
        new KernelInterfaceTracker(InterfaceDiscovery.DEFAULT_ROOT, EthtoolReader.open(), selector, Set.of("lo"))) {
      Recorder r = new Recorder();
      tracker.refresh(r);
      assertThat(r.appeared).isEmpty();
      assertThat(tracker.monitoredNames()).isEmpty();
    }
  }
}
