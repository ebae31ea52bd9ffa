package io.enareceiver.ethtool;

/**
 * What {@code ETHTOOL_GDRVINFO} says about an interface's driver ({@code ethtool -i}).
 *
 * @param driver          driver name, e.g. {@code ena}, {@code veth}
 * @param version         driver version, e.g. {@code 2.8.1g}
 * @param firmwareVersion firmware version, empty when the driver has none
 * @param busInfo         bus address, e.g. {@code 0000:00:05.0}; empty for virtual devices
 * @param statsCount      number of driver statistics ({@code n_stats}) at the time of the call
 */
public record DriverInfo(String driver, String version, String firmwareVersion, String busInfo,
    int statsCount) {}
