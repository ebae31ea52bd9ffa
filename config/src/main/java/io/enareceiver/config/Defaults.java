package io.enareceiver.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What applies when the file is silent. {@code ena-receiver.reference.yaml} spells out the same
 * values, and a test holds the two together.
 */
final class Defaults {
  private Defaults() {}

  static final Duration COLLECTION_INTERVAL = Duration.ofSeconds(15);
  static final Duration SAMPLING_INTERVAL = Duration.ofSeconds(1);
  /** Below one second the ioctl cost buys nothing: ENA refreshes its counters about once a second. */
  static final Duration MIN_SAMPLING_INTERVAL = Duration.ofSeconds(1);

  static final List<String> INCLUDE = List.of("*");
  /**
   * Loopback and interfaces that belong to pods, containers, tunnels and bridges. None of them is
   * an ENA (ENAs are eth*, ens*, enp*), and a Kubernetes node can have hundreds of them, so
   * skipping them by name saves a driver query per interface on every discovery.
   */
  static final List<String> EXCLUDE =
      List.of(
          "lo",
          "veth*", // container veth pairs (Docker, containerd, Calico's host side is cali*)
          "eni*", // Amazon VPC CNI pod interfaces (host side)
          "cali*", // Calico
          "cilium_*", // Cilium host/net/vxlan devices
          "lxc*", // Cilium pod interfaces
          "vxlan*", // VXLAN overlays, including vxlan.calico
          "flannel*", // flannel.1
          "cni*", // cni0 bridge
          "docker*", // docker0
          "br-*", // Docker user-defined bridges
          "kube-*", // kube-ipvs0, kube-bridge
          "nodelocaldns", // NodeLocal DNSCache dummy interface
          "tunl*", // IP-in-IP tunnels
          "ifb*", // intermediate functional blocks (traffic shaping)
          "dummy*",
          "virbr*"); // libvirt bridges
  static final List<String> DRIVERS = List.of("ena");

  static final List<String> STAT_INCLUDE = List.of("*");
  static final String REPLAY_DRIVER = "ena";

  static final String LOG_LEVEL = "info";
  static final String HEALTH_ENDPOINT = "127.0.0.1:13133";

  static final String OTLP = "otlp";
  static final String CONSOLE = "console";

  static InterfacesConfig interfaces() {
    return new InterfacesConfig(INCLUDE, EXCLUDE, DRIVERS);
  }

  static MetricSettings metric(String name) {
    boolean enabled = KnownMetrics.defaults().get(name);
    return name.equals(KnownMetrics.PATTERNED)
        ? new MetricSettings(enabled, STAT_INCLUDE, List.of())
        : new MetricSettings(enabled, List.of(), List.of());
  }

  static Map<String, MetricSettings> metrics() {
    Map<String, MetricSettings> metrics = new LinkedHashMap<>();
    KnownMetrics.defaults().keySet().forEach(name -> metrics.put(name, metric(name)));
    return metrics;
  }

  static EthtoolReceiverConfig ethtool() {
    return new EthtoolReceiverConfig(
        COLLECTION_INTERVAL, SAMPLING_INTERVAL, interfaces(), metrics(), List.of());
  }

  static TelemetryConfig telemetry() {
    return new TelemetryConfig(LOG_LEVEL, HEALTH_ENDPOINT);
  }

  static Config config() {
    return new Config(
        null, ethtool(), OtlpExporterConfig.unset(), false, List.of(OTLP), telemetry());
  }
}
