package io.enareceiver.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.agent.Exported.Point;
import io.enareceiver.config.Config;
import io.enareceiver.testing.otlp.OtlpGrpcTestReceiver;
import io.enareceiver.testing.otlp.OtlpHttpTestReceiver;
import io.enareceiver.testing.otlp.OtlpTestReceiver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole agent, two simulated ENA interfaces, one real OTLP transport: what arrives is exactly
 * the metric contract of DESIGN.md §5 (names, units, descriptions, Sum or Gauge, cumulative and
 * monotonic sums, stable start times, advancing timestamps, the interface on every point), and
 * the receiver's own telemetry rides along.
 */
class AgentExportContractTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** Every default-on metric the derived captures can feed, with its unit and OTLP data kind. */
  private static final Map<String, String> UNITS = Map.of(
      "aws.ena.allowance.exceeded", "{packet}",
      "aws.ena.allowance.throttled_time", "s",
      "aws.ena.allowance.peak_rate", "{packet}/s",
      "aws.ena.conntrack.available", "{connection}",
      "aws.ena.device.events", "{event}");
  private static final Set<String> SUMS =
      Set.of("aws.ena.allowance.exceeded", "aws.ena.allowance.throttled_time", "aws.ena.device.events");
  private static final long[] PPS = {0, 40, 40, 130, 300, 310, 700, 700, 900, 1000};

  @TempDir Path dir;

  private static OtlpTestReceiver receiverFor(String protocol) throws IOException {
    return protocol.equals("grpc") ? OtlpGrpcTestReceiver.start() : OtlpHttpTestReceiver.start();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"grpc", "http/protobuf"})
  void sendsTheMetricContractForEachInterface(String protocol) throws Exception {
    try (OtlpTestReceiver receiver = receiverFor(protocol)) {
      AgentFixture.ppsCaptures(dir.resolve("eth1"), PPS);
      AgentFixture.ppsCaptures(dir.resolve("eth2"), 7, 7, 7, 7, 7, 7, 7, 7, 7, 7);
      String yaml = AgentFixture.yaml(protocol, receiver, "2s",
          AgentFixture.replayEntry("eth1", "0e:aa:bb:cc:dd:01", "eth1", false)
              + AgentFixture.replayEntry("eth2", "0e:aa:bb:cc:dd:02", "eth2", false));
      Config config = AgentFixture.load(dir, yaml, AgentFixture.imdsOff());

      int periodic;
      try (Agent agent = AgentFixture.start(config, AgentFixture.imdsOff())) {
        periodic = receiver.awaitRequests(4, WAIT).size();
      }
      List<ExportMetricsServiceRequest> requests = receiver.requests(); // with the final export of close()
      assertThat(requests).hasSizeGreaterThanOrEqualTo(4);

      for (ExportMetricsServiceRequest request : requests) {
        assertContractShape(request);
      }

      List<Point> points = Exported.points(requests).stream()
          .filter(p -> p.metric().getName().startsWith("aws.ena."))
          .toList();
      // Same series, same start time in every export; time advances from one export to the next.
      Map<String, List<Point>> bySeries = points.stream()
          .collect(Collectors.groupingBy(Point::series, LinkedHashMap::new, Collectors.toList()));
      assertThat(bySeries).isNotEmpty();
      bySeries.forEach((series, history) -> {
        assertThat(history).as("series %s appears in every export", series).hasSize(requests.size());
        if (SUMS.contains(history.getFirst().metric().getName())) {
          assertThat(history).as("start time of %s", series)
              .extracting(Point::start).containsOnly(history.getFirst().start());
          assertThat(history.getFirst().start()).as("start of %s is before its first point", series)
              .isPositive().isLessThanOrEqualTo(history.getFirst().time());
        }
        // Points are stamped with the time of the sample they show. Sampling (1 s) is faster than
        // collection (2 s), so each periodic export shows a newer sample; the final export of
        // close() may show the same last sample again, never an older one.
        for (int i = 1; i < history.size(); i++) {
          if (history.get(i).request() < periodic) {
            assertThat(history.get(i).time()).as("time_unix_nano of %s, export %d", series, i)
                .isGreaterThan(history.get(i - 1).time());
          } else {
            assertThat(history.get(i).time()).as("time_unix_nano of %s, final export", series)
                .isGreaterThanOrEqualTo(history.get(i - 1).time());
          }
        }
      });

      // The values are the replayed driver counters: eth1's pps counter climbs through the
      // captures, eth2's stands still; a counter never goes down in what was sent.
      List<Point> eth1Pps = Exported.series(points, "aws.ena.allowance.exceeded", Exported.ALLOWANCE, "pps").stream()
          .filter(p -> "eth1".equals(p.attr(Exported.INTERFACE))).toList();
      assertThat(eth1Pps).extracting(Point::value).isSortedAccordingTo(Double::compare);
      assertThat(eth1Pps.getFirst().value()).isEqualTo(0.0);
      assertThat(eth1Pps.getLast().value()).isGreaterThan(40.0)
          .isIn(java.util.Arrays.stream(PPS).mapToObj(v -> (double) v).toList());
      assertThat(Exported.series(points, "aws.ena.allowance.exceeded", Exported.ALLOWANCE, "pps").stream()
          .filter(p -> "eth2".equals(p.attr(Exported.INTERFACE)))).extracting(Point::value).containsOnly(7.0);
      assertThat(Exported.series(points, "aws.ena.allowance.throttled_time", Exported.ALLOWANCE, "pps").stream()
          .filter(p -> "eth2".equals(p.attr(Exported.INTERFACE)))).extracting(Point::value).containsOnly(0.0);

      assertSelfTelemetry(Exported.points(requests), requests.size(), periodic);
    }
  }

  /**
   * One request: exact names, units, kinds and temporality, every interface point labelled with
   * its interface. Without IMDS both interfaces have the same Resource (no ENI id to tell them
   * apart), so the exporter may group them under one; the per-ENI Resources are
   * {@link AgentResourceIdentityTest}'s subject.
   */
  private static void assertContractShape(ExportMetricsServiceRequest request) {
    Map<String, Set<String>> metricsByInterface = new LinkedHashMap<>();
    Map<String, Set<String>> allowancesByInterface = new LinkedHashMap<>();
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      assertThat(rm.getResource().getAttributesList()).extracting(kv -> kv.getKey())
          .contains("service.name", "service.instance.id")
          .doesNotContain("aws.ec2.eni.id", "host.id");
      for (Metric m : rm.getScopeMetricsList().stream().flatMap(s -> s.getMetricsList().stream()).toList()) {
        if (m.getName().startsWith("ena_receiver.")) {
          continue;
        }
        assertThat(m.getName()).as("exported metric").isIn(UNITS.keySet());
        assertThat(m.getUnit()).as("unit of %s", m.getName()).isEqualTo(UNITS.get(m.getName()));
        assertThat(m.getDescription()).as("description of %s", m.getName()).isNotBlank();
        if (SUMS.contains(m.getName())) {
          assertThat(m.getDataCase()).as("%s", m.getName()).isEqualTo(Metric.DataCase.SUM);
          assertThat(m.getSum().getAggregationTemporality()).as("%s", m.getName())
              .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
          assertThat(m.getSum().getIsMonotonic()).as("%s is monotonic", m.getName()).isTrue();
        } else {
          assertThat(m.getDataCase()).as("%s", m.getName()).isEqualTo(Metric.DataCase.GAUGE);
        }
        for (var p : Exported.numberPoints(m)) {
          Map<String, Object> attrs = Exported.attributes(p.getAttributesList());
          assertThat(attrs).as("attributes of a %s point", m.getName()).containsKey(Exported.INTERFACE);
          String iface = attrs.get(Exported.INTERFACE).toString();
          metricsByInterface.computeIfAbsent(iface, k -> new java.util.TreeSet<>()).add(m.getName());
          if (m.getName().equals("aws.ena.allowance.exceeded")) {
            allowancesByInterface.computeIfAbsent(iface, k -> new java.util.TreeSet<>())
                .add(String.valueOf(attrs.get(Exported.ALLOWANCE)));
          }
        }
      }
    }
    assertThat(metricsByInterface).containsOnlyKeys("eth1", "eth2");
    metricsByInterface.values().forEach(names -> assertThat(names).containsExactlyInAnyOrderElementsOf(UNITS.keySet()));
    allowancesByInterface.values().forEach(a ->
        assertThat(a).containsExactlyInAnyOrder("bw_in", "bw_out", "pps", "conntrack", "linklocal"));
  }

  /** ena_receiver.*: sampling time present and sane, no read errors, failures counted as zero. */
  private static void assertSelfTelemetry(List<Point> all, int exports, int periodic) {
    List<Point> duration = Exported.series(all, "ena_receiver.sample.duration", null, null);
    // In every periodic export (each follows at least one pass); the final export on stop has it
    // only if a pass ran since the previous export.
    assertThat(duration).extracting(Point::request).containsAll(java.util.stream.IntStream.range(0, periodic).boxed().toList());
    assertThat(duration).allSatisfy(p -> {
      assertThat(p.metric().getUnit()).isEqualTo("s");
      assertThat(p.metric().getDataCase()).isEqualTo(Metric.DataCase.GAUGE);
      // A pass over two replayed interfaces copies arrays: well under one sampling interval.
      assertThat(p.value()).isGreaterThan(0.0).isLessThan(1.0);
    });
    assertThat(duration).extracting(p -> p.resource().containsKey(Exported.INTERFACE)).containsOnly(false);
    assertThat(Exported.series(all, "ena_receiver.read.errors", null, null)).as("read errors of a clean replay").isEmpty();
    List<Point> failures = Exported.series(all, "ena_receiver.export.failures", "ena_receiver.exporter", "otlp");
    // Counted from the first completed export on, so the first request cannot carry it yet.
    assertThat(failures).hasSizeGreaterThanOrEqualTo(exports - 1);
    assertThat(failures).extracting(Point::value).containsOnly(0.0);
    assertThat(failures.getFirst().metric().getDataCase()).isEqualTo(Metric.DataCase.SUM);
  }
}
