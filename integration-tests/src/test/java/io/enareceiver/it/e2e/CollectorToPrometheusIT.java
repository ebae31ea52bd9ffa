package io.enareceiver.it.e2e;

import static io.enareceiver.it.harness.FreePorts.loopback;
import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.it.harness.CollectorProcess;
import io.enareceiver.it.harness.FreePorts;
import io.enareceiver.it.harness.OtlpSender;
import io.enareceiver.it.harness.PrometheusProcess;
import io.enareceiver.it.harness.Sample;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.resources.Resource;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The path every ena-receiver metric takes, without the receiver: OTLP/gRPC from an OpenTelemetry
 * SDK into the test collector (built from the ADOT component set), batch, Prometheus remote write
 * into a real Prometheus. It pins down what the collector's translation makes of the metric
 * contract (DESIGN.md §5): the Prometheus names that rules, alerts and the dashboard are written
 * against, and that resource attributes (node, instance type, ENI) arrive as labels.
 */
class CollectorToPrometheusIT {
  private static final AttributeKey<String> ALLOWANCE = AttributeKey.stringKey("aws.ena.allowance");
  private static final AttributeKey<String> INTERFACE = AttributeKey.stringKey("network.interface.name");

  private static final String NODE = "ip-10-0-1-23.eu-west-1.compute.internal";
  private static final String INSTANCE_TYPE = "c6in.xlarge";
  private static final String ENI = "eni-0a1b2c3d4e5f60718";
  private static final Duration ARRIVAL = Duration.ofSeconds(60);

  private static PrometheusProcess prometheus;
  private static CollectorProcess collector;

  @BeforeAll
  static void startPipelineAndSend() throws URISyntaxException {
    // Both binaries first, so that a skip starts nothing.
    CollectorProcess.binary();
    PrometheusProcess.binary();
    prometheus = PrometheusProcess.builder().start();
    int otlpPort = FreePorts.next();
    int healthPort = FreePorts.next();
    collector = CollectorProcess.builder(resource("/e2e/collector-smoke.yaml"))
        .env("OTLP_GRPC_ENDPOINT", loopback(otlpPort))
        .env("HEALTH_ENDPOINT", loopback(healthPort))
        .env("PROMETHEUS_REMOTE_WRITE_URL", prometheus.remoteWriteUrl())
        .healthPort(healthPort)
        .start();
    send("http://" + loopback(otlpPort));
  }

