package io.enareceiver.ethtool;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.testing.netns.NetnsFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hotplug against the real kernel: interfaces created and deleted in this process's namespace
 * (sysfs shows only that one) are reported on the next refresh; filters apply; an interface
 * without driver statistics is left alone. sysfs is listed only when rtnetlink announced a
 * change, unless the announcements fail or sysfs is a test tree.
 *
 * <p>Other tests (and other processes) may add links to this namespace at any time: that only
 * makes the tracker look once more, which no test here mistakes for a failure.
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

  @Test
  void aVethAddedBetweenTwoRefreshesIsPickedUpOnTheNextOne() throws Exception {
    NetnsFixture.create().close();
    long tag = ProcessHandle.current().pid() % 100_000;
    String a = "enapa" + tag;
    String b = "enapb" + tag;
    InterfaceSelector selector = new InterfaceSelector(List.of("enap*"), List.of(), List.of());
    try (KernelInterfaceTracker tracker =
        new KernelInterfaceTracker(InterfaceDiscovery.DEFAULT_ROOT, EthtoolReader.open(), selector, Set.of())) {
      assertThat(tracker.linkChangeMonitor()).as("link changes come from rtnetlink").isNotNull();
      tracker.refresh(new Recorder());
      tracker.refresh(new Recorder()); // nothing of ours changed: may not even look

      NetnsFixture.exec("ip", "link", "add", a, "type", "veth", "peer", "name", b);
      try {
        Recorder next = new Recorder();
        tracker.refresh(next);
        assertThat(next.appearedNames()).containsExactlyInAnyOrder(a, b);
        assertThat(tracker.linkChangeMonitor()).as("still on rtnetlink").isNotNull();
      } finally {
        NetnsFixture.run("ip", "link", "del", a);
      }
    }
  }

  /**
   * Deleted and re-created under the same names between two passes: the names in sysfs are as
   * before, only the ifindex tells. The old series must end and new ones start.
   */
  @Test
  void aVethDeletedAndRecreatedUnderTheSameNameIsReportedVanishedAndAppeared() throws Exception {
    NetnsFixture.create().close();
    long tag = ProcessHandle.current().pid() % 100_000;
    String a = "enara" + tag;
    String b = "enarb" + tag;
    InterfaceSelector selector = new InterfaceSelector(List.of("enar*"), List.of(), List.of());
    NetnsFixture.exec("ip", "link", "add", a, "type", "veth", "peer", "name", b);
    try (KernelInterfaceTracker tracker =
        new KernelInterfaceTracker(InterfaceDiscovery.DEFAULT_ROOT, EthtoolReader.open(), selector, Set.of())) {
      assertThat(tracker.linkChangeMonitor()).isNotNull();
      Recorder first = new Recorder();
      tracker.refresh(first);
      assertThat(first.appearedNames()).containsExactlyInAnyOrder(a, b);
      int oldIndex = ifindex(a);

      NetnsFixture.exec("ip", "link", "del", a);
      NetnsFixture.exec("ip", "link", "add", a, "type", "veth", "peer", "name", b);
      assertThat(ifindex(a)).as("a new device").isNotEqualTo(oldIndex);

      Recorder again = new Recorder();
      tracker.refresh(again);
      assertThat(again.vanished).containsExactlyInAnyOrder(a, b);
      assertThat(again.appearedNames()).containsExactlyInAnyOrder(a, b);
      assertThat(again.appeared).filteredOn(s -> s.iface().name().equals(a))
          .singleElement().satisfies(s -> assertThat(s.iface().ifindex()).isEqualTo(ifindex(a)));
    } finally {
      NetnsFixture.run("ip", "link", "del", a);
    }
  }

  /**
   * What the monitor is for: with no link change, a pass does not read sysfs. The namespace is
   * the host's, where anyone may add a link at any moment, so a witness monitor tells whether a
   * stretch of passes really was quiet: it is drained before the tracker's own drain, and
   * anything the tracker could have seen during the stretch, the witness saw too. A stretch
   * with changes is tried again (a few times at most).
   */
  @Test
  void withoutLinkChangesARefreshDoesNotListSysfs() throws Exception {
    NetnsFixture.create().close();
    long tag = ProcessHandle.current().pid() % 100_000;
    String a = "enaia" + tag;
    InterfaceSelector selector = new InterfaceSelector(List.of("enai*"), List.of(), List.of());
    try (LinkChangeMonitor witness = LinkChangeMonitor.open();
        KernelInterfaceTracker tracker =
            new KernelInterfaceTracker(InterfaceDiscovery.DEFAULT_ROOT, EthtoolReader.open(), selector, Set.of())) {
      assertThat(tracker.linkChangeMonitor()).isNotNull();
      tracker.refresh(new Recorder());
      assertThat(tracker.listings()).as("the first pass lists").isEqualTo(1);

      boolean quiet = false;
      for (int attempt = 0; attempt < 10 && !quiet; attempt++) {
        witness.drainChanges();
        tracker.refresh(new Recorder()); // takes in whatever came before the stretch
        long before = tracker.listings();
        for (int pass = 0; pass < 5; pass++) {
          tracker.refresh(new Recorder());
        }
        quiet = !witness.drainChanges();
        if (quiet) {
          assertThat(tracker.listings()).as("sysfs listings over five passes without link changes")
              .isEqualTo(before);
        }
      }
      assertThat(quiet).as("a stretch of five passes without any link change in this namespace").isTrue();

      long before = tracker.listings();
      NetnsFixture.exec("ip", "link", "add", a, "type", "veth", "peer", "name", "enaib" + tag);
      try {
        Recorder changed = new Recorder();
        tracker.refresh(changed);
        assertThat(tracker.listings()).as("a link change makes the next pass list").isEqualTo(before + 1);
        assertThat(changed.appearedNames()).contains(a);
      } finally {
        NetnsFixture.run("ip", "link", "del", a);
      }
    }
  }

  /**
   * When reading the announcements fails (here: the socket's descriptor made to point to
   * /dev/null, so recv says ENOTSOCK), the tracker says so once and lists sysfs on every pass
   * from then on, still picking up new interfaces.
   */
  @Test
  void whenLinkChangesCannotBeReadItWarnsOnceAndListsEveryPass() throws Throwable {
    NetnsFixture.create().close();
    long tag = ProcessHandle.current().pid() % 100_000;
    String a = "enawa" + tag;
    String b = "enawb" + tag;
    InterfaceSelector selector = new InterfaceSelector(List.of("enaw*"), List.of(), List.of());
    Logger logger = Logger.getLogger(KernelInterfaceTracker.class.getName());
    List<String> warnings = new ArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getLevel() == java.util.logging.Level.WARNING) {
          warnings.add(java.text.MessageFormat.format(record.getMessage(), record.getParameters()));
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.addHandler(handler);
    try (KernelInterfaceTracker tracker =
        new KernelInterfaceTracker(InterfaceDiscovery.DEFAULT_ROOT, EthtoolReader.open(), selector, Set.of())) {
      tracker.refresh(new Recorder());
      TestSyscalls.replaceWithDevNull(tracker.linkChangeMonitor().fd());

      long before = tracker.listings();
      for (int pass = 0; pass < 3; pass++) {
        tracker.refresh(new Recorder());
      }
      assertThat(tracker.linkChangeMonitor()).as("the failed monitor is dropped").isNull();
      assertThat(tracker.listings() - before).as("listings over three passes after the failure").isEqualTo(3);
      assertThat(warnings).containsExactly("cannot watch link changes through rtnetlink: recv failed: "
          + "Socket operation on non-socket (ENOTSOCK); falling back to listing /sys/class/net every pass");

      NetnsFixture.exec("ip", "link", "add", a, "type", "veth", "peer", "name", b);
      try {
        Recorder added = new Recorder();
        tracker.refresh(added);
        assertThat(added.appearedNames()).containsExactlyInAnyOrder(a, b);
      } finally {
        NetnsFixture.run("ip", "link", "del", a);
      }
    } finally {
      logger.removeHandler(handler);
    }
  }

  /** A test tree has no link announcements: no monitor, and every pass lists it. */
  @Test
  void aSysfsTreeOtherThanTheKernelsIsListedEveryPass(@TempDir Path sysfs) throws Exception {
    Files.createDirectories(sysfs.resolve("eth0"));
    Files.writeString(sysfs.resolve("eth0").resolve("ifindex"), "2\n");
    InterfaceSelector selector = new InterfaceSelector(List.of("*"), List.of(), List.of());
    try (KernelInterfaceTracker tracker = new KernelInterfaceTracker(sysfs, EthtoolReader.open(), selector, Set.of())) {
      assertThat(tracker.linkChangeMonitor()).isNull();
      for (int pass = 0; pass < 3; pass++) {
        tracker.refresh(new Recorder());
      }
      assertThat(tracker.listings()).isEqualTo(3);
    }
  }

  private static int ifindex(String name) throws Exception {
    return Integer.parseInt(Files.readString(Path.of("/sys/class/net", name, "ifindex")).strip());
  }
}
