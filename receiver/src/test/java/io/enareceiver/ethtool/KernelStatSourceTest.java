package io.enareceiver.ethtool;

import static io.enareceiver.ethtool.EthtoolReaderKernelTest.catchEthtool;
import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.ethtool.EthtoolException.Reason;
import io.enareceiver.testing.netns.NetnsFixture;
import io.enareceiver.testing.netns.NetnsFixture.Namespace;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link KernelStatSource} on veth and ifb interfaces in fresh test namespaces. */
class KernelStatSourceTest {

  private static final String VETH_A = "enaSrcA";
  private static final String VETH_B = "enaSrcB";
  private static final String IFB = "enaSrcIfb";

  private VethIfbReaders net;

  @BeforeEach
  void createInterfaces() throws EthtoolException {
    net = VethIfbReaders.create(VETH_A, VETH_B, IFB);
  }

  @AfterEach
  void deleteInterfaces() {
    if (net != null) {
      net.close();
    }
  }

  @Test
  void steadyReadsKeepTheNamesAndRefreshTheValues() throws EthtoolException {
    long[] clock = {1_000L};
    KernelStatSource source = new KernelStatSource(iface(IFB), net.readerB(), () -> clock[0]);
    StatSnapshot snapshot = new StatSnapshot();

    long ioctlsBefore = net.readerB().ioctlCount();
    source.read(snapshot);
    // The first read learns count and names: GSSET_INFO, GSTRINGS, GSTATS.
    assertThat(net.readerB().ioctlCount() - ioctlsBefore).isEqualTo(3);
    String[] names = snapshot.names();
    long generation = snapshot.namesGeneration();
    int packets = snapshot.indexOf("rx_queue_0_packets");
    long before = snapshot.values()[packets];
    assertThat(generation).isEqualTo(1);
    assertThat(snapshot.epochNanos()).isEqualTo(1_000L);
    assertNamesEqualEthtool(snapshot, net.nsB(), IFB);

    net.sendUdpToB(10);
    clock[0] = 2_000L;
    long ioctlsBeforeSteadyRead = net.readerB().ioctlCount();
    source.read(snapshot);

    // Steady state: one GSTATS with the known count, nothing else.
    assertThat(net.readerB().ioctlCount() - ioctlsBeforeSteadyRead).as("system calls of a steady-state read")
        .isEqualTo(1);
    assertThat(snapshot.names()).isSameAs(names);
    assertThat(snapshot.namesGeneration()).isEqualTo(generation);
    assertThat(snapshot.values()[packets] - before).isGreaterThanOrEqualTo(10);
    assertThat(snapshot.epochNanos()).isEqualTo(2_000L);
  }

  @Test
  void aNewSnapshotGetsTheNamesWithoutConfusingTheOldOne() throws EthtoolException {
    KernelStatSource source = new KernelStatSource(iface(VETH_A), net.readerA());
    StatSnapshot first = new StatSnapshot();
    StatSnapshot second = new StatSnapshot();
    source.read(first);
    source.read(second);
    assertThat(second.count()).isEqualTo(first.count()).isPositive();
    assertThat(second.names()).isSameAs(first.names());
    assertThat(second.namesGeneration()).isEqualTo(1);
    source.read(first);
    assertThat(first.namesGeneration()).isEqualTo(1);
  }

  /**
   * The veth driver's statistics count follows its queue count, as ENA's does: after
   * {@code ethtool -L} the next read must notice, re-read the names and bump the generation.
   */
  @Test
  void changingTheQueueCountReReadsTheNames() throws EthtoolException {
    KernelStatSource source = new KernelStatSource(iface(VETH_A), net.readerA());
    StatSnapshot snapshot = new StatSnapshot();
    source.read(snapshot);
    int fourQueues = snapshot.count();
    long generation = snapshot.namesGeneration();
    assertThat(snapshot.indexOf("rx_queue_3_drops")).isNotNegative();

    setQueuesOfVethA(2);
    long ioctlsBefore = net.readerA().ioctlCount();
    source.read(snapshot);

    // No count was asked first: GSTATS's answer told of the change, then GSSET_INFO, GSTRINGS, GSTATS.
    assertThat(net.readerA().ioctlCount() - ioctlsBefore).isEqualTo(4);
    assertThat(snapshot.count()).isLessThan(fourQueues);
    assertThat(snapshot.namesGeneration()).isGreaterThan(generation);
    assertThat(snapshot.indexOf("rx_queue_3_drops")).isEqualTo(-1);
    assertNamesEqualEthtool(snapshot, net.nsA(), VETH_A);

    // And back up: the count grows past what the buffers were first sized for... or not; either way it must fit.
    setQueuesOfVethA(4);
    source.read(snapshot);
    assertThat(snapshot.count()).isEqualTo(fourQueues);
    assertNamesEqualEthtool(snapshot, net.nsA(), VETH_A);
  }

