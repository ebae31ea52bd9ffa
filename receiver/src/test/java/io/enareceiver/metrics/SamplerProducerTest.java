package io.enareceiver.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.config.KnownMetrics;
import io.enareceiver.ethtool.EthtoolException;
import io.enareceiver.ethtool.InterfaceTracker;
import io.enareceiver.ethtool.StatSource;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.time.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SamplerProducerTest {
  private static final long BOOT = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli() * 1_000_000L;
  private final TestClock clock = TestClock.create(Instant.parse("2026-12-04T10:00:00Z"));

  /** A tracker that offers a fixed list once, then whatever the test adds or removes. */
  private static final class ListTracker implements InterfaceTracker {
    final List<StatSource> pending = new ArrayList<>();
    final List<String> gone = new ArrayList<>();
    /** Selected but refused at their first look, reported on every refresh until removed. */
    final List<String> refused = new ArrayList<>();

    @Override
    public void refresh(Listener listener) {
      pending.forEach(listener::appeared);
      pending.clear();
      gone.forEach(listener::vanished);
      gone.clear();
      refused.forEach(name -> listener.unreadable(name,
          new EthtoolException(EthtoolException.Reason.PERMISSION, 13, name, name + ": EACCES")));
    }

    @Override
    public void close() {}
  }

  private Sampler sampler(ListTracker tracker) {
    return new Sampler(tracker, new CatalogStatMapper(name -> KnownMetrics.defaults().get(name), stat -> true), Duration.ofSeconds(1), clock, BOOT, new SelfTelemetry(clock.now()));
  }

  private EnaMetricProducer producer(Sampler sampler) {
    return new EnaMetricProducer(sampler, ResourceResolver.of(Resource.empty()), KnownMetrics.defaults(), "test", clock);
  }

  private void tick(Sampler sampler) {
    sampler.sampleOnce();
    clock.advance(Duration.ofSeconds(1));
  }

  private static MetricData metric(Collection<MetricData> data, String name) {
    return data.stream().filter(m -> m.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name + " in " + data));
  }

  private static <T extends io.opentelemetry.sdk.metrics.data.PointData> T point(Collection<T> points, String allowance) {
    return points.stream()
        .filter(p -> allowance.equals(p.getAttributes().get(MetricContract.ALLOWANCE)))
        .findFirst().orElseThrow(() -> new AssertionError("no point for " + allowance + " in " + points));
  }

  @Test
  void counterRisingInThreeOfFifteenSamplesGivesThreeSecondsAndPeakIsLargestIncrease() {
    ListTracker tracker = new ListTracker();
    ScriptedSource eth0 = new ScriptedSource("eth0", clock, "linklocal_allowance_exceeded", "pps_allowance_exceeded");
    long[] linklocal = {100, 100, 100, 100, 350, 350, 350, 1250, 1250, 1250, 1250, 1260, 1260, 1260, 1260, 1260};
    for (long v : linklocal) {
      eth0.then(v, 7);
    }
    tracker.pending.add(eth0);
    Sampler sampler = sampler(tracker);
    for (int i = 0; i < linklocal.length; i++) {
      tick(sampler);
    }
    Collection<MetricData> data = producer(sampler).produce(Resource.empty());

    MetricData exceeded = metric(data, "aws.ena.allowance.exceeded");
    assertThat(exceeded.getType()).isEqualTo(MetricDataType.LONG_SUM);
    assertThat(exceeded.getLongSumData().isMonotonic()).isTrue();
    assertThat(exceeded.getLongSumData().getAggregationTemporality()).isEqualTo(AggregationTemporality.CUMULATIVE);
    assertThat(exceeded.getUnit()).isEqualTo("{packet}");
    LongPointData ll = point(exceeded.getLongSumData().getPoints(), "linklocal");
    assertThat(ll.getValue()).isEqualTo(1260);
    assertThat(ll.getStartEpochNanos()).isEqualTo(BOOT);
    assertThat(ll.getAttributes().get(MetricContract.INTERFACE_NAME)).isEqualTo("eth0");

    MetricData throttled = metric(data, "aws.ena.allowance.throttled_time");
    assertThat(throttled.getType()).isEqualTo(MetricDataType.DOUBLE_SUM);
    assertThat(throttled.getUnit()).isEqualTo("s");
    assertThat(point(throttled.getDoubleSumData().getPoints(), "linklocal").getValue()).isEqualTo(3.0);
    assertThat(point(throttled.getDoubleSumData().getPoints(), "pps").getValue()).isEqualTo(0.0);

    MetricData peak = metric(data, "aws.ena.allowance.peak_rate");
    assertThat(peak.getType()).isEqualTo(MetricDataType.DOUBLE_GAUGE);
    assertThat(peak.getUnit()).isEqualTo("{packet}/s");
    assertThat(point(peak.getDoubleGaugeData().getPoints(), "linklocal").getValue()).isEqualTo(900.0);

    // Peak rate is "since the previous export": a quiet window reports 0.
    tick(sampler);
    Collection<MetricData> next = producer(sampler).produce(Resource.empty());
    assertThat(point(metric(next, "aws.ena.allowance.peak_rate").getDoubleGaugeData().getPoints(), "linklocal").getValue())
        .isEqualTo(0.0);
  }

  @Test
  void startTimeIsStableAcrossExportsAndAResetStartsANewOneWithoutADecrease() {
    ListTracker tracker = new ListTracker();
    ScriptedSource eth0 = new ScriptedSource("eth0", clock, "conntrack_allowance_exceeded")
        .then(500).then(510).then(520).then(3).then(9);
    tracker.pending.add(eth0);
    Sampler sampler = sampler(tracker);
    EnaMetricProducer producer = producer(sampler);
    List<LongPointData> seen = new ArrayList<>();
    long resetSampleTime = 0;
    for (int i = 0; i < 5; i++) {
      if (i == 2) {
        resetSampleTime = clock.now(); // the last sample before the reset
      }
      tick(sampler);
      seen.add(point(metric(producer.produce(Resource.empty()), "aws.ena.allowance.exceeded")
          .getLongSumData().getPoints(), "conntrack"));
    }
    assertThat(seen.subList(0, 3)).allSatisfy(p -> assertThat(p.getStartEpochNanos()).isEqualTo(BOOT));
    assertThat(seen.subList(0, 3)).extracting(LongPointData::getValue).containsExactly(500L, 510L, 520L);
    assertThat(seen.get(3).getStartEpochNanos()).isEqualTo(resetSampleTime);
    assertThat(seen.get(3).getValue()).isEqualTo(3);
    assertThat(seen.get(4).getStartEpochNanos()).isEqualTo(resetSampleTime);
    assertThat(seen.get(4).getValue()).isEqualTo(9);
    // Under one start time the value never goes down.
    for (int i = 1; i < seen.size(); i++) {
      if (seen.get(i).getStartEpochNanos() == seen.get(i - 1).getStartEpochNanos()) {
        assertThat(seen.get(i).getValue()).isGreaterThanOrEqualTo(seen.get(i - 1).getValue());
      }
    }
    // The reset interval counts as throttled: 3 packets were dropped after the reset.
    DoublePointData throttled = point(metric(producer.produce(Resource.empty()), "aws.ena.allowance.throttled_time")
        .getDoubleSumData().getPoints(), "conntrack");
    assertThat(throttled.getValue()).isEqualTo(4.0);
  }

  @Test
  void interfacesThatAppearLaterStartWhenFirstSeenAndVanishedOnesStopBeingReported() {
    ListTracker tracker = new ListTracker();
    tracker.pending.add(new ScriptedSource("eth0", clock, "pps_allowance_exceeded").then(1));
    Sampler sampler = sampler(tracker);
    EnaMetricProducer producer = producer(sampler);
    tick(sampler);
    long appearedAt = clock.now();
    ScriptedSource eth1 = new ScriptedSource("eth1", clock, "pps_allowance_exceeded").then(42);
    tracker.pending.add(eth1);
    tick(sampler);
    List<LongPointData> points = new ArrayList<>();
    for (MetricData m : producer.produce(Resource.empty())) {
      if (m.getName().equals("aws.ena.allowance.exceeded")) {
        points.addAll(m.getLongSumData().getPoints());
      }
    }
    assertThat(points).extracting(p -> p.getAttributes().get(MetricContract.INTERFACE_NAME))
        .containsExactlyInAnyOrder("eth0", "eth1");
    LongPointData eth1Point = points.stream()
        .filter(p -> "eth1".equals(p.getAttributes().get(MetricContract.INTERFACE_NAME))).findFirst().orElseThrow();
    assertThat(eth1Point.getStartEpochNanos()).isEqualTo(appearedAt);

    tracker.gone.add("eth1");
    tick(sampler);
    assertThat(eth1.closed).isTrue();
    assertThat(producer.produce(Resource.empty()))
        .flatExtracting(m -> m.getData().getPoints())
        .noneMatch(p -> "eth1".equals(p.getAttributes().get(MetricContract.INTERFACE_NAME)));
  }

  @Test
  void aVanishingInterfaceIsDroppedAndOtherReadErrorsAreCountedWithoutStoppingTheOthers() {
    ListTracker tracker = new ListTracker();
    ScriptedSource gone = new ScriptedSource("eth1", clock, "pps_allowance_exceeded").then(1)
        .thenFail(new EthtoolException(EthtoolException.Reason.NO_DEVICE, 19, "eth1", "eth1: gone"));
    ScriptedSource denied = new ScriptedSource("eth2", clock, "pps_allowance_exceeded").then(5)
        .thenFail(new EthtoolException(EthtoolException.Reason.PERMISSION, 1, "eth2", "eth2: EPERM"))
        .then(6);
    ScriptedSource fine = new ScriptedSource("eth0", clock, "pps_allowance_exceeded").then(1).then(2).then(3);
    tracker.pending.addAll(List.of(fine, gone, denied));
    Sampler sampler = sampler(tracker);
    tick(sampler);
    assertThat(sampler.self().lastPassReads()).isEqualTo(new SelfTelemetry.PassReads(3, 0));
    tick(sampler);
    // eth1 vanished (not a failure), eth2 refused, eth0 read.
    assertThat(sampler.self().lastPassReads()).isEqualTo(new SelfTelemetry.PassReads(1, 1));
    tick(sampler);
    assertThat(sampler.self().lastPassReads()).isEqualTo(new SelfTelemetry.PassReads(2, 0));
    assertThat(sampler.interfaces()).extracting(i -> i.name()).containsExactly("eth0", "eth2");
    Collection<MetricData> data = producer(sampler).produce(Resource.empty());
    MetricData errors = metric(data, "ena_receiver.read.errors");
    assertThat(errors.getLongSumData().getPoints()).singleElement().satisfies(p -> {
      assertThat(p.getValue()).isEqualTo(1);
      assertThat(p.getAttributes()).isEqualTo(Attributes.of(MetricContract.INTERFACE_NAME, "eth2",
          MetricContract.ERROR_TYPE, "EPERM"));
    });
    // One MetricData per interface (each has its own Resource).
    assertThat(data).filteredOn(m -> m.getName().equals("aws.ena.allowance.exceeded"))
        .flatExtracting(m -> m.getLongSumData().getPoints())
        .extracting(p -> ((LongPointData) p).getValue()).containsExactlyInAnyOrder(3L, 6L);
  }

  @Test
  void anInterfaceRefusedAtItsFirstLookCountsAsAFailedReadEveryPassUntilItIsGone() {
    // A seccomp policy that refuses SIOCETHTOOL refuses the tracker's first look too: the
    // interface is never monitored, and without this it would look like a node with nothing to read.
    ListTracker tracker = new ListTracker();
    tracker.pending.add(new ScriptedSource("eth0", clock, "pps_allowance_exceeded").then(1).then(2).then(3));
    tracker.refused.add("eth1");
    Sampler sampler = sampler(tracker);
    tick(sampler);
    tick(sampler);
    assertThat(sampler.self().lastPassReads()).isEqualTo(new SelfTelemetry.PassReads(1, 1));
    assertThat(sampler.interfaces()).extracting(i -> i.name()).containsExactly("eth0");
    MetricData errors = metric(producer(sampler).produce(Resource.empty()), "ena_receiver.read.errors");
    assertThat(errors.getLongSumData().getPoints()).singleElement().satisfies(p -> {
      assertThat(p.getValue()).isEqualTo(2);
      assertThat(p.getAttributes()).isEqualTo(Attributes.of(MetricContract.INTERFACE_NAME, "eth1",
          MetricContract.ERROR_TYPE, "EACCES"));
    });

    tracker.refused.clear();
    tracker.gone.add("eth1"); // no longer selected: the tracker lets go of it
    tick(sampler);
    assertThat(sampler.self().lastPassReads()).isEqualTo(new SelfTelemetry.PassReads(1, 0));
    assertThat(producer(sampler).produce(Resource.empty())).extracting(MetricData::getName)
        .doesNotContain("ena_receiver.read.errors");
  }

  @Test
  void anInterfaceWhoseReadsKeepFailingStopsBeingExportedAndReadErrorsNeverDecrease() {
    ListTracker tracker = new ListTracker();
    ScriptedSource broken = new ScriptedSource("eth3", clock, "pps_allowance_exceeded").then(5);
    for (int i = 0; i < 12; i++) {
      broken.thenFail(new EthtoolException(EthtoolException.Reason.OTHER, 5, "eth3", "eth3: EIO"));
    }
    tracker.pending.add(broken);
    Sampler sampler = sampler(tracker);
    EnaMetricProducer producer = producer(sampler);
    tick(sampler);
    tick(sampler);
    assertThat(producer.produce(Resource.empty())).extracting(MetricData::getName).contains("aws.ena.allowance.exceeded");
    long errorsBefore = readErrors(producer.produce(Resource.empty()));
    for (int i = 0; i < 11; i++) {
      tick(sampler);
    }
    Collection<MetricData> late = producer.produce(Resource.empty());
    // Ten sampling intervals without a good read: the last value is not repeated for ever.
    assertThat(late).extracting(MetricData::getName).doesNotContain("aws.ena.allowance.exceeded");
    assertThat(readErrors(late)).isGreaterThan(errorsBefore).isEqualTo(12);
  }

  private static long readErrors(Collection<MetricData> data) {
    return data.stream().filter(m -> m.getName().equals("ena_receiver.read.errors"))
        .flatMap(m -> m.getLongSumData().getPoints().stream()).mapToLong(LongPointData::getValue).sum();
  }

  @Test
  void aSecondSourceWithAMonitoredNameIsIgnoredAndItsVanishingLeavesTheFirstAlone() {
    ListTracker tracker = new ListTracker();
    ScriptedSource real = new ScriptedSource("eth0", clock, "pps_allowance_exceeded").then(1).then(2).then(3);
    ScriptedSource replayed = new ScriptedSource("eth0", clock, "pps_allowance_exceeded").then(500);
    tracker.pending.addAll(List.of(real, replayed));
    Sampler sampler = sampler(tracker);
    tick(sampler);
    assertThat(replayed.closed).isTrue();
    assertThat(real.closed).isFalse();
    tracker.gone.add("eth0"); // the ignored twin goes away
    tick(sampler);
    tick(sampler);
    assertThat(sampler.interfaces()).extracting(i -> i.name()).containsExactly("eth0");
    assertThat(point(metric(producer(sampler).produce(Resource.empty()), "aws.ena.allowance.exceeded")
        .getLongSumData().getPoints(), "pps").getValue()).isEqualTo(3);
  }

  @Test
  void aChangedStatListKeepsTheStateOfSurvivingStatsAndStartsNewOnesWhenFirstSeen() {
    ListTracker tracker = new ListTracker();
    ScriptedSource eth0 = new ScriptedSource("eth0", clock, "pps_allowance_exceeded").then(10).then(11)
        .thenNames("pps_allowance_exceeded", "linklocal_allowance_exceeded").then(12, 5);
    tracker.pending.add(eth0);
    Sampler sampler = sampler(tracker);
    tick(sampler);
    tick(sampler);
    long namesChangedAt = clock.now();
    tick(sampler);
    Collection<LongPointData> points = metric(producer(sampler).produce(Resource.empty()), "aws.ena.allowance.exceeded")
        .getLongSumData().getPoints();
    assertThat(point(points, "pps").getStartEpochNanos()).isEqualTo(BOOT);
    assertThat(point(points, "pps").getValue()).isEqualTo(12);
    assertThat(point(points, "linklocal").getStartEpochNanos()).isEqualTo(namesChangedAt);
  }

  @Test
  void disabledMetricsAreNotEmittedButTheirDerivedMetricsStillAre() {
    ListTracker tracker = new ListTracker();
    tracker.pending.add(new ScriptedSource("eth0", clock, "linklocal_allowance_exceeded").then(1).then(5));
    Sampler sampler = sampler(tracker);
    tick(sampler);
    tick(sampler);
    Map<String, Boolean> enabled = new java.util.HashMap<>(KnownMetrics.defaults());
    enabled.put(KnownMetrics.ALLOWANCE_EXCEEDED, false);
    Collection<MetricData> data =
        new EnaMetricProducer(sampler, ResourceResolver.of(Resource.empty()), enabled, "t", clock).produce(Resource.empty());
    assertThat(data).extracting(MetricData::getName)
        .doesNotContain("aws.ena.allowance.exceeded")
        .contains("aws.ena.allowance.throttled_time", "aws.ena.allowance.peak_rate");
  }
}
