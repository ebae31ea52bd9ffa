package io.enareceiver.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.enareceiver.ena.StatCatalog;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-second rates {@code stats --watch} shows beside the allowance counters. */
class StatsCommandRatesTest {

  private static InterfaceStats eth0(long pps, long linklocal) {
    return new InterfaceStats("eth0", "ena", "2.13.0g",
        List.of("pps_allowance_exceeded", "linklocal_allowance_exceeded"), new long[] {pps, linklocal}, "");
  }

  @Test
  void rateIsTheIncreaseOverTheElapsedSeconds() {
    Map<String, Map<String, Double>> rates =
        StatsCommand.rates(List.of(eth0(100, 0)), List.of(eth0(400, 9085)), 2.0);

    assertThat(rates.get("eth0"))
        .containsOnlyKeys("pps_allowance_exceeded", "linklocal_allowance_exceeded")
        .containsEntry("pps_allowance_exceeded", 150.0)
        .containsEntry("linklocal_allowance_exceeded", 4542.5);
  }

  @Test
  void anIncreaseOf2To63OrMoreIsPositive() {
    // Unsigned 64-bit counters: 0 -> 2^63 + 2^62 is an increase, not a negative number.
    long big = Long.MIN_VALUE | (1L << 62);
    Map<String, Map<String, Double>> rates =
        StatsCommand.rates(List.of(eth0(0, 0)), List.of(eth0(big, 0)), 1.0);

    assertThat(rates.get("eth0").get("pps_allowance_exceeded")).isCloseTo(0x1.8p63, within(1.0));
  }

  @Test
  void aCounterThatWentDownWasResetAndCountsFromZero() {
    Map<String, Map<String, Double>> rates =
        StatsCommand.rates(List.of(eth0(1_000, 50)), List.of(eth0(30, 50)), 1.0);

    assertThat(rates.get("eth0"))
        .containsEntry("pps_allowance_exceeded", 30.0)
        .containsEntry("linklocal_allowance_exceeded", 0.0);
  }

  @Test
  void onlyTheAllowanceCountersGetRates() {
    InterfaceStats before = new InterfaceStats("eth0", "ena", "", List.of("rx_packets",
        StatCatalog.CONNTRACK_AVAILABLE_STAT, "bw_in_allowance_exceeded"), new long[] {1, 500, 1}, "");
    InterfaceStats after = new InterfaceStats("eth0", "ena", "", List.of("rx_packets",
        StatCatalog.CONNTRACK_AVAILABLE_STAT, "bw_in_allowance_exceeded"), new long[] {11, 400, 3}, "");

    assertThat(StatsCommand.rates(List.of(before), List.of(after), 1.0).get("eth0"))
        .containsOnlyKeys("bw_in_allowance_exceeded")
        .containsEntry("bw_in_allowance_exceeded", 2.0);
  }
}