  @AfterAll
  static void stop() {
    if (collector != null) {
      collector.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
  }

  @Test
  void linkLocalCounterArrivesWithInterfaceAndResourceLabels() {
    String promql = "aws_ena_allowance_exceeded_total{aws_ena_allowance=\"linklocal\"}";
    List<Sample> samples = awaitQuery(promql);

    assertThat(samples).as(promql).singleElement().satisfies(sample -> {
      assertThat(sample.value()).isEqualTo(1234.0);
      assertThat(sample.labels()).contains(
          Map.entry("network_interface_name", "eth0"),
          Map.entry("k8s_node_name", NODE),
          Map.entry("host_type", INSTANCE_TYPE),
          Map.entry("aws_ec2_eni_id", ENI),
          // service.name and service.instance.id become job and instance.
          Map.entry("job", "ena-receiver"),
          Map.entry("instance", "e2e-smoke"));
    });
  }

  @Test
  void translatorNamesEveryKindOfMetricInTheContract() {
    // Observed with contrib v0.165.1 (translation_strategy UnderscoreEscapingWithSuffixes, the
    // default): {packet} and {connection} vanish, s becomes _seconds, /s becomes _per_second,
    // % becomes _percent, and monotonic sums end in _total.
    Map<String, Double> expected = Map.of(
        "aws_ena_allowance_exceeded_total", 1234.0,
        "aws_ena_allowance_throttled_time_seconds_total", 3.0,
        "aws_ena_allowance_peak_rate_per_second", 410.0,
        "aws_ena_conntrack_available", 131072.0,
        "aws_ena_srd_resource_utilization_percent", 12.5);

    String selector = "{__name__=~\"aws_ena_.+\", network_interface_name=\"eth0\", aws_ena_allowance!~\"pps\"}";
    Map<String, Double> seen = prometheus.poll("every contract metric in Prometheus")
        .atMost(ARRIVAL)
        .context(CollectorToPrometheusIT::bothProcesses)
        .until(() -> valuesByName(prometheus.query(selector)), found -> found.size() >= expected.size());

    assertThat(seen).as("metric names and values from " + selector)
        .containsExactlyInAnyOrderEntriesOf(expected);
  }

  @Test
  void everySeriesCarriesTheEniOfItsResource() {
    List<Sample> samples = awaitQuery("{__name__=~\"aws_ena_.+\"}");

    assertThat(samples).isNotEmpty().allSatisfy(sample -> assertThat(sample.labels())
        .as(sample.metricName())
        .containsEntry("aws_ec2_eni_id", ENI)
        .containsEntry("k8s_node_name", NODE)
        .containsEntry("host_type", INSTANCE_TYPE));
  }

  @Test
  void everyResourceAlsoBecomesATargetInfoSeries() {
    // The exporter writes one target_info per resource (job, instance and the other resource
    // attributes as labels): joins on it can bring labels that a rule dropped back.
    List<Sample> samples = awaitQuery("target_info{job=\"ena-receiver\", instance=\"e2e-smoke\"}");

    assertThat(samples).singleElement().satisfies(sample -> {
      assertThat(sample.value()).isEqualTo(1.0);
      assertThat(sample.labels()).containsEntry("aws_ec2_eni_id", ENI).containsEntry("host_type", INSTANCE_TYPE);
    });
  }

  private static List<Sample> awaitQuery(String promql) {
    return prometheus.poll(promql + " in Prometheus")
        .atMost(ARRIVAL)
        .context(CollectorToPrometheusIT::bothProcesses)
        .until(() -> prometheus.query(promql), found -> !found.isEmpty());
  }

  /**
   * Sends one export of every metric kind of the contract, the way the receiver's OTLP exporter
   * does: cumulative sums and gauges under one resource per ENI.
   */
  private static void send(String endpoint) {
    Resource eni = Resource.create(Attributes.builder()
        .put("service.name", "ena-receiver")
        .put("service.instance.id", "e2e-smoke")
        .put("k8s.node.name", NODE)
        .put("host.type", INSTANCE_TYPE)
        .put("aws.ec2.eni.id", ENI)
        .put("cloud.provider", "aws")
        .build());
    try (OtlpSender sender = OtlpSender.open(endpoint, eni, Duration.ofSeconds(10))) {
      Meter meter = sender.meter();
      Attributes linklocal = Attributes.of(ALLOWANCE, "linklocal", INTERFACE, "eth0");
      Attributes eth0 = Attributes.of(INTERFACE, "eth0");

      var exceeded = meter.counterBuilder("aws.ena.allowance.exceeded").setUnit("{packet}").build();
      exceeded.add(1234, linklocal);
      exceeded.add(7, Attributes.of(ALLOWANCE, "pps", INTERFACE, "eth0"));
      meter.counterBuilder("aws.ena.allowance.throttled_time").ofDoubles().setUnit("s").build()
          .add(3.0, linklocal);
      meter.gaugeBuilder("aws.ena.allowance.peak_rate").ofLongs().setUnit("{packet}/s").build()
          .set(410, linklocal);
      meter.gaugeBuilder("aws.ena.conntrack.available").ofLongs().setUnit("{connection}").build()
          .set(131072, eth0);
      meter.gaugeBuilder("aws.ena.srd.resource_utilization").setUnit("%").build()
          .set(12.5, eth0);

      assertThat(sender.export())
          .as("OTLP export to the collector at %s succeeded%n%s", endpoint, collector.describe())
          .isTrue();
    }
  }

  private static Map<String, Double> valuesByName(List<Sample> samples) {
    return samples.stream().collect(Collectors.toMap(Sample::metricName, Sample::value, (a, b) -> Double.NaN,
        TreeMap::new));
  }

  private static String bothProcesses() {
    return collector.describe() + "\n" + prometheus.process().describe();
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(Objects.requireNonNull(CollectorToPrometheusIT.class.getResource(name),
        "test resource " + name).toURI());
  }
}
