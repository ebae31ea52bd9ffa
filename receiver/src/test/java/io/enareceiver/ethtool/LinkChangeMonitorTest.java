package io.enareceiver.ethtool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.enareceiver.testing.netns.NetnsFixture;
import io.enareceiver.testing.netns.NetnsFixture.Namespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LinkChangeMonitor} against the real kernel, in a fresh namespace of its own: only the
 * links this test adds, changes and deletes there can be announced, so "nothing changed" is
 * exact.
 */
class LinkChangeMonitorTest {

  private NetnsFixture fixture;
  private Namespace ns;
  private LinkChangeMonitor monitor;

  @BeforeEach
  void openInAFreshNamespace() throws Exception {
    fixture = NetnsFixture.create();
    ns = fixture.namespace();
    monitor = NetNamespaces.callIn(ns.file(), LinkChangeMonitor::open);
    monitor.drainChanges(); // whatever creating the namespace announced before the socket existed
  }

  @AfterEach
  void close() {
    if (monitor != null) {
      monitor.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void reportsLinksAddedChangedRenamedAndDeletedAndNothingElse() throws EthtoolException {
    assertThat(monitor.drainChanges()).as("nothing happened").isFalse();
    assertThat(monitor.drainChanges()).as("still nothing").isFalse();

    ip("link", "add", "enaLcA", "type", "veth", "peer", "name", "enaLcB");
    assertThat(monitor.drainChanges()).as("after link add").isTrue();
    assertThat(monitor.drainChanges()).as("drained").isFalse();

    // No "false" right after "up": the kernel may announce the carrier state later (linkwatch).
    ip("link", "set", "enaLcA", "up");
    assertThat(monitor.drainChanges()).as("after link up").isTrue();

    ip("link", "set", "enaLcA", "down");
    monitor.drainChanges();
    ip("link", "set", "enaLcA", "name", "enaLcR");
    assertThat(monitor.drainChanges()).as("after rename").isTrue();

    ip("link", "del", "enaLcR");
    assertThat(monitor.drainChanges()).as("after link del").isTrue();
    assertThat(monitor.drainChanges()).as("nothing left once the links are gone").isFalse();
  }

  @Test
  void linksInAnotherNamespaceAreNotAnnounced() throws EthtoolException {
    Namespace other = fixture.namespace();
    fixture.execIn(other, "ip", "link", "add", "enaLcO", "type", "veth", "peer", "name", "enaLcP");
    fixture.execIn(other, "ip", "link", "del", "enaLcO");
    assertThat(monitor.drainChanges()).isFalse();
  }

  @Test
  void manyChangesWithoutDrainingAreOneChangeAndThenQuiet() throws EthtoolException {
    addAndDeleteVethPairs(150); // 300 links
    assertThat(monitor.drainChanges()).isTrue();
    assertThat(monitor.drainChanges()).as("everything read in one drain").isFalse();
  }

  /**
   * With a receive buffer the size of a message or two, the kernel drops what does not fit and
   * {@code recv} says ENOBUFS once: that is a change (something happened, no telling what), not
   * an error, and what did fit is still read.
   */
  @Test
  void messagesDroppedByTheKernelCountAsAChange() throws Throwable {
    TestSyscalls.setReceiveBuffer(monitor.fd(), 1); // the kernel's minimum, a few KiB
    addAndDeleteVethPairs(20);

    assertThat(monitor.drainChanges()).isTrue();
    assertThat(monitor.overrunCount()).as("the kernel reported dropped messages (ENOBUFS)").isPositive();
    assertThat(monitor.drainChanges()).isFalse();
  }

  @Test
  void aFailedReceiveIsReportedWithTheErrno() throws Throwable {
    TestSyscalls.replaceWithDevNull(monitor.fd());

    assertThatThrownBy(monitor::drainChanges)
        .isInstanceOfSatisfying(EthtoolException.class, e -> assertThat(e.errno()).isEqualTo(LinuxErrno.ENOTSOCK))
        .hasMessage("cannot watch link changes through rtnetlink: recv failed: Socket operation on non-socket (ENOTSOCK)");
  }

  @Test
  void aClosedMonitorRefusesToDrainAndClosesOnce() {
    monitor.close();
    monitor.close();
    assertThat(monitor.fd()).isEqualTo(-1);
    assertThatThrownBy(monitor::drainChanges).isInstanceOf(IllegalStateException.class)
        .hasMessage("LinkChangeMonitor is closed");
  }

  /**
   * The receiver runs non-root with every capability dropped: joining the link group must not
   * need one. Capabilities belong to a thread on Linux, so a thread of its own enters the test
   * namespace (for good: it ends right after), drops its effective set (checked in /proc) and
   * opens the monitor there.
   */
  @Test
  void openingAndReadingNeedNoCapability() throws Exception {
    CompletableFuture<String> capabilities = new CompletableFuture<>();
    CompletableFuture<LinkChangeMonitor> opened = new CompletableFuture<>();
    Thread.ofPlatform().start(() -> {
      try {
        TestSyscalls.enterNetworkNamespaceForGood(ns.file());
        TestSyscalls.dropEffectiveCapabilitiesOfThisThread();
        capabilities.complete(TestSyscalls.effectiveCapabilitiesOfThisThread());
        opened.complete(LinkChangeMonitor.open());
      } catch (Throwable t) {
        capabilities.completeExceptionally(t);
        opened.completeExceptionally(t);
      }
    }).join();
    assertThat(capabilities.get()).as("effective capabilities of the opening thread").isEqualTo("0000000000000000");
    LinkChangeMonitor unprivileged;
    try {
      unprivileged = opened.get();
    } catch (ExecutionException e) {
      throw new AssertionError("opening without capabilities failed: " + e.getCause(), e.getCause());
    }
    try (unprivileged) {
      assertThat(unprivileged.drainChanges()).isFalse();
      ip("link", "add", "enaLcU", "type", "veth", "peer", "name", "enaLcV");
      assertThat(unprivileged.drainChanges()).isTrue();
    }
  }

  /**
   * Steady state is what every sampling pass pays: exactly one {@code recv} and no allocation.
   * As in {@code KernelStatSourceTest}: drain in rounds of 10 000 until the JIT has compiled
   * the FFM path (bounded), then a full round must allocate zero bytes on this thread.
   */
  @Test
  void aQuietDrainIsOneReceiveAndAllocatesNothing() throws EthtoolException {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    NetnsFixture.requireOrSkip(threads.isThreadAllocatedMemorySupported(),
        "this JVM cannot count allocated bytes per thread");
    threads.setThreadAllocatedMemoryEnabled(true);

    long allocated = -1;
    for (int round = 0; round < 40 && allocated != 0; round++) {
      allocated = allocatedBy10000Drains(threads);
    }
    long receivesBefore = monitor.receiveCount();
    allocated = allocatedBy10000Drains(threads);

    assertThat(monitor.receiveCount() - receivesBefore).as("recv calls for 10 000 quiet drains").isEqualTo(10_000);
    assertThat(allocated).as("bytes allocated by 10 000 quiet drains").isZero();
  }

  private long allocatedBy10000Drains(com.sun.management.ThreadMXBean threads) throws EthtoolException {
    boolean changed = false;
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 10_000; i++) {
      changed |= monitor.drainChanges();
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(changed).as("a quiet namespace announced a change").isFalse();
    return allocated;
  }

  private void ip(String... args) {
    List<String> command = new ArrayList<>(List.of("ip", "-n", ns.name()));
    command.addAll(List.of(args));
    NetnsFixture.exec(command.toArray(String[]::new));
  }

  /** Adds {@code pairs} veth pairs in the namespace, then deletes them, in two {@code ip -batch} runs. */
  private void addAndDeleteVethPairs(int pairs) {
    List<String> add = new ArrayList<>();
    List<String> del = new ArrayList<>();
    for (int i = 0; i < pairs; i++) {
      add.add("link add enaLm" + i + "a type veth peer name enaLm" + i + "b");
      del.add("link del enaLm" + i + "a");
    }
    batch(add);
    batch(del);
  }

  private void batch(List<String> lines) {
    try {
      Path file = Files.createTempFile("ip-batch", ".txt");
      try {
        Files.write(file, lines);
        NetnsFixture.exec("ip", "-n", ns.name(), "-batch", file.toString());
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
