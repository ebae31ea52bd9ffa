package io.enareceiver.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.reliability.SamplerSoak.Checkpoint;
import io.enareceiver.reliability.SamplerSoak.Result;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A long life of sampling and producing: live heap stays flat and the series state does not
 * grow. The default build runs a short life with the same assertions; {@code -Psoak} runs a
 * million cycles (a million simulated seconds, about 11.5 days on a node).
 */
class SamplerSoakTest {

  @Test
  void twentyThousandCyclesKeepHeapAndSeriesFlat() throws Exception {
    check(SamplerSoak.run(20_000, 10, 50, 100));
  }

  @Test
  @Tag("soak")
  void aMillionCyclesKeepHeapAndSeriesFlat() throws Exception {
    check(SamplerSoak.run(1_000_000, 10, 50, 100));
  }

  private static void check(Result r) {
    StringBuilder report = new StringBuilder(String.format(
        "soak: %d cycles over %d interfaces x %d stats, %d produces, %.0f cycles/s%n",
        r.cycles(), SamplerSoak.INTERFACES, SamplerSoak.STATS, r.produces(), r.cyclesPerSecond()));
    for (Checkpoint c : r.checkpoints()) {
      report.append(String.format("  cycle %9d: heap after GC %s, series %d, points per produce %d%n",
          c.cycle(), HeapProbe.mib(c.heapAfterGc()), c.seriesCount(), c.points()));
    }
    System.out.print(report);

    assertThat(r.checkpoints()).as(report.toString()).hasSize(3);
    Checkpoint first = r.checkpoints().getFirst();
    // Every statistic of every interface is a live series (all metrics switched on).
    assertThat(first.seriesCount()).as(report.toString())
        .isGreaterThanOrEqualTo(SamplerSoak.INTERFACES * (SamplerSoak.STATS - 10));
    for (Checkpoint c : r.checkpoints()) {
      assertThat(c.seriesCount()).as("series count at cycle %d%n%s", c.cycle(), report).isEqualTo(first.seriesCount());
      assertThat(c.points()).as("points per produce at cycle %d%n%s", c.cycle(), report).isEqualTo(first.points());
      assertThat((double) c.heapAfterGc()).as("heap after GC at cycle %d vs cycle %d (within 5%%)%n%s",
              c.cycle(), first.cycle(), report)
          .isLessThanOrEqualTo(first.heapAfterGc() * 1.05);
    }
  }
}