  /**
   * What the kernel does with a stale count: it must not write a number of entries other than
   * the one it answers, and the reader must leave the caller's array alone on a mismatch.
   */
  @Test
  void aStaleCountIsAnsweredWithADifferentCountAndNothingIsCopied() throws EthtoolException {
    int stale = net.readerA().statsCount(VETH_A);
    // Size the buffers as a source would have.
    assertThat(net.readerA().readNames(VETH_A, stale).matches(stale)).isTrue();
    setQueuesOfVethA(1);

    long[] values = new long[stale];
    Arrays.fill(values, 0x5A5A5A5A5A5A5A5AL);
    int answered = net.readerA().readValues(VETH_A, stale, values);

    assertThat(answered).isNotEqualTo(stale);
    assertThat(values).containsOnly(0x5A5A5A5A5A5A5A5AL);
    EthtoolReader.Names names = net.readerA().readNames(VETH_A, stale);
    assertThat(names.matches(stale)).isFalse();
    assertThat(names.answered()).isNotEqualTo(stale);
    assertThat(names.names()).isEmpty();
  }

  @Test
  void loopbackIsNotSupportedAndAMissingInterfaceIsNoDevice() {
    KernelStatSource lo = new KernelStatSource(iface("lo"), net.readerA());
    EthtoolException notSupported = catchEthtool(() -> {
      lo.read(new StatSnapshot());
      return null;
    });
    assertThat(notSupported.reason()).isEqualTo(Reason.NOT_SUPPORTED);
    assertThat(notSupported).hasMessage("lo: ETHTOOL_GSSET_INFO: the driver has no statistics (not supported)");

    KernelStatSource gone = new KernelStatSource(iface("enaGone0"), net.readerA());
    EthtoolException noDevice = catchEthtool(() -> {
      gone.read(new StatSnapshot());
      return null;
    });
    assertThat(noDevice.reason()).isEqualTo(Reason.NO_DEVICE);
    assertThat(noDevice).hasMessage("enaGone0: ETHTOOL_GSSET_INFO failed: No such device (ENODEV)");
  }

  /**
   * The sampling loop must not allocate. Our code creates nothing per read, but before the JIT
   * has compiled the FFM plumbing (downcall, segment access) the JDK's interpreted paths
   * allocate a few dozen bytes per call. So: read in rounds of 10 000 until a round allocates
   * nothing (bounded), then require that the next full round allocates zero bytes on this
   * thread. An allocation count, not a timing: any object our code kept per read (a string, a
   * boxed value, a segment stored in a field) would escape and never reach zero.
   */
  @Test
  void steadyStateReadsAllocateNothing() throws EthtoolException {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    NetnsFixture.requireOrSkip(threads.isThreadAllocatedMemorySupported(),
        "this JVM cannot count allocated bytes per thread");
    threads.setThreadAllocatedMemoryEnabled(true);
    KernelStatSource source = new KernelStatSource(iface(IFB), net.readerB());
    StatSnapshot snapshot = new StatSnapshot();
    source.read(snapshot);
    long generation = snapshot.namesGeneration();

    long allocated = -1;
    for (int round = 0; round < 40 && allocated != 0; round++) {
      allocated = allocatedBy10000Reads(threads, source, snapshot);
    }
    allocated = allocatedBy10000Reads(threads, source, snapshot);

    assertThat(snapshot.namesGeneration()).isEqualTo(generation);
    assertThat(allocated).as("bytes allocated by 10 000 steady-state reads").isZero();
  }

  private static long allocatedBy10000Reads(com.sun.management.ThreadMXBean threads,
      KernelStatSource source, StatSnapshot snapshot) throws EthtoolException {
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 10_000; i++) {
      source.read(snapshot);
    }
    return threads.getCurrentThreadAllocatedBytes() - before;
  }

  private void assertNamesEqualEthtool(StatSnapshot snapshot, Namespace ns, String dev) {
    assertThat(Arrays.copyOf(snapshot.names(), snapshot.count())).containsExactlyElementsOf(net.ethtoolNames(ns, dev));
  }

  /** {@code ethtool -L}: as many rx and tx queues on the first veth end. */
  private void setQueuesOfVethA(int queues) {
    String q = Integer.toString(queues);
    net.fixture().execIn(net.nsA(), "ethtool", "-L", VETH_A, "rx", q, "tx", q);
  }

  private static NetInterface iface(String name) {
    return new NetInterface(name, 0, "", "", "up");
  }
}
