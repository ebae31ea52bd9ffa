package io.enareceiver.ethtool;

import java.util.Objects;

/**
 * A network interface as the receiver sees it: what {@code /sys/class/net} (or a replay entry)
 * says about it. The MAC address is how an interface is matched to its ENI in instance metadata.
 *
 * @param name      kernel interface name, e.g. {@code eth0}
 * @param ifindex   kernel interface index, 0 when unknown (replayed interfaces)
 * @param mac       MAC address in lower-case colon form, empty when unknown
 * @param driver    driver name from {@code device/driver}, e.g. {@code ena}; empty when none (virtual)
 * @param operState operational state from {@code operstate}, e.g. {@code up}, {@code down}, {@code unknown}
 */
public record NetInterface(String name, int ifindex, String mac, String driver, String operState) {
  public NetInterface {
    Objects.requireNonNull(name, "name");
    mac = mac == null ? "" : mac;
    driver = driver == null ? "" : driver;
    operState = operState == null ? "unknown" : operState;
  }
}
