package io.enareceiver.ethtool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.enareceiver.ethtool.EthtoolException.Reason;
import io.enareceiver.testing.netns.NetnsFixture.EthtoolStat;
import io.enareceiver.testing.netns.NetnsFixture.Namespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link EthtoolReader} against the real kernel: a veth pair across two test namespaces and an
 * ifb that receives everything entering the second veth end, compared with {@code ethtool -S}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EthtoolReaderKernelTest {

  /** Names that exist only inside the test namespaces, so reading them proves which namespace a socket is in. */
  private static final String VETH_A = "enaTestA";
  private static final String VETH_B = "enaTestB";
  private static final String IFB = "enaTestIfb";

  private VethIfbReaders net;

  @BeforeAll
  void createInterfaces() throws EthtoolException {
    net = VethIfbReaders.create(VETH_A, VETH_B, IFB);
    // Give the ifb counters values other than zero, so the comparisons below compare something.
    net.sendUdpToB(25);
  }

  @AfterAll
  void deleteInterfaces() {
    if (net != null) {
      net.close();
    }
  }

  @Test
  void vethNamesAndValuesEqualEthtool() throws EthtoolException {
    assertMatchesEthtool(net.readerA(), net.nsA(), VETH_A);
  }

  @Test
  void ifbNamesAndValuesEqualEthtool() throws EthtoolException {
    String[] names = assertMatchesEthtool(net.readerB(), net.nsB(), IFB);
    assertThat(names).contains("rx_queue_0_packets", "rx_queue_0_bytes");
  }

  @Test
  void sendingDatagramsMovesTheIfbReceiveCounterByAtLeastTheirNumber() throws EthtoolException {
    int count = net.readerB().statsCount(IFB);
    List<String> names = Arrays.asList(net.readerB().readNames(IFB, count).names());
    int packets = names.indexOf("rx_queue_0_packets");
    int bytes = names.indexOf("rx_queue_0_bytes");
    long[] before = new long[count];
    long[] after = new long[count];
    assertThat(net.readerB().readValues(IFB, count, before)).isEqualTo(count);

    int sent = 200;
    net.sendUdpToB(sent);
    assertThat(net.readerB().readValues(IFB, count, after)).isEqualTo(count);

    long packetDelta = after[packets] - before[packets];
    // At least every datagram (anything else entering the veth end also counts); well under
    // twice as many, which a read of the wrong slot (bytes, tx) would not be.
    assertThat(packetDelta).isBetween((long) sent, 2L * sent - 1);
    // Each datagram is 17 bytes of payload + 8 UDP + 20 IPv4 (+ 14 Ethernet on this path).
    assertThat(after[bytes] - before[bytes]).isGreaterThanOrEqualTo(45L * sent);
  }

  @Test
  void driverInfoNamesTheVirtualDrivers() throws EthtoolException {
    DriverInfo veth = net.readerA().driverInfo(VETH_A);
    DriverInfo ifb = net.readerB().driverInfo(IFB);
    assertThat(veth.driver()).isEqualTo("veth");
    assertThat(ifb.driver()).isEqualTo("ifb");
    assertThat(veth.busInfo()).isEmpty();
    assertThat(veth.statsCount()).isEqualTo(net.readerA().statsCount(VETH_A)).isPositive();
    assertThat(ifb.statsCount()).isEqualTo(net.readerB().statsCount(IFB)).isPositive();
  }

  @Test
  void aSocketReadsTheNamespaceItWasCreatedInAndTheThreadIsSwitchedBack() throws Exception {
    Path self = Path.of("/proc/thread-self/ns/net");
    String before = Files.readSymbolicLink(self).toString();
    try (EthtoolReader inA = EthtoolReader.openInNamespace(net.nsA().file());
        EthtoolReader here = EthtoolReader.open()) {
      assertThat(Files.readSymbolicLink(self).toString()).isEqualTo(before);
      assertThat(inA.driverInfo(VETH_A).driver()).isEqualTo("veth");
      assertThat(catchEthtool(() -> here.statsCount(VETH_A)).reason()).isEqualTo(Reason.NO_DEVICE);
    }
  }

  @Test
  void missingInterfaceIsNoDeviceForEveryOperation() {
    String name = "enaNoSuch0";
    EthtoolException count = catchEthtool(() -> net.readerA().statsCount(name));
    assertThat(count.reason()).isEqualTo(Reason.NO_DEVICE);
    assertThat(count.errno()).isEqualTo(19);
    assertThat(count.interfaceName()).isEqualTo(name);
    assertThat(count).hasMessage("enaNoSuch0: ETHTOOL_GSSET_INFO failed: No such device (ENODEV)");
    assertThat(count.getStackTrace()).as("a kernel answer carries no stack trace").isEmpty();
    assertThat(catchEthtool(() -> net.readerA().readNames(name, 4)))
        .hasMessage("enaNoSuch0: ETHTOOL_GSTRINGS failed: No such device (ENODEV)");
    assertThat(catchEthtool(() -> net.readerA().readValues(name, 4, new long[4])))
        .hasMessage("enaNoSuch0: ETHTOOL_GSTATS failed: No such device (ENODEV)");
    assertThat(catchEthtool(() -> net.readerA().driverInfo(name)))
        .hasMessage("enaNoSuch0: ETHTOOL_GDRVINFO failed: No such device (ENODEV)");
  }

  @Test
  void loopbackHasNoStatisticsAndSaysSo() throws EthtoolException {
    // GSSET_INFO succeeds but clears the ETH_SS_STATS bit; the other calls fail with EOPNOTSUPP.
    assertThat(net.readerA().statsCount("lo")).isZero();
    EthtoolException values = catchEthtool(() -> net.readerA().readValues("lo", 1, new long[1]));
    assertThat(values.reason()).isEqualTo(Reason.NOT_SUPPORTED);
    assertThat(values.errno()).isEqualTo(95);
    assertThat(values).hasMessage("lo: ETHTOOL_GSTATS failed: Operation not supported (EOPNOTSUPP)");
    assertThat(catchEthtool(() -> net.readerA().readNames("lo", 1)))
        .hasMessage("lo: ETHTOOL_GSTRINGS failed: Operation not supported (EOPNOTSUPP)");
  }

  @Test
  void invalidNamesAreRejectedBeforeAnySystemCall() {
    EthtoolReader closed;
    try {
      closed = EthtoolReader.openInNamespace(net.nsA().file());
    } catch (EthtoolException e) {
      throw new AssertionError(e);
    }
    closed.close();
    // On a closed reader a name that reached the ioctl path would be "closed"; these never get there.
    assertThatThrownBy(() -> closed.statsCount("sixteen-chars-xx"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("interface name \"sixteen-chars-xx\" is 16 bytes long; Linux interface names are at most 15 bytes");
    assertThatThrownBy(() -> closed.readValues("a/b", 1, new long[1]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'/'");
    assertThatThrownBy(() -> closed.readNames("a\0b", 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL");
    assertThatThrownBy(() -> closed.driverInfo("eth0:1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("':'");
    assertThatThrownBy(() -> closed.statsCount("lo")).isInstanceOf(IllegalStateException.class)
        .hasMessage("EthtoolReader is closed");
    // Fifteen bytes is the longest legal name: it reaches the kernel, which knows no such device.
    assertThat(catchEthtool(() -> net.readerA().statsCount("fifteen-chars-x")).reason()).isEqualTo(Reason.NO_DEVICE);
  }

  @Test
  void aCountOfZeroIsNeverPassedToTheKernel() {
    assertThatThrownBy(() -> net.readerA().readValues(VETH_A, 0, new long[8]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0");
    assertThatThrownBy(() -> net.readerA().readNames(VETH_A, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 0");
  }

  @Test
  void openingANamespaceFromAVirtualThreadIsRefused() throws InterruptedException {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread.ofVirtual().start(() -> thrown.set(catchThrowable(() -> EthtoolReader.openInNamespace(net.nsA().file()))))
        .join();
    assertThat(thrown.get()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("from a virtual thread");
  }

  @Test
  void badNamespaceFilesAreReportedWithTheFileAndErrno() {
    EthtoolException missing = catchEthtool(() -> EthtoolReader.openInNamespace(Path.of("/nonexistent/netns")));
    assertThat(missing).hasMessage(
        "cannot open network namespace /nonexistent/netns: No such file or directory (ENOENT)");
    EthtoolException notNet = catchEthtool(
        () -> EthtoolReader.openInNamespace(Path.of("/proc/thread-self/ns/uts")));
    assertThat(notNet.errno()).isEqualTo(22);
    assertThat(notNet).hasMessageContaining("cannot enter network namespace /proc/thread-self/ns/uts")
        .hasMessageContaining("EINVAL");
  }

  /**
   * Reads names and values, runs {@code ethtool -S}, reads values again. Names must be equal
   * exactly. A counter only grows, and ethtool read between our two reads, so its value must lie
   * in [first, second] (unsigned); the namespaces carry no traffic of their own (IPv6 off, static
   * neighbours), so in practice the interval is a single value and this is an equality.
   */
  private String[] assertMatchesEthtool(EthtoolReader reader, Namespace ns, String dev)
      throws EthtoolException {
    int count = reader.statsCount(dev);
    String[] names = reader.readNames(dev, count).names();
    long[] first = new long[count];
    long[] second = new long[count];
    assertThat(reader.readValues(dev, count, first)).isEqualTo(count);
    List<EthtoolStat> ethtool = net.fixture().ethtoolStats(ns, dev);
    assertThat(reader.readValues(dev, count, second)).isEqualTo(count);

    assertThat(names).hasSize(count);
    assertThat(ethtool).extracting(EthtoolStat::name).containsExactly(names);
    for (int i = 0; i < count; i++) {
      long theirs = ethtool.get(i).unsignedValue();
      assertThat(Long.compareUnsigned(first[i], theirs) <= 0 && Long.compareUnsigned(theirs, second[i]) <= 0)
          .as("%s %s: ethtool says %s, we read %s then %s", dev, names[i], ethtool.get(i).value(),
              EthtoolAbi.formatUnsigned(first[i]), EthtoolAbi.formatUnsigned(second[i]))
          .isTrue();
    }
    assertThat(Arrays.stream(first).anyMatch(v -> v != 0)).as("%s has a non-zero statistic", dev).isTrue();
    return names;
  }

  interface EthtoolCall {
    Object call() throws Exception;
  }

  static EthtoolException catchEthtool(EthtoolCall call) {
    Throwable t = catchThrowable(call::call);
    assertThat(t).isInstanceOf(EthtoolException.class);
    return (EthtoolException) t;
  }
}
