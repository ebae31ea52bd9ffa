package io.enareceiver.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.config.KnownMetrics;
import io.enareceiver.ethtool.InterfaceTracker;
import io.enareceiver.ena.StatCatalog;
import io.enareceiver.ena.StatClass;
import io.enareceiver.replay.ReplayScenarios;
import io.enareceiver.replay.ReplayStatSource;
import io.enareceiver.replay.Scenario;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.time.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The built-in DNS-throttling episode (real ENA capture, linklocal counter rising through a
 * 20 s burst) through the production mapper, sampler and producer: the exported figures equal
 * what the scenario injected.
 */
class DnsThrottlingScenarioTest {
  private final TestClock clock = TestClock.create(Instant.parse("2026-12-04T10:00:00Z"));

  @Test
  void exportedFiguresEqualTheInjectedEpisode() throws Exception {
    Scenario scenario = ReplayScenarios.loadBuiltin("dns-throttling");
    ReplayStatSource source = new ReplayStatSource(scenario.iface(), scenario.captures(), false, clock::now);
    InterfaceTracker tracker = new InterfaceTracker() {
      boolean offered;

      @Override
      public void refresh(Listener listener) {
        if (!offered) {
          offered = true;
          listener.appeared(source);
        }
      }

      @Override
      public void close() {}
    };
    CatalogStatMapper mapper = new CatalogStatMapper(n -> KnownMetrics.defaults().get(n), s -> true);
    Sampler sampler = new Sampler(tracker, mapper, Duration.ofSeconds(1), clock, 0, new SelfTelemetry(clock.now()));
    EnaMetricProducer producer =
        new EnaMetricProducer(sampler, ResourceResolver.of(Resource.empty()), KnownMetrics.defaults(), "t", clock);
    double peak = 0;
    Collection<MetricData> last = List.of();
    for (int i = 0; i < scenario.captures().size(); i++) {
      sampler.sampleOnce();
      clock.advance(Duration.ofSeconds(1));
      if (i % 15 == 14) {
        last = producer.produce(Resource.empty());
        peak = Math.max(peak, value(last, "aws.ena.allowance.peak_rate", "linklocal"));
      }
    }
    long first = scenario.captures().getFirst().value("linklocal_allowance_exceeded");
    long end = scenario.captures().getLast().value("linklocal_allowance_exceeded");
    assertThat(end - first).isEqualTo(9085);
    assertThat(value(last, "aws.ena.allowance.exceeded", "linklocal")).isEqualTo((double) end);
    assertThat(value(last, "aws.ena.allowance.throttled_time", "linklocal")).isEqualTo(20.0);
    assertThat(value(last, "aws.ena.allowance.throttled_time", "pps")).isEqualTo(0.0);
    assertThat(peak).isEqualTo(900.0);
    assertThat(last).extracting(MetricData::getName)
        .contains("aws.ena.device.events")
        .doesNotContain("ethtool.stat", "aws.ena.queue.packets", "aws.ena.conntrack.available");
  }

  @Test
  void catalogKindsAndUnitsAgreeWithTheContract() throws Exception {
    Scenario scenario = ReplayScenarios.loadBuiltin("dns-throttling");
    List<String> names = scenario.captures().getFirst().names();
    List<String> all = new java.util.ArrayList<>(names);
    all.addAll(List.of("conntrack_allowance_available", "ena_srd_mode", "ena_srd_tx_pkts", "ena_srd_rx_pkts",
        "ena_srd_eligible_tx_pkts", "ena_srd_resource_utilization"));
    for (StatClass c : StatCatalog.classify("ena", all).all()) {
      MetricDescriptor d = MetricContract.statMetric(c.metric());
      assertThat(d.unit()).as(c.statName()).isEqualTo(c.unit());
      assertThat(d.isCounter()).as(c.statName()).isEqualTo(c.isCounter());
    }
  }

  private static double value(Collection<MetricData> data, String metric, String allowance) {
    for (MetricData m : data) {
      if (!m.getName().equals(metric)) {
        continue;
      }
      for (PointData p : m.getData().getPoints()) {
        if (allowance.equals(p.getAttributes().get(MetricContract.ALLOWANCE))) {
          return p instanceof io.opentelemetry.sdk.metrics.data.LongPointData l
              ? l.getValue() : ((io.opentelemetry.sdk.metrics.data.DoublePointData) p).getValue();
        }
      }
    }
    throw new AssertionError("no " + metric + "{" + allowance + "} in " + data);
  }
}
