package io.enareceiver.ethtool;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.testing.netns.NetnsFixture;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Discovery over the real {@code /sys/class/net}. sysfs shows the namespace it was mounted in
 * (this process's), and a JVM cannot {@code ip netns exec} itself, so this one test creates a
 * uniquely named veth pair and an ifb in the current namespace and deletes them afterwards.
 */
class InterfaceDiscoveryKernelTest {

  @Test
  void findsVirtualInterfacesWithIndexMacAndDriverFromEthtool() throws IOException, EthtoolException {
    NetnsFixture.create().close(); // prerequisites: root, ip, tc, ethtool (skips or fails)
    long tag = ProcessHandle.current().pid() % 100_000;
    String veth = "enadv" + tag;
    String peer = "enadp" + tag;
    String ifb = "enadi" + tag;
    NetnsFixture.exec("ip", "link", "add", veth, "type", "veth", "peer", "name", peer);
    try {
      NetnsFixture.exec("ip", "link", "add", ifb, "type", "ifb");
      try (EthtoolReader reader = EthtoolReader.open()) {
        InterfaceDiscovery.Result result = new InterfaceDiscovery(InterfaceDiscovery.DEFAULT_ROOT,
            InterfaceDiscovery.ethtoolFallback(reader)).discover();

        NetInterface found = find(result, veth).orElseThrow(() -> new AssertionError(veth + " not in " + result));
        String sysIndex = NetnsFixture.exec("cat", "/sys/class/net/" + veth + "/ifindex").strip();
        String sysMac = NetnsFixture.exec("cat", "/sys/class/net/" + veth + "/address").strip();
        assertThat(found.ifindex()).isEqualTo(Integer.parseInt(sysIndex));
        assertThat(found.mac()).isEqualTo(sysMac).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
        // veth has no device/driver link; the name comes from ETHTOOL_GDRVINFO.
        assertThat(found.driver()).isEqualTo("veth");
        assertThat(found.operState()).isEqualTo("down");
        assertThat(find(result, ifb).map(NetInterface::driver)).contains("ifb");
        // lo answers GDRVINFO with EOPNOTSUPP: no driver, and no crash.
        assertThat(find(result, "lo").map(NetInterface::driver)).contains("");
      }
    } finally {
      NetnsFixture.run("ip", "link", "del", ifb);
      NetnsFixture.exec("ip", "link", "del", veth);
    }
  }

  private static Optional<NetInterface> find(InterfaceDiscovery.Result result, String name) {
    return result.interfaces().stream().filter(i -> i.name().equals(name)).findFirst();
  }
}
