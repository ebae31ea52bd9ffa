package io.enareceiver.it.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The receiver configuration a scenario runs, written the way a user writes it: short intervals so
 * scenarios finish quickly, OTLP/gRPC to the test collector, health on a free loopback port.
 *
 * <p>Kernel interfaces are off unless a scenario asks for them (an include pattern no interface
 * has): a CI runner on EC2 has real ENA interfaces, and their series must not mix with the replay's.
 */
final class ReceiverYaml {
  private String collectionInterval = "5s";
  private List<String> include = List.of("e2e-no-kernel-interface");
  private List<String> exclude = List.of();
  private List<String> drivers = List.of("ena");
  private List<String> ethtoolStat; // null: ethtool.stat off
  private final List<String> replays = new ArrayList<>();
  private int otlpPort = -1;

  static ReceiverYaml create() {
    return new ReceiverYaml();
  }

  ReceiverYaml collectionInterval(String interval) {
    this.collectionInterval = interval;
    return this;
  }

  /** Real interfaces whose names match {@code patterns}, any driver, nothing excluded. */
  ReceiverYaml kernelInterfaces(String... patterns) {
    this.include = List.of(patterns);
    this.exclude = List.of();
    this.drivers = List.of();
    return this;
  }

  /** Switches on {@code ethtool.stat} for the stat names matching {@code patterns}. */
  ReceiverYaml ethtoolStat(String... patterns) {
    this.ethtoolStat = List.of(patterns);
    return this;
  }

  /** A replay entry ({@code captures} as written in a config: builtin:NAME, a file, a glob). */
  ReceiverYaml replay(String name, String mac, String captures, boolean loop) {
    replays.add("      - name: " + name + "\n"
        + "        mac: \"" + mac + "\"\n"
        + "        captures: " + quote(captures) + "\n"
        + "        loop: " + loop + "\n");
    return this;
  }

  ReceiverYaml otlpTo(int port) {
    this.otlpPort = port;
    return this;
  }

  String build() {
    if (otlpPort <= 0) {
      throw new IllegalStateException("otlpTo(port) is required");
    }
    StringBuilder y = new StringBuilder()
        .append("# Written by an end-to-end scenario.\n")
        .append("receivers:\n")
        .append("  ethtool:\n")
        .append("    collection_interval: ").append(collectionInterval).append('\n')
        .append("    sampling_interval: 1s\n")
        .append("    interfaces:\n")
        .append("      include: ").append(list(include)).append('\n')
        .append("      exclude: ").append(list(exclude)).append('\n')
        .append("      drivers: ").append(list(drivers)).append('\n');
    if (ethtoolStat != null) {
      y.append("    metrics:\n")
          .append("      ethtool.stat:\n")
          .append("        enabled: true\n")
          .append("        include: ").append(list(ethtoolStat)).append('\n');
    }
    if (!replays.isEmpty()) {
      y.append("    replay:\n");
      replays.forEach(y::append);
    }
    y.append("exporters:\n")
        .append("  otlp:\n")
        .append("    endpoint: http://127.0.0.1:").append(otlpPort).append('\n')
        .append("    protocol: grpc\n")
        .append("    timeout: 5s\n")
        .append("service:\n")
        .append("  pipelines:\n")
        .append("    metrics:\n")
        .append("      receivers: [ethtool]\n")
        .append("      exporters: [otlp]\n")
        .append("  telemetry:\n")
        .append("    health:\n")
        .append("      endpoint: 127.0.0.1:0\n");
    return y.toString();
  }

  private static String list(List<String> items) {
    return items.stream().map(ReceiverYaml::quote).collect(Collectors.joining(", ", "[", "]"));
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
