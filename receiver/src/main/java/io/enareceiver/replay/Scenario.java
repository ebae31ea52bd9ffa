package io.enareceiver.replay;

import io.enareceiver.ena.Capture;
import io.enareceiver.ethtool.NetInterface;
import java.util.List;
import java.util.Objects;

/**
 * A built-in replay scenario: the simulated interface it describes and its captures in play
 * order (one per sampling interval).
 *
 * @param name          scenario name, as in {@code builtin:NAME}
 * @param interfaceName interface name from the index, e.g. {@code eth0}
 * @param mac           MAC address from the index, lower-case colon form
 * @param driver        driver from the index, e.g. {@code ena}
 * @param captures      parsed captures in order
 */
public record Scenario(String name, String interfaceName, String mac, String driver, List<Capture> captures) {
  public Scenario {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(interfaceName, "interfaceName");
    Objects.requireNonNull(mac, "mac");
    Objects.requireNonNull(driver, "driver");
    captures = List.copyOf(captures);
  }

  /** The simulated interface: no kernel index, always up. */
  public NetInterface iface() {
    return ReplayStatSource.replayInterface(interfaceName, mac, driver);
  }
}
