package io.enareceiver.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.agent.Agent;
import io.enareceiver.testing.otlp.OtlpHttpTestReceiver;
import io.enareceiver.testing.otlp.ReceivedRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector misbehaves for 38 s, in three ways one after the other, while the real agent
 * samples every second and exports every 2 s (timeout 3 s):
 * <ol>
 *   <li>0-12 s: every request takes 10 s to be answered;
 *   <li>12-24 s: connections are accepted and never answered;
 *   <li>24-38 s: every request is answered 503 (retryable).
 * </ol>
 * Meanwhile the replayed interface goes through its whole 9085-packet burst (seconds 16-35).
 * Sampling keeps its cadence, memory and requests in flight stay bounded, and the first export
 * that gets through afterwards carries the full totals: cumulative sums lose resolution, never
 * counts.
 */
class BackPressureTest {

  @Test
  void aHostileCollectorCostsNoSamplesNoMemoryAndNoCounts(@TempDir Path dir) throws Exception {
    try (OtlpHttpTestReceiver collector = OtlpHttpTestReceiver.start();
        TcpFront front = new TcpFront(collector.port(), TcpFront.Mode.FORWARD)) {
      collector.delayNext(Integer.MAX_VALUE, Duration.ofSeconds(10));
      long start = System.nanoTime();
      Agent agent = AgentRun.start(dir, front.port(), "2s", "3s", Map.of("AWS_EC2_METADATA_DISABLED", "true"));
      List<String> heap = new ArrayList<>();
      List<Long> heapBytes = new ArrayList<>();
      int maxHeldBlackhole;
      long passesAtRecovery;
      double secondsAtRecovery;
      try {
        sleepUntil(start, 6);
        measure("slow answers", heap, heapBytes);
        sleepUntil(start, 12);
        front.mode(TcpFront.Mode.BLACKHOLE);
        sleepUntil(start, 18);
        measure("blackhole", heap, heapBytes);
        sleepUntil(start, 24);
        maxHeldBlackhole = front.maxHeld();
        collector.reset();
        collector.failFor(Duration.ofHours(1));
        front.mode(TcpFront.Mode.FORWARD);
        sleepUntil(start, 30);
        measure("503", heap, heapBytes);
        sleepUntil(start, 38);
        List<ReceivedRequest> during503 = collector.received();
        collector.reset(); // healthy again; nothing delayed is pending (the last slow request ended by 22 s)
        secondsAtRecovery = (System.nanoTime() - start) / 1e9;
        passesAtRecovery = agent.self().passes();

        ExportMetricsServiceRequest first = collector.awaitRequests(1, Duration.ofSeconds(15)).getFirst();
        measure("recovered", heap, heapBytes);
        NumberDataPoint exceeded = AgentRun.point(first, "aws.ena.allowance.exceeded", "linklocal").orElseThrow();
        NumberDataPoint throttled = AgentRun.point(first, "aws.ena.allowance.throttled_time", "linklocal").orElseThrow();

        String report = String.format(
            "back-pressure: %.1f s of hostile collector; passes %d, missed samples %d; most unanswered connections at once %d;"
                + " 503 phase saw %d requests; heap after GC: %s; first export after recovery: linklocal %d packets, %.1f s throttled",
            secondsAtRecovery, passesAtRecovery, agent.self().missedSamples(), maxHeldBlackhole, during503.size(), heap,
            exceeded.getAsInt(), throttled.getAsDouble());
        System.out.println(report);

        assertThat(agent.self().missedSamples()).as(report).isZero();
        // One pass per second from the first, at t=0 (the start-up took part of the first second).
        assertThat(passesAtRecovery).as(report)
            .isBetween((long) Math.floor(secondsAtRecovery) - 1, (long) Math.floor(secondsAtRecovery) + 1);
        assertThat(maxHeldBlackhole).as("requests in flight at once while nothing answers%n%s", report).isBetween(1, 2);
        assertThat(during503).as("the 503 phase was reached and answered%n%s", report)
            .isNotEmpty().allMatch(r -> r.outcome() == ReceivedRequest.Outcome.FAILED);
        long lowest = heapBytes.stream().mapToLong(Long::longValue).min().orElseThrow();
        long highest = heapBytes.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(highest - lowest).as("live heap stays bounded (spread under 4 MiB)%n%s", report)
            .isLessThan(4L * 1024 * 1024);
        assertThat(exceeded.getAsInt()).as("full burst in the first export after recovery%n%s", report)
            .isEqualTo(AgentRun.BURST_PACKETS);
        assertThat(throttled.getAsDouble()).as(report).isEqualTo(AgentRun.BURST_SECONDS);
        assertThat(agent.self().lastExportOk()).isTrue();
      } finally {
        agent.close();
      }
    }
  }

  private static void measure(String phase, List<String> heap, List<Long> bytes) {
    long b = HeapProbe.usedAfterGc();
    bytes.add(b);
    heap.add(phase + " " + HeapProbe.mib(b));
  }

  private static void sleepUntil(long startNanos, int seconds) throws InterruptedException {
    long left = startNanos + Duration.ofSeconds(seconds).toNanos() - System.nanoTime();
    if (left > 0) {
      Thread.sleep(Duration.ofNanos(left));
    }
  }
}
