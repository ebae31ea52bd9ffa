package io.enareceiver.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.it.harness.RangeSeries;
import io.enareceiver.it.harness.ReceiverProcess;
import io.enareceiver.testing.imds.FakeImds;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scenario (f): IMDS refuses connections when the receiver starts and answers ten seconds later.
 * Metrics flow from the start without identity labels, and once IMDS answers the same interface's
 * series carry host type and ENI, without a gap in between.
 */
class ImdsLateIT {
  private static final Duration IMDS_DOWN = Duration.ofSeconds(10);
  private static E2eStack stack;

  @BeforeAll
  static void startStack() {
    stack = E2eStack.start("imds-late");
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void metricsFlowWithoutIdentityAndGainItsLabelsOnceImdsAnswers() throws InterruptedException {
    String id = E2eStack.instanceId("imds");
    Instant start = Instant.now();
    try (FakeImds imds = FakeImds.start(E2eStack.instance())) {
      imds.down(); // same port, connection refused
      try (ReceiverProcess receiver = DnsThrottlingIT.dnsThrottlingReceiver("receiver-imds-late", id, stack.otlpPort)
          .imds(imds.endpoint()).start()) {
        String selector = "aws_ena_allowance_exceeded_total{aws_ena_allowance=\"linklocal\", instance=\"" + id + "\"}";
        List<RangeSeries> anonymous = stack.prometheus.poll("series without identity while IMDS is down")
            .atMost(Duration.ofSeconds(60))
            .context(() -> receiver.describe() + "\n" + stack.describe())
            .until(() -> stack.rawSince(selector, start), s -> !s.isEmpty());
        assertThat(anonymous).as("labels while IMDS is down").allSatisfy(s -> assertThat(s.labels())
            .doesNotContainKeys("host_type", "aws_ec2_eni_id")
            .containsEntry("k8s_node_name", E2eStack.NODE));

        Thread.sleep(Math.max(0, IMDS_DOWN.toMillis() - Duration.between(start, Instant.now()).toMillis()));
        Instant up = Instant.now();
        imds.up();

        String identified = selector.replace("}", ", aws_ec2_eni_id=\"" + E2eStack.ENI + "\", host_type=\""
            + E2eStack.INSTANCE_TYPE + "\"}");
        List<RangeSeries> labelled = stack.prometheus.poll("series with identity once IMDS answers")
            .atMost(Duration.ofSeconds(90))
            .every(Duration.ofSeconds(1))
            .context(() -> receiver.describe() + "\n" + stack.describe() + "\nIMDS requests: " + imds.requests())
            .until(() -> stack.rawSince(identified, start), s -> !s.isEmpty() && s.getFirst().points().size() >= 2);
        assertThat(labelled.getFirst().points().getFirst().timestamp()).as("identity only after IMDS came up")
            .isAfter(up.minusSeconds(1));

        // Throughout: every gap between consecutive samples of the interface (both label sets) is
        // about one collection interval (5 s), never the whole IMDS outage.
        List<RangeSeries.Point> all = E2eStack.merged(stack.rawSince(selector, start));
        for (int i = 1; i < all.size(); i++) {
          assertThat(Duration.between(all.get(i - 1).timestamp(), all.get(i).timestamp()))
              .as("gap before sample %d of %s", i, all).isLessThanOrEqualTo(Duration.ofSeconds(8));
        }
        assertThat(all.getFirst().timestamp()).as("first sample").isBefore(up);
      }
    }
  }
}
