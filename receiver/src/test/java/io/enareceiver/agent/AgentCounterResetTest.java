package io.enareceiver.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.enareceiver.agent.Exported.Point;
import io.enareceiver.config.Config;
import io.enareceiver.testing.otlp.OtlpHttpTestReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replayed device whose pps counter rises and then starts over (loop over 100, 200, 50): every
 * drop is a reset. What is sent never decreases under one start time, and each reset opens a
 * series with a later start time.
 */
class AgentCounterResetTest {
  @TempDir Path dir;

  @Test
  void aResetStartsANewSeriesAndNothingDecreases() throws Exception {
    try (OtlpHttpTestReceiver receiver = OtlpHttpTestReceiver.start()) {
      AgentFixture.ppsCaptures(dir.resolve("eth1"), 100, 200, 50);
      Config config = AgentFixture.load(dir, AgentFixture.yaml("http/protobuf", receiver, "2s",
          AgentFixture.replayEntry("eth1", "0e:aa:bb:cc:dd:01", "eth1", true)), AgentFixture.imdsOff());

      try (Agent agent = AgentFixture.start(config, AgentFixture.imdsOff())) {
        // Resets every third second: three start times need about seven seconds.
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
            .until(() -> byStart(pps(receiver)).size() >= 3);
      }

      List<Point> pps = pps(receiver);
      assertThat(pps).extracting(Point::value).allMatch(v -> v == 100 || v == 200 || v == 50);
      List<List<Point>> groups = new ArrayList<>(byStart(pps).values());
      for (int g = 0; g < groups.size(); g++) {
        List<Point> series = groups.get(g);
        assertThat(series).as("values under start time %d", series.getFirst().start())
            .extracting(Point::value).isSortedAccordingTo(Double::compare);
        if (g > 0) {
          List<Point> before = groups.get(g - 1);
          assertThat(series.getFirst().start()).as("start time after reset %d", g)
              .isGreaterThan(before.getFirst().start())
              .isGreaterThanOrEqualTo(before.getLast().time())
              .isLessThanOrEqualTo(series.getFirst().time());
          assertThat(series.getFirst().request()).as("a reset series follows the previous one")
              .isGreaterThan(before.getLast().request());
        }
      }
    }
  }

  private static List<Point> pps(OtlpHttpTestReceiver receiver) {
    return Exported.series(Exported.points(receiver.requests()), "aws.ena.allowance.exceeded", Exported.ALLOWANCE, "pps");
  }

  /** Points grouped by start time, in order of first appearance. */
  private static Map<Long, List<Point>> byStart(List<Point> points) {
    Map<Long, List<Point>> out = new LinkedHashMap<>();
    points.forEach(p -> out.computeIfAbsent(p.start(), k -> new ArrayList<>()).add(p));
    return out;
  }
}
