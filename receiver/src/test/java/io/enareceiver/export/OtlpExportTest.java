package io.enareceiver.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.enareceiver.testing.otlp.OtlpTestReceiver;
import io.enareceiver.testing.otlp.ReceivedRequest;
import io.enareceiver.testing.otlp.ReceivedRequest.Outcome;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.io.PrintStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Real exports through both OTLP transports, decoded on arrival with the official protos. */
class OtlpExportTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Function<String, String> NO_ENV = k -> null;
  private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

  private static CompletableResultCode exportAndWait(MetricExporter exporter) {
    CompletableResultCode result = exporter.export(TestMetrics.all());
    result.join(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(result.isDone()).as("export finished within %s", WAIT).isTrue();
    return result;
  }

  @ParameterizedTest
  @EnumSource(OtlpTransport.class)
  void metricsArriveExactlyWithResourceTemporalityTimestampsHeadersAndGzip(OtlpTransport transport)
      throws Exception {
    try (OtlpTestReceiver receiver = transport.start();
        MetricExporter exporter =
            MetricExporterFactory.create(
                List.of("otlp"),
                transport.config(receiver, "gzip", Map.of("authorization", "Bearer t0ken-123"), null),
                NO_ENV,
                NOWHERE)) {

      assertThat(exportAndWait(exporter).isSuccess()).isTrue();

      ExportMetricsServiceRequest request = receiver.awaitRequests(1, WAIT).getFirst();
      ReceivedRequest seen = receiver.received().getFirst();
      assertThat(seen.header("authorization")).isEqualTo("Bearer t0ken-123");
      assertThat(seen.gzip()).as("body gzip-compressed").isTrue();
      assertThat(seen.header("user-agent")).startsWith("OTel-OTLP-Exporter-Java");

      assertThat(request.getResourceMetricsCount()).isOne();
      ResourceMetrics rm = request.getResourceMetrics(0);
      assertThat(attributes(rm.getResource().getAttributesList()))
          .containsEntry("service.name", "ena-receiver")
          .containsEntry("k8s.node.name", "ip-10-0-1-23.ec2.internal")
          .containsEntry("host.type", "m6i.large")
          .containsEntry("aws.ec2.eni.id", "eni-0abc123")
          .containsEntry("aws.ec2.eni.device_index", 0L)
          .hasSize(5);
      assertThat(rm.getScopeMetricsCount()).isOne();
      ScopeMetrics sm = rm.getScopeMetrics(0);
      assertThat(sm.getScope().getName()).isEqualTo("io.enareceiver");
      assertThat(sm.getScope().getVersion()).isEqualTo("0.1.0");
      assertThat(sm.getMetricsList()).extracting(Metric::getName)
          .containsExactlyInAnyOrder("aws.ena.allowance.exceeded", "aws.ena.conntrack.available");

      Metric sum = metric(sm, "aws.ena.allowance.exceeded");
      assertThat(sum.getUnit()).isEqualTo("{packet}");
      assertThat(sum.getDescription()).isEqualTo("Packets dropped because an ENI allowance was exceeded");
      assertThat(sum.hasSum()).isTrue();
      assertThat(sum.getSum().getAggregationTemporality())
          .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      assertThat(sum.getSum().getIsMonotonic()).isTrue();
      assertThat(sum.getSum().getDataPointsList())
          .extracting(p -> attributes(p.getAttributesList()), NumberDataPoint::getAsInt,
              NumberDataPoint::getStartTimeUnixNano, NumberDataPoint::getTimeUnixNano)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(
                  Map.of("network.interface.name", "eth0", "aws.ena.allowance", "linklocal"), 1234L,
                  TestMetrics.START_NANOS, TestMetrics.TIME_NANOS),
              org.assertj.core.groups.Tuple.tuple(
                  Map.of("network.interface.name", "eth0", "aws.ena.allowance", "pps"), 0L,
                  TestMetrics.START_NANOS, TestMetrics.TIME_NANOS));

      Metric gauge = metric(sm, "aws.ena.conntrack.available");
      assertThat(gauge.getUnit()).isEqualTo("{connection}");
      assertThat(gauge.hasGauge()).isTrue();
      assertThat(gauge.getGauge().getDataPointsList()).singleElement().satisfies(p -> {
        assertThat(p.getAsInt()).isEqualTo(42017L);
        assertThat(p.getTimeUnixNano()).isEqualTo(TestMetrics.TIME_NANOS);
        assertThat(attributes(p.getAttributesList())).isEqualTo(Map.of("network.interface.name", "eth0"));
      });
    }
  }

  @ParameterizedTest
  @EnumSource(OtlpTransport.class)
  void headersFromTheEnvironmentArriveAndNoneMeansUncompressed(OtlpTransport transport) throws Exception {
    try (OtlpTestReceiver receiver = transport.start()) {
      Map<String, String> env = Map.of(
          "OTEL_EXPORTER_OTLP_HEADERS", "x-scope-orgid=tenant%2042,api-key=abc",
          "OTEL_EXPORTER_OTLP_COMPRESSION", "none");
      try (MetricExporter exporter =
          MetricExporterFactory.create(
              List.of("otlp"), transport.config(receiver, null, null, null), env::get, NOWHERE)) {
        assertThat(exportAndWait(exporter).isSuccess()).isTrue();
      }
      receiver.awaitRequests(1, WAIT);
      ReceivedRequest seen = receiver.received().getFirst();
      assertThat(seen.header("x-scope-orgid")).isEqualTo("tenant 42");
      assertThat(seen.header("api-key")).isEqualTo("abc");
      assertThat(seen.gzip()).isFalse();
      assertThat(receiver.headers()).singleElement().satisfies(h -> assertThat(h).containsKey("api-key"));
    }
  }

  @ParameterizedTest
  @EnumSource(OtlpTransport.class)
  void failingEndpointGivesAFailedResultWithoutThrowing(OtlpTransport transport) throws Exception {
    try (OtlpTestReceiver receiver = transport.start()) {
      receiver.failFor(Duration.ofMinutes(5));
      try (MetricExporter exporter =
          MetricExporterFactory.otlp(
              OtlpExporterSettings.resolve(transport.config(receiver, null, null, null), NO_ENV),
              OtlpTransport.FAST_RETRY)) {
        CompletableResultCode[] result = new CompletableResultCode[1];
        assertThatCode(() -> result[0] = exportAndWait(exporter)).doesNotThrowAnyException();
        assertThat(result[0].isSuccess()).isFalse();
      }
      // 503 / UNAVAILABLE are retryable: every attempt reached the receiver and failed.
      assertThat(receiver.awaitReceived(3, WAIT)).hasSize(3).allMatch(r -> r.outcome() == Outcome.FAILED);
      assertThat(receiver.requests()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(OtlpTransport.class)
  void aRetryDeliversAfterOneFailure(OtlpTransport transport) throws Exception {
    try (OtlpTestReceiver receiver = transport.start()) {
      receiver.failNext(1);
      try (MetricExporter exporter =
          MetricExporterFactory.otlp(
              OtlpExporterSettings.resolve(transport.config(receiver, null, null, null), NO_ENV),
              OtlpTransport.FAST_RETRY)) {
        assertThat(exportAndWait(exporter).isSuccess()).isTrue();
      }
      assertThat(receiver.received()).extracting(ReceivedRequest::outcome)
          .containsExactly(Outcome.FAILED, Outcome.ACCEPTED);
      assertThat(receiver.requests()).singleElement()
          .isEqualTo(receiver.received().getFirst().request());
    }
  }

  /**
   * The production policy: at most the SDK default of 5 attempts, then the export fails. The
   * export timeout bounds the retries too, so it is set long enough here (the default backoffs
   * add up to at most 8.1 s) for the attempt limit to be what stops them.
   */
  // One transport only: the default backoffs cost about 8 s per run, and both builders take
  // the same RetryPolicy (gRPC retrying UNAVAILABLE is shown by aRetryDeliversAfterOneFailure).
  @ParameterizedTest
  @EnumSource(value = OtlpTransport.class, names = "HTTP")
  void defaultRetryPolicyGivesUpAfterFiveAttempts(OtlpTransport transport) throws Exception {
    assertThat(RetryPolicy.getDefault().getMaxAttempts()).isEqualTo(5);
    try (OtlpTestReceiver receiver = transport.start()) {
      receiver.failNext(100);
      var config = new io.enareceiver.config.OtlpExporterConfig(
          receiver.endpoint(), transport.protocol, Duration.ofSeconds(15), null, null, null);
      try (MetricExporter exporter =
          MetricExporterFactory.otlp(OtlpExporterSettings.resolve(config, NO_ENV))) {
        assertThat(exportAndWait(exporter).isSuccess()).isFalse();
      }
      assertThat(receiver.received()).hasSize(5).allMatch(r -> r.outcome() == Outcome.FAILED);
    }
  }

  @ParameterizedTest
  @EnumSource(OtlpTransport.class)
  void refusedConnectionsGiveAFailedResult(OtlpTransport transport) throws Exception {
    try (OtlpTestReceiver receiver = transport.start()) {
      receiver.refuseFor(Duration.ofMinutes(5));
      try (MetricExporter exporter =
          MetricExporterFactory.otlp(
              OtlpExporterSettings.resolve(transport.config(receiver, null, null, null), NO_ENV),
              OtlpTransport.FAST_RETRY)) {
        assertThat(exportAndWait(exporter).isSuccess()).isFalse();
      }
      assertThat(receiver.received()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(OtlpTransport.class)
  void aHangingCollectorHitsTheTimeoutInsteadOfBlocking(OtlpTransport transport) throws Exception {
    try (OtlpTestReceiver receiver = transport.start()) {
      receiver.delayNext(10, Duration.ofSeconds(30));
      var config = new io.enareceiver.config.OtlpExporterConfig(
          receiver.endpoint(), transport.protocol, Duration.ofMillis(300), null, null, null);
      try (MetricExporter exporter =
          MetricExporterFactory.otlp(
              OtlpExporterSettings.resolve(config, NO_ENV),
              RetryPolicy.builder().setMaxAttempts(2).build())) {
        assertThat(exportAndWait(exporter).isSuccess()).isFalse();
      }
      assertThat(receiver.requests()).as("the answer is still held back").isEmpty();
    }
  }

  private static Metric metric(ScopeMetrics sm, String name) {
    return sm.getMetricsList().stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
  }

  /** Attributes as plain Java values, so assertions read like the data that was sent. */
  static Map<String, Object> attributes(List<KeyValue> kvs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      AnyValue v = kv.getValue();
      Object value = switch (v.getValueCase()) {
        case STRING_VALUE -> v.getStringValue();
        case INT_VALUE -> v.getIntValue();
        case BOOL_VALUE -> v.getBoolValue();
        case DOUBLE_VALUE -> v.getDoubleValue();
        default -> v.toString();
      };
      out.put(kv.getKey(), value);
    }
    return out;
  }
}
