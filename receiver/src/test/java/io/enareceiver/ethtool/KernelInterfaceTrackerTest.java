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
    try (HostVethPair pair = HostVethPair.named("enat");
        KernelInterfaceTracker tracker =
            onHost(new InterfaceSelector(List.of(pair.pattern()), List.of("lo"), List.of()))) {
      Recorder first = new Recorder();
      tracker.refresh(first);
      assertThat(first.appearedNames()).noneMatch(n -> n.startsWith(pair.stem()));

      pair.add();
      String other = "zzz" + pair.a(); // an ifb that the include pattern leaves out
      NetnsFixture.exec("ip", "link", "add", other, "type", "ifb");
      try {
        Recorder added = new Recorder();
        tracker.refresh(added);
        assertThat(added.appearedNames()).containsExactlyInAnyOrder(pair.a(), pair.b());
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
      }
      pair.delete();
      Recorder removed = new Recorder();
      tracker.refresh(removed);
      assertThat(removed.vanished).containsExactlyInAnyOrder(pair.a(), pair.b());
      assertThat(tracker.monitoredNames()).isEmpty();
    }
  }

  @Test
  void anInterfaceForgottenAfterEnodevIsOfferedAgainWhileItStillExists() throws Exception {
    try (HostVethPair pair = HostVethPair.named("enaf").add(); KernelInterfaceTracker tracker = onHost(pair)) {
      Recorder first = new Recorder();
      tracker.refresh(first);
      assertThat(first.appearedNames()).containsExactlyInAnyOrder(pair.a(), pair.b());

      // The sampler read ENODEV (e.g. a device detached for a moment) and dropped the series.
      tracker.forget(pair.a());
      Recorder again = new Recorder();
      tracker.refresh(again);
      assertThat(again.appearedNames()).containsExactly(pair.a());
      assertThat(again.vanished).isEmpty();
      assertThat(tracker.monitoredNames()).contains(pair.a(), pair.b());
    }
  }

  @Test
  void anExplicitlyNamedInterfaceWithoutStatisticsIsNotMonitored() throws Exception {
    NetnsFixture.create().close(); // prerequisites: root, ip, tc, ethtool (skips or fails)
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
    try (HostVethPair pair = HostVethPair.named("enap"); KernelInterfaceTracker tracker = onHost(pair)) {
      assertThat(tracker.linkChangeMonitor()).as("link changes come from rtnetlink").isNotNull();
      tracker.refresh(new Recorder());
      tracker.refresh(new Recorder()); // nothing of ours changed: may not even look

      pair.add();
      Recorder next = new Recorder();
      tracker.refresh(next);
      assertThat(next.appearedNames()).containsExactlyInAnyOrder(pair.a(), pair.b());
      assertThat(tracker.linkChangeMonitor()).as("still on rtnetlink").isNotNull();
    }
  }

  /**
   * Deleted and re-created under the same names between two passes: the names in sysfs are as
   * before, only the ifindex tells. The old series must end and new ones start.
   */
  @Test
  void aVethDeletedAndRecreatedUnderTheSameNameIsReportedVanishedAndAppeared() throws Exception {
    try (HostVethPair pair = HostVethPair.named("enar").add(); KernelInterfaceTracker tracker = onHost(pair)) {
      assertThat(tracker.linkChangeMonitor()).isNotNull();
      Recorder first = new Recorder();
      tracker.refresh(first);
      assertThat(first.appearedNames()).containsExactlyInAnyOrder(pair.a(), pair.b());
      int oldIndex = pair.ifindexOfA();

      pair.delete();
      pair.add();
      assertThat(pair.ifindexOfA()).as("a new device").isNotEqualTo(oldIndex);

      Recorder again = new Recorder();
      tracker.refresh(again);
      assertThat(again.vanished).containsExactlyInAnyOrder(pair.a(), pair.b());
      assertThat(again.appearedNames()).containsExactlyInAnyOrder(pair.a(), pair.b());
      assertThat(again.appeared).filteredOn(s -> s.iface().name().equals(pair.a()))
          .singleElement().satisfies(s -> assertThat(s.iface().ifindex()).isEqualTo(pair.ifindexOfA()));
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
    try (HostVethPair pair = HostVethPair.named("enai");
        LinkChangeMonitor witness = LinkChangeMonitor.open();
        KernelInterfaceTracker tracker = onHost(pair)) {
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
      pair.add();
      Recorder changed = new Recorder();
      tracker.refresh(changed);
      assertThat(tracker.listings()).as("a link change makes the next pass list").isEqualTo(before + 1);
      assertThat(changed.appearedNames()).containsExactlyInAnyOrder(pair.a(), pair.b());
    }
  }

  /**
   * When reading the announcements fails (here: the socket's descriptor made to point to
   * /dev/null, so recv says ENOTSOCK), the tracker says so once and lists sysfs on every pass
   * from then on, still picking up new interfaces.
   */
  @Test
  void whenLinkChangesCannotBeReadItWarnsOnceAndListsEveryPass() throws Throwable {
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
    try (HostVethPair pair = HostVethPair.named("enaw"); KernelInterfaceTracker tracker = onHost(pair)) {
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

      pair.add();
      Recorder added = new Recorder();
      tracker.refresh(added);
      assertThat(added.appearedNames()).containsExactlyInAnyOrder(pair.a(), pair.b());
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

  /** A tracker of the real sysfs that includes only this pair's links. */
  private static KernelInterfaceTracker onHost(HostVethPair pair) throws EthtoolException {
    return onHost(new InterfaceSelector(List.of(pair.pattern()), List.of(), List.of()));
  }

  private static KernelInterfaceTracker onHost(InterfaceSelector selector) throws EthtoolException {
    return new KernelInterfaceTracker(InterfaceDiscovery.DEFAULT_ROOT, EthtoolReader.open(), selector, Set.of());
  }
}
