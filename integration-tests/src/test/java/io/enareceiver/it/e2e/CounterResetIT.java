package io.enareceiver.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.it.harness.RangeSeries;
import io.enareceiver.it.harness.ReceiverProcess;
import io.enareceiver.it.harness.Sample;
import io.enareceiver.it.harness.WorkDirs;
import io.enareceiver.testing.imds.FakeImds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scenario (c): the device counters go back to zero mid-run (a replay with {@code loop: true}: a
 * driver reset as the receiver sees it). The burst part of the built-in dns-throttling captures
 * (014..037: two flat seconds, the 20 rising seconds, two flat ones) loops every 24 s, so the
 * link-local counter drops from 9085 to 0 at every wrap.
 *
 * <p>What must hold in Prometheus: {@code rate()} is never negative and Prometheus sees the
 * resets; every stored counter value is one the captures hold (nothing carried over a reset); the
 * throttled seconds, which the receiver derives from the counter's rises, stay consistent with it:
 * a reset is not a rise, so at every sample throttled seconds = 20 per completed round + the rises
 * that lead to the counter's value (per start time: each round counts from zero again); and the
 * peak rate never shows a reset as a huge rise.
 */
class CounterResetIT {
  /** Per-second increases of the burst, in order (scenario README). */
  private static final long[] BURST = {40, 85, 210, 460, 720, 880, 900, 845, 610, 730, 815, 560, 390, 470, 655,
      300, 180, 120, 75, 40};
  private static final double ROUND_PACKETS = 9085;
  private static final double ROUND_SECONDS = 20;
  private static E2eStack stack;

  @BeforeAll
  static void startStack() {
    stack = E2eStack.start("counter-reset");
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void resetsAreNeverNegativeRatesAndEveryRoundCountsExactly() {
    String id = E2eStack.instanceId("reset");
    String captures = WorkDirs.repositoryRoot()
        .resolve("receiver/src/main/resources/scenarios/dns-throttling").toString() + "/0{1[4-9],2?,3[0-7]}.txt";
    String yaml = ReceiverYaml.create().replay("eth0", E2eStack.REPLAY_MAC, captures, true)
        .otlpTo(stack.otlpPort).build();
    Instant start = Instant.now();
    try (FakeImds imds = FakeImds.start(E2eStack.instance());
        ReceiverProcess receiver = ReceiverProcess.builder("receiver-reset", yaml)
            .env("OTEL_RESOURCE_ATTRIBUTES", "service.instance.id=" + id)
            .imds(imds.endpoint()).start()) {
      String filter = "{aws_ena_allowance=\"linklocal\", instance=\"" + id + "\"}";
      String exceeded = "aws_ena_allowance_exceeded_total" + filter;
      String throttled = "aws_ena_allowance_throttled_time_seconds_total" + filter;

      // Two wraps seen in the stored samples, and a sample after the second one.
      List<RangeSeries.Point> packets = stack.prometheus.poll("two counter resets in " + exceeded)
          .atMost(Duration.ofSeconds(120))
          .every(Duration.ofSeconds(1))
          .context(() -> receiver.describe() + "\n" + stack.describe())
          .until(() -> E2eStack.merged(stack.rawSince(exceeded, start)), p -> drops(p) >= 2);
      Map<Instant, Double> seconds = byTime(E2eStack.merged(stack.rawSince(throttled, start)));

      // Throttled seconds agree with the counter at every sample: rises only, resets never count.
      int completed = 0;
      for (int i = 0; i < packets.size(); i++) {
        RangeSeries.Point p = packets.get(i);
        if (i > 0 && p.value() < packets.get(i - 1).value()) {
          completed++;
        }
        Double t = seconds.get(p.timestamp());
        assertThat(t).as("throttled seconds stored with the counter sample at %s", p.timestamp()).isNotNull();
        assertThat(t - seconds.get(packets.getFirst().timestamp()))
            .as("throttled seconds at sample %d (counter %s, round %d) of %s / %s", i, p.value(), completed, packets, seconds)
            .isEqualTo(completed * ROUND_SECONDS + risesUpTo(p.value()) - risesUpTo(packets.getFirst().value()));
      }

      // Prometheus agrees: resets seen, no negative rate anywhere over the run. (Sums and maxima
      // over label sets: the first export may leave before IMDS answered, without identity labels.)
      long window = Duration.between(start, Instant.now()).toSeconds() + 10;
      List<Sample> resets = stack.prometheus.query("sum(resets(" + exceeded + "[" + window + "s]))");
      assertThat(resets).singleElement().satisfies(s -> assertThat(s.value()).isGreaterThanOrEqualTo(2));
      List<Sample> negative = stack.prometheus.query(
          "min_over_time(rate(" + exceeded + "[15s])[" + window + "s:1s]) < 0");
      assertThat(negative).as("negative rate()").isEmpty();
      List<Sample> peak = stack.prometheus.query("max(max_over_time(aws_ena_allowance_peak_rate_per_second"
          + filter + "[" + window + "s]))");
      assertThat(peak).singleElement().satisfies(s -> assertThat(s.value())
          .as("peak packets/s over the run (900 per 1 s sample, over a measured ~1 s): a reset must not look like "
              + "a huge rise").isBetween(850.0, 950.0));
    }
  }

  private static int drops(List<RangeSeries.Point> points) {
    int drops = 0;
    for (int i = 1; i < points.size(); i++) {
      if (points.get(i).value() < points.get(i - 1).value()) {
        drops++;
      }
    }
    return drops;
  }

  /** How many rising seconds of one round lead to a counter value; fails for a value no capture has. */
  private static int risesUpTo(double value) {
    long sum = 0;
    if (value == 0) {
      return 0;
    }
    for (int i = 0; i < BURST.length; i++) {
      sum += BURST[i];
      if (sum == value) {
        return i + 1;
      }
    }
    throw new AssertionError("counter value " + value + " is not one the replayed captures hold");
  }

  private static Map<Instant, Double> byTime(List<RangeSeries.Point> points) {
    Map<Instant, Double> out = new TreeMap<>();
    new ArrayList<>(points).forEach(p -> out.put(p.timestamp(), p.value()));
    return out;
  }
}
