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
 * Scenario (b): the collector is stopped for 30 s while the DNS-throttling burst is under way and
 * started again on the same ports. The receiver keeps cumulative counters, so the first export
 * after the outage carries everything counted meanwhile: the increase over the whole run is still
 * exactly the injected one.
 */
class CollectorOutageIT {
  private static final Duration OUTAGE = Duration.ofSeconds(30);
  private static E2eStack stack;

  @BeforeAll
  static void startStack() {
    stack = E2eStack.start("collector-outage");
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void increaseOverTheWholeWindowIsExactDespiteAThirtySecondCollectorOutage() throws InterruptedException {
    String id = E2eStack.instanceId("outage");
    Instant start = Instant.now();
    try (FakeImds imds = FakeImds.start(E2eStack.instance());
        ReceiverProcess receiver = DnsThrottlingIT.dnsThrottlingReceiver("receiver-outage", id, stack.otlpPort)
            .imds(imds.endpoint()).start()) {
      String exceeded = "aws_ena_allowance_exceeded_total{aws_ena_allowance=\"linklocal\", instance=\"" + id + "\"}";

      // The burst has begun when Prometheus holds a value above zero; stop the collector then.
      stack.prometheus.poll("the burst to start in " + exceeded)
          .atMost(Duration.ofSeconds(90))
          .context(() -> receiver.describe() + "\n" + stack.describe())
          .until(() -> stack.rawSince(exceeded, start),
              series -> !series.isEmpty() && E2eStack.merged(series).getLast().value() > 0);
      Instant stopped = Instant.now();
      stack.collector.stop();
      Thread.sleep(OUTAGE);
      assertThat(receiver.process().isAlive()).as("receiver survives the outage%n%s", receiver.describe()).isTrue();
      stack.collector.start();
      Instant restarted = Instant.now();

      List<RangeSeries.Point> points = E2eStack.merged(
          DnsThrottlingIT.awaitLastValue(stack, exceeded, start, DnsThrottlingIT.INJECTED_PACKETS, receiver));
      assertThat(points.getFirst().value()).as("first stored sample precedes the burst: %s", points).isZero();
      DnsThrottlingIT.assertIncreaseFromRawSamples(points, DnsThrottlingIT.INJECTED_PACKETS);
      // The outage really happened: no sample was taken and delivered in the middle of it.
      assertThat(points).as("samples during the outage %s..%s", stopped, restarted)
          .noneMatch(p -> p.timestamp().isAfter(stopped.plusSeconds(8)) && p.timestamp().isBefore(restarted.minusSeconds(8)));
      assertThat(points.stream().filter(p -> p.timestamp().isBefore(stopped)).mapToDouble(RangeSeries.Point::value).max()
          .orElseThrow()).as("the count stored before the outage is only part of the burst: %s", points)
          .isLessThan(DnsThrottlingIT.INJECTED_PACKETS);
    }
  }
}
