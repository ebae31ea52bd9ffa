package io.enareceiver.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.it.harness.Alert;
import io.enareceiver.it.harness.RangeSeries;
import io.enareceiver.it.harness.ReceiverProcess;
import io.enareceiver.testing.imds.FakeImds;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Scenario (a): the built-in DNS-throttling episode (60 real ENA captures, one per second; the
 * link-local counter rises by 9085 packets in 20 seconds) played by the receiver jar, through the
 * collector running {@code collector-local.yaml}, into Prometheus running the shipped rules. What
 * Prometheus stores must be exactly what was injected, carry the node, instance type and ENI, and
 * fire the link-local alert.
 */
class DnsThrottlingIT {
  /** Injected by the scenario (receiver/src/main/resources/scenarios/dns-throttling/README.md). */
  static final double INJECTED_PACKETS = 9085;
  static final double INJECTED_SECONDS = 20;

  private static E2eStack stack;

  @BeforeAll
  static void startStack() {
    stack = E2eStack.start("dns-throttling");
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void prometheusHoldsExactlyTheInjectedBurstWithIdentityLabelsAndFiresTheLinkLocalAlert() throws IOException {
    String id = E2eStack.instanceId("dns");
    Instant start = Instant.now();
    try (FakeImds imds = FakeImds.start(E2eStack.instance());
        ReceiverProcess receiver = dnsThrottlingReceiver("receiver-dns", id, stack.otlpPort)
            .imds(imds.endpoint()).start()) {
      String exceeded = "aws_ena_allowance_exceeded_total{aws_ena_allowance=\"linklocal\", instance=\"" + id + "\"}";
      String throttled = "aws_ena_allowance_throttled_time_seconds_total{aws_ena_allowance=\"linklocal\", instance=\""
          + id + "\"}";

      List<RangeSeries> exceededSeries = awaitLastValue(stack, exceeded, start, INJECTED_PACKETS, receiver);
      String alertName = linkLocalAlertName();
      Alert alert = stack.prometheus.poll(alertName + " firing for instance " + id)
          .atMost(Duration.ofSeconds(90))
          .context(() -> receiver.describe() + "\n" + stack.describe())
          .until(() -> stack.prometheus.alerts().stream()
                  .filter(a -> a.name().equals(alertName) && id.equals(a.label("instance")) && a.firing())
                  .findFirst().orElse(null),
              a -> a != null);

      List<RangeSeries.Point> packets = E2eStack.merged(exceededSeries);
      assertThat(packets.getFirst().value()).as("first stored sample precedes the burst: %s", packets).isZero();
      assertIncreaseFromRawSamples(packets, INJECTED_PACKETS);

      List<RangeSeries.Point> seconds = E2eStack.merged(awaitLastValue(stack, throttled, start, INJECTED_SECONDS, receiver));
      assertThat(seconds.getFirst().value()).as("throttled seconds before the burst: %s", seconds).isZero();
      assertIncreaseFromRawSamples(seconds, INJECTED_SECONDS);

      assertThat(E2eStack.newestLabels(exceededSeries)).as("labels of %s", exceeded).contains(
          Map.entry("k8s_node_name", E2eStack.NODE),
          Map.entry("host_type", E2eStack.INSTANCE_TYPE),
          Map.entry("aws_ec2_eni_id", E2eStack.ENI),
          Map.entry("network_interface_name", "eth0"));
      assertThat(alert.labels()).containsEntry("aws_ec2_eni_id", E2eStack.ENI)
          .containsEntry("k8s_node_name", E2eStack.NODE);
      assertThat(alert.annotations().get("summary")).contains(E2eStack.NODE, E2eStack.ENI, E2eStack.INSTANCE_TYPE);
    }
  }

  /** A receiver replaying builtin:dns-throttling once (no loop), exporting every 5 s. */
  static ReceiverProcess.Builder dnsThrottlingReceiver(String name, String instanceId, int otlpPort) {
    String yaml = ReceiverYaml.create()
        .replay("eth0", E2eStack.REPLAY_MAC, "builtin:dns-throttling", false)
        .otlpTo(otlpPort)
        .build();
    return ReceiverProcess.builder(name, yaml)
        .env("K8S_NODE_NAME", E2eStack.NODE)
        .env("OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=" + instanceId);
  }

  /** Waits until the newest stored sample of {@code selector} is {@code value}; returns the raw series. */
  static List<RangeSeries> awaitLastValue(E2eStack stack, String selector, Instant since, double value, ReceiverProcess receiver) {
    return stack.prometheus.poll(selector + " reaching " + value)
        .atMost(Duration.ofSeconds(120))
        .every(Duration.ofSeconds(1))
        .context(() -> receiver.describe() + "\n" + stack.describe())
        .until(() -> stack.rawSince(selector, since),
            series -> !series.isEmpty() && E2eStack.merged(series).getLast().value() == value);
  }

  /**
   * The increase from the raw samples (never {@code increase()}, which extrapolates to the window's
   * edges): no sample may be lower than the one before (no reset in this run), and last minus
   * first is the injected amount.
   */
  static void assertIncreaseFromRawSamples(List<RangeSeries.Point> points, double expected) {
    for (int i = 1; i < points.size(); i++) {
      assertThat(points.get(i).value()).as("sample %d of %s", i, points)
          .isGreaterThanOrEqualTo(points.get(i - 1).value());
    }
    assertThat(points.getLast().value() - points.getFirst().value())
        .as("last minus first raw sample of %s", points).isEqualTo(expected);
  }

  /** The name of the shipped alert on the link-local allowance, read from the rules file. */
  @SuppressWarnings("unchecked")
  static String linkLocalAlertName() throws IOException {
    Map<String, Object> doc = new Yaml().load(Files.readString(E2eStack.RULES));
    for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("groups")) {
      for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
        Object expr = rule.get("expr");
        if (rule.containsKey("alert") && expr != null
            && expr.toString().contains("aws_ena_allowance_exceeded_total{aws_ena_allowance=\"linklocal\"}")) {
          return rule.get("alert").toString();
        }
      }
    }
    throw new AssertionError(E2eStack.RULES + " has no alert on the link-local allowance counter");
  }
}
