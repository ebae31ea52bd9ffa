package io.enareceiver.ethtool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery over a fake sysfs tree laid out like {@code /sys/class/net}. */
class InterfaceDiscoveryTest {

  @TempDir
  Path sys;

  @Test
  void readsNameIndexMacDriverFromTheDriverLinkAndOperstate() throws IOException {
    Path eth0 = iface("eth0", "2", "0A:1B:2C:3D:4E:5F", "up");
    Path drivers = Files.createDirectories(sys.resolve("bus/pci/drivers/ena"));
    Files.createDirectories(eth0.resolve("device"));
    Files.createSymbolicLink(eth0.resolve("device/driver"), drivers);
    iface("lo", "1", "00:00:00:00:00:00", "unknown");

    InterfaceDiscovery.Result result = new InterfaceDiscovery(sys.resolve("class/net")).discover();

    assertThat(result.interfaces()).containsExactly(
        new NetInterface("lo", 1, "00:00:00:00:00:00", "", "unknown"),
        new NetInterface("eth0", 2, "0a:1b:2c:3d:4e:5f", "ena", "up"));
    assertThat(result.skipped()).isEmpty();
  }

  @Test
  void virtualDevicesWithoutDriverLinkUseTheFallback() throws IOException {
    iface("veth1", "5", "aa:bb:cc:dd:ee:ff", "up");
    iface("lo", "1", "00:00:00:00:00:00", "unknown");

    InterfaceDiscovery discovery = new InterfaceDiscovery(sys.resolve("class/net"),
        name -> name.startsWith("veth") ? "veth" : "");

    assertThat(discovery.discover().interfaces())
        .extracting(NetInterface::name, NetInterface::driver)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("lo", ""),
            org.assertj.core.groups.Tuple.tuple("veth1", "veth"));
  }

  @Test
  void unreadableEntriesAreSkippedWithAReason() throws IOException {
    iface("eth0", "2", "02:00:00:00:00:01", "up");
    iface("bad0", "not-a-number", "02:00:00:00:00:02", "up");
    Files.createDirectories(sys.resolve("class/net/noindex0"));
    Files.writeString(sys.resolve("class/net/bonding_masters"), "bond0\n");
    Files.createSymbolicLink(sys.resolve("class/net/gone0"), sys.resolve("devices/virtual/net/gone0"));
    // Missing address and operstate are not worth skipping for: they default.
    Path bare = Files.createDirectories(sys.resolve("class/net/bare0"));
    Files.writeString(bare.resolve("ifindex"), "9\n");

    InterfaceDiscovery.Result result = new InterfaceDiscovery(sys.resolve("class/net")).discover();

    assertThat(result.interfaces()).containsExactly(
        new NetInterface("eth0", 2, "02:00:00:00:00:01", "", "up"),
        new NetInterface("bare0", 9, "", "", "unknown"));
    assertThat(result.skipped()).extracting(InterfaceDiscovery.Skipped::name)
        .containsExactly("bad0", "bonding_masters", "gone0", "noindex0");
    assertThat(result.skipped().get(0).reason())
        .endsWith("bad0/ifindex: expected a positive integer, found \"not-a-number\"");
    assertThat(result.skipped().get(1).reason()).startsWith("not an interface directory");
    assertThat(result.skipped().get(3).reason()).contains("noindex0/ifindex");
  }

  @Test
  void aMissingRootIsAnIOExceptionNamingIt() {
    Path missing = sys.resolve("nope");
    assertThatThrownBy(() -> new InterfaceDiscovery(missing).discover())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot list network interfaces in " + missing);
  }

  private Path iface(String name, String ifindex, String mac, String operstate) throws IOException {
    Path dir = Files.createDirectories(sys.resolve("class/net").resolve(name));
    Files.writeString(dir.resolve("ifindex"), ifindex + "\n");
    Files.writeString(dir.resolve("address"), mac + "\n");
    Files.writeString(dir.resolve("operstate"), operstate + "\n");
    return dir;
  }
}
