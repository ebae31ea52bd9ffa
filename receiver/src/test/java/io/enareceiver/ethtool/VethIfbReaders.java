package io.enareceiver.ethtool;

import io.enareceiver.testing.netns.NetnsFixture;
import io.enareceiver.testing.netns.NetnsFixture.Namespace;

/**
 * The kernel tests' topology: a veth pair across two fresh namespaces, an ifb receiving the
 * ingress of the second end, and one reader per namespace. Closing it closes the readers, then
 * deletes the namespaces.
 */
record VethIfbReaders(NetnsFixture fixture, Namespace nsA, Namespace nsB, EthtoolReader readerA, EthtoolReader readerB)
    implements AutoCloseable {

  static VethIfbReaders create(String vethA, String vethB, String ifb) throws EthtoolException {
    NetnsFixture fixture = NetnsFixture.create();
    EthtoolReader a = null;
    try {
      Namespace nsA = fixture.namespace();
      Namespace nsB = fixture.namespace();
      fixture.vethPair(nsA, vethA, nsB, vethB, 4);
      fixture.ifbIngressOf(nsB, vethB, ifb);
      a = EthtoolReader.openInNamespace(nsA.file());
      return new VethIfbReaders(fixture, nsA, nsB, a, EthtoolReader.openInNamespace(nsB.file()));
    } catch (RuntimeException | EthtoolException | Error e) {
      if (a != null) {
        a.close();
      }
      fixture.close();
      throw e;
    }
  }

  @Override
  public void close() {
    readerA.close();
    readerB.close();
    fixture.close();
  }
}
