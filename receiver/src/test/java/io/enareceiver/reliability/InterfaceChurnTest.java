package io.enareceiver.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.ethtool.EthtoolReader;
import io.enareceiver.ethtool.InterfaceDiscovery;
import io.enareceiver.ethtool.InterfaceSelector;
import io.enareceiver.ethtool.KernelInterfaceTracker;
import io.enareceiver.metrics.CatalogStatMapper;
import io.enareceiver.metrics.Sampler;
import io.enareceiver.metrics.SamplingLoop;
import io.enareceiver.metrics.SelfTelemetry;
import io.opentelemetry.sdk.common.Clock;
import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real interfaces coming and going under a running sampler: veth pairs created and deleted in
 * waves in the test's own namespace, matched by the tracker's include pattern. Afterwards file
 * descriptors, threads, live heap and series are back where they started, one long-lived
 * interface kept updating throughout, and no line was logged once per sample.
 *
 * <p>The sampler runs on its real {@link SamplingLoop} thread, faster than production (100 ms)
 * so that the churn crosses many passes: interfaces are seen appearing, being read, and
 * vanishing between discovery and read.
 */
class InterfaceChurnTest {
  private static final Duration PASS = Duration.ofMillis(100);

  @Test
  void fiveHundredInterfacesComeAndGoWithoutLeaks() throws Exception {
    churn(250, 10);
  }

  @Test
  @Tag("soak")
  void fiveThousandInterfacesComeAndGoWithoutLeaks() throws Exception {
    churn(2500, 50);
  }

