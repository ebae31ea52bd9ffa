package io.enareceiver.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.it.harness.NetnsPortForward;
import io.enareceiver.it.harness.RangeSeries;
import io.enareceiver.it.harness.ReceiverProcess;
import io.enareceiver.testing.netns.NetnsFixture;
import io.enareceiver.testing.netns.NetnsFixture.Namespace;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scenarios (d) and (e): real kernel interfaces. The receiver jar runs inside a network namespace
 * the test creates ({@code ip netns exec}), so it sees only that namespace's interfaces and never
 * the host's; its OTLP export reaches the collector in the host namespace through a
 * {@link NetnsPortForward} on the namespace's loopback. IMDS is off (no identity needed here).
 * Root, ip, tc and ethtool are needed: without them the tests skip, or fail under
 * {@code -Dena.requireRoot=true}.
 */
class KernelInterfacesIT {
  private static final Duration SAMPLING = Duration.ofSeconds(1);
  /**
   * Prometheus only sees exported points, stamped with the newest sample's time; exporting every
   * second (the shortest allowed) makes "within two sampling intervals" observable there, up to
   * one more interval for the export itself.
   */
  private static final Duration COLLECTION = Duration.ofSeconds(1);
  private static E2eStack stack;

  @BeforeAll
  static void startStack() {
    stack = E2eStack.start("kernel");
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void hotpluggedInterfaceGetsSeriesWithinTwoSamplesAndTheyStopWhenItGoes() {
    String id = E2eStack.instanceId("hotplug");
    try (NetnsFixture net = NetnsFixture.create()) {
      Namespace receiverNs = net.namespace();
      Namespace peerNs = net.namespace();
      try (NetnsPortForward otlp = NetnsPortForward.open(receiverNs.file(), stack.otlpPort, stack.otlpPort);
          ReceiverProcess receiver = kernelReceiver("receiver-hotplug", id, receiverNs, otlp.port(), "e2ehp*", "*")) {
        String selector = "ethtool_stat{network_interface_name=\"e2ehp0\", instance=\"" + id + "\"}";
        Instant before = Instant.now();
        net.vethPair(receiverNs, "e2ehp0", peerNs, "e2ehpx0", 1);
        Instant created = Instant.now();

        List<RangeSeries> series = stack.prometheus.poll("series of the hotplugged e2ehp0")
            .atMost(Duration.ofSeconds(60))
            .context(() -> receiver.describe() + "\n" + stack.describe())
            .until(() -> stack.rawSince(selector, before),
                s -> !s.isEmpty() && s.stream().allMatch(one -> one.points().size() >= 2));
        Instant firstSample = E2eStack.merged(series).getFirst().timestamp();
        assertThat(firstSample).as("first sample of e2ehp0 (created %s)", created)
            .isAfterOrEqualTo(before.minusMillis(100))
            .isBeforeOrEqualTo(created.plus(SAMPLING.multipliedBy(2)).plus(COLLECTION));

        NetnsFixture.exec("ip", "-n", receiverNs.name(), "link", "del", "e2ehp0");
        Instant removed = Instant.now();
        sleep(Duration.ofSeconds(8)); // several exports and the collector's 2 s batch
        List<RangeSeries.Point> all = E2eStack.merged(stack.rawSince(selector, before));
        assertThat(all.getLast().timestamp()).as("newest sample of e2ehp0 (removed %s): %s", removed, all)
            .isBeforeOrEqualTo(removed.plus(SAMPLING))
            .isAfter(removed.minus(COLLECTION.plus(SAMPLING.multipliedBy(2))));
        assertThat(receiver.process().isAlive()).as("receiver still running%n%s", receiver.describe()).isTrue();
      }
    }
  }

  @Test
  void ifbReceivePacketsRiseInPrometheusByAtLeastWhatWasSent() {
    String id = E2eStack.instanceId("ifb");
    int packets = 2000;
    try (NetnsFixture net = NetnsFixture.create()) {
      Namespace receiverNs = net.namespace();
      Namespace senderNs = net.namespace();
      NetnsFixture.VethPair veth = net.vethPair(senderNs, "e2ev0", receiverNs, "e2ev1", 1);
      net.ifbIngressOf(receiverNs, "e2ev1", "e2eifb0");
      try (NetnsPortForward otlp = NetnsPortForward.open(receiverNs.file(), stack.otlpPort, stack.otlpPort);
          ReceiverProcess receiver = kernelReceiver("receiver-ifb", id, receiverNs, otlp.port(), "e2eifb*",
              "rx_queue_0_packets")) {
        String selector = "ethtool_stat{ethtool_stat_name=\"rx_queue_0_packets\", network_interface_name=\"e2eifb0\", "
            + "instance=\"" + id + "\"}";
        Instant start = Instant.now().minusSeconds(5);
        double before = stack.prometheus.poll(selector)
            .atMost(Duration.ofSeconds(60))
            .context(() -> receiver.describe() + "\n" + stack.describe())
            .until(() -> E2eStack.merged(stack.rawSince(selector, start)), p -> !p.isEmpty())
            .getLast().value();

        net.sendUdp(senderNs, veth.addrB(), packets);
        long kernelAfter = net.ethtoolStats(receiverNs, "e2eifb0").stream()
            .filter(s -> s.name().equals("rx_queue_0_packets")).findFirst().orElseThrow().unsignedValue();

        List<RangeSeries.Point> points = stack.prometheus.poll(selector + " rising by " + packets)
            .atMost(Duration.ofSeconds(60))
            .context(() -> receiver.describe() + "\n" + stack.describe())
            .until(() -> E2eStack.merged(stack.rawSince(selector, start)),
                p -> p.getLast().value() >= before + packets);
        assertThat(points.getLast().value() - before).as("rise of %s: %s", selector, points)
            .isGreaterThanOrEqualTo(packets)
            .isLessThanOrEqualTo(kernelAfter - before + 50); // nothing invented: close to ethtool -S
      }
    }
  }

  private static ReceiverProcess kernelReceiver(String name, String id, Namespace ns, int otlpPort, String interfaces,
      String stats) {
    String yaml = ReceiverYaml.create().collectionInterval("1s").kernelInterfaces(interfaces).ethtoolStat(stats).otlpTo(otlpPort).build();
    return ReceiverProcess.builder(name, yaml)
        .env("OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=" + id)
        .noImds()
        .inNamespace(ns.name())
        .start();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
