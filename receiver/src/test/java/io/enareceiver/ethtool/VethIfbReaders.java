package io.enareceiver.ethtool;

import io.enareceiver.testing.netns.NetnsFixture;
import io.enareceiver.testing.netns.NetnsFixture.EthtoolStat;
import io.enareceiver.testing.netns.NetnsFixture.Namespace;
import io.enareceiver.testing.netns.NetnsFixture.VethPair;
import java.util.List;

/**
 * The kernel tests' topology: a veth pair across two fresh namespaces, an ifb receiving the
 * ingress of the second end, and one reader per namespace. Closing it closes the readers, then
 * deletes the namespaces.
 *
 * <p>Tests hold the one instance and ask it for what they use ({@code net.readerA()}), rather
 * than copying its parts into fields of their own.
 */
record VethIfbReaders(NetnsFixture fixture, VethPair veth, EthtoolReader readerA, EthtoolReader readerB)
    implements AutoCloseable {

  static VethIfbReaders create(String vethA, String vethB, String ifb) throws EthtoolException {
    NetnsFixture fixture = NetnsFixture.create();
    EthtoolReader a = null;
    try {
      Namespace nsA = fixture.namespace();
      Namespace nsB = fixture.namespace();
      VethPair veth = fixture.vethPair(nsA, vethA, nsB, vethB, 4);
      fixture.ifbIngressOf(nsB, vethB, ifb);
      a = EthtoolReader.openInNamespace(nsA.file());
      return new VethIfbReaders(fixture, veth, a, EthtoolReader.openInNamespace(nsB.file()));
    } catch (RuntimeException | EthtoolException | Error e) {
      if (a != null) {
        a.close();
      }
      fixture.close();
      throw e;
    }
  }

  /** The namespace of the first veth end, which {@link #readerA()} reads. */
  Namespace nsA() {
    return veth.nsA();
  }

  /** The namespace of the second veth end and the ifb, which {@link #readerB()} reads. */
  Namespace nsB() {
    return veth.nsB();
  }

  /** Sends UDP datagrams from the first end to the second: they enter the second end and the ifb. */
  void sendUdpToB(int datagrams) {
    fixture.sendUdp(veth.nsA(), veth.addrB(), datagrams);
  }

  /** The statistic names {@code ethtool -S} shows for {@code dev} in {@code ns}. */
  List<String> ethtoolNames(Namespace ns, String dev) {
    return fixture.ethtoolStats(ns, dev).stream().map(EthtoolStat::name).toList();
  }

  @Override
  public void close() {
    readerA.close();
    readerB.close();
    fixture.close();
  }
}