  /** @param pairs veth pairs (two interfaces each), created and deleted in {@code waves} waves */
  private static void churn(int pairs, int waves) throws Exception {
    try (HostLinks links = new HostLinks("c"); LogRecorder log = new LogRecorder()) {
      String prefix = links.prefix();
      List<String> keep = links.addVethPairs("k", 0, 1); // lives through the churn: 2 interfaces
      EthtoolReader reader = EthtoolReader.open();
      KernelInterfaceTracker tracker = new KernelInterfaceTracker(InterfaceDiscovery.DEFAULT_ROOT, reader,
          new InterfaceSelector(List.of(prefix + "*"), List.of(), List.of()), Set.of());
      SelfTelemetry self = new SelfTelemetry(Clock.getDefault().now());
      Sampler sampler = new Sampler(tracker, new CatalogStatMapper(n -> true, n -> true), PASS,
          Clock.getDefault(), Clock.getDefault().now(), self);
      SamplingLoop loop = new SamplingLoop(sampler, PASS);
      try {
        loop.start();
        awaitPasses(self, 5);
        assertThat(sampler.interfaces()).as("the long-lived pair is monitored").hasSize(2);
        // One small wave first, so one-time costs (classes, caches of the JDK and the logger)
        // are in the baseline and only what grows with the churn shows in the comparison.
        List<String> warmUp = links.addVethPairs("u", 0, 5);
        awaitInterfaces(sampler, 12);
        HostLinks.delete(warmUp);
        awaitInterfaces(sampler, 2);
        awaitPasses(self, self.passes() + 3);
        log.clear();
        Baseline before = Baseline.take(sampler);
        long keepPassesBefore = self.passes();
        log.clear();

        long churnStart = System.nanoTime();
        int perWave = pairs / waves;
        int maxInterfacesSeen = 0;
        for (int w = 0; w < waves; w++) {
          List<String> created = links.addVethPairs("w", w * perWave, perWave);
          // Let the sampler see (most of) them, then delete while it is running.
          long until = System.nanoTime() + PASS.toNanos() * 3;
          while (System.nanoTime() < until) {
            maxInterfacesSeen = Math.max(maxInterfacesSeen, sampler.interfaces().size());
            Thread.sleep(10);
          }
          HostLinks.delete(created);
        }
        double churnSeconds = (System.nanoTime() - churnStart) / 1e9;
        awaitInterfaces(sampler, 2);
        awaitPasses(self, self.passes() + 3);
        Map<String, Integer> byKind = log.countByKind(prefix);
        // Reduce the per-line counts to what the assertions need before measuring: one entry per
        // interface (10,000 strings for 5,000 interfaces) would otherwise be counted as the
        // receiver's heap.
        Map.Entry<String, Integer> mostRepeated = log.countByText().entrySet().stream()
            .max(Map.Entry.comparingByValue()).map(e -> Map.entry(e.getKey(), e.getValue())).orElse(Map.entry("(no lines)", 0));
        log.clear(); // the recorded lines are not the receiver's memory
        Baseline after = Baseline.take(sampler);

        String report = String.format(
            "churn: %d interfaces (%d veth pairs) in %d waves over %.1f s, sampler passes %d, most interfaces monitored at once %d%n"
                + "  before: %s%n  after:  %s%n  log lines per kind: %s",
            pairs * 2, pairs, waves, churnSeconds, self.passes() - keepPassesBefore, maxInterfacesSeen,
            before, after, byKind);
        System.out.println(report);

        assertThat(maxInterfacesSeen).as("the sampler saw the churn%n%s", report).isGreaterThan(2 + perWave);
        assertThat(after.series()).as("series back to baseline%n%s", report).isEqualTo(before.series());
        // At most the baseline: threads of earlier tests in the same JVM (HTTP clients, servers) may
        // still be winding down and end during the churn; what must not happen is growth.
        assertThat(after.fds()).as("open file descriptors back to baseline%n%s", report).isLessThanOrEqualTo(before.fds());
        assertThat(after.threads()).as("threads back to baseline%n%s", report).isLessThanOrEqualTo(before.threads());
        assertThat((double) after.heap()).as("live heap back to baseline (5%% or 1 MiB)%n%s", report)
            .isLessThanOrEqualTo(Math.max(before.heap() * 1.05, before.heap() + 1024.0 * 1024));
        assertThat(sampler.interfaces().stream().map(i -> i.name()).toList())
            .as("the long-lived pair is still monitored").contains(keep.getFirst());

        // Logging: lifecycle lines at most once per interface and event, warnings and errors of
        // one kind at most a few times a minute, never one per sample.
        double minutes = Math.max(1, churnSeconds / 60);
        assertThat(mostRepeated.getValue())
            .as("the same line written more than once: %s%n%s", mostRepeated.getKey(), report).isLessThanOrEqualTo(1);
        for (var e : byKind.entrySet()) {
          if (!e.getKey().contains(" INFO ")) {
            assertThat(e.getValue()).as("warnings of kind '%s' per minute%n%s", e.getKey(), report)
                .isLessThanOrEqualTo((int) Math.ceil(3 * minutes));
          }
        }
      } finally {
        loop.close();
        sampler.close();
      }
    }
  }

  private static void awaitPasses(SelfTelemetry self, long passes) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (self.passes() < passes && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(self.passes()).as("sampling passes").isGreaterThanOrEqualTo(passes);
  }

  private static void awaitInterfaces(Sampler sampler, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (sampler.interfaces().size() != count && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(sampler.interfaces()).as("monitored interfaces after the churn").hasSize(count);
  }

  /** What must come back to where it was. */
  record Baseline(int fds, int threads, long heap, int series) {
    static Baseline take(Sampler sampler) {
      String[] fds = new File("/proc/self/fd").list();
      // The JDK's "process reaper" pool (it waits for the test's ip commands) grows and shrinks
      // on its own; every other thread counts.
      int threads = (int) Thread.getAllStackTraces().keySet().stream()
          .filter(t -> !t.getName().startsWith("process reaper")).count();
      return new Baseline(fds == null ? -1 : fds.length, threads, HeapProbe.usedAfterGc(), sampler.seriesCount());
    }

    @Override
    public String toString() {
      return "fds " + fds + ", threads " + threads + ", heap after GC " + HeapProbe.mib(heap) + ", series " + series;
    }
  }
}
