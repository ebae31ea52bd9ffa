package io.enareceiver.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.enareceiver.testing.otlp.OtlpHttpTestReceiver;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class MetricExporterFactoryTest {

  private static final Function<String, String> NO_ENV = k -> null;
  private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

  @Test
  void otlpAndConsoleInThePipelineMakeACompositeThatFeedsBoth() throws Exception {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    try (OtlpHttpTestReceiver receiver = OtlpHttpTestReceiver.start();
        MetricExporter exporter =
            MetricExporterFactory.create(
                List.of("otlp", "console"),
                OtlpTransport.HTTP.config(receiver, null, null, null),
                NO_ENV,
                new PrintStream(console, true, StandardCharsets.UTF_8))) {
      assertThat(exporter).isInstanceOf(CompositeMetricExporter.class);
      assertThat(((CompositeMetricExporter) exporter).delegates())
          .hasExactlyElementsOfTypes(OtlpHttpMetricExporter.class, ConsoleMetricExporter.class);

      CompletableResultCode result = exporter.export(TestMetrics.all());
      result.join(20, TimeUnit.SECONDS);
      assertThat(result.isSuccess()).isTrue();
      assertThat(receiver.awaitRequests(1, Duration.ofSeconds(10))).hasSize(1);
      assertThat(console.toString(StandardCharsets.UTF_8).lines()).hasSize(3);
    }
  }

  @Test
  void singleExporterIsReturnedAsIsAndEveryExporterIsCumulative() {
    try (MetricExporter grpc = MetricExporterFactory.create(List.of("otlp"), null, NO_ENV, NOWHERE);
        MetricExporter console = MetricExporterFactory.create(List.of("console"), null, NO_ENV, NOWHERE)) {
      assertThat(grpc).isInstanceOf(OtlpGrpcMetricExporter.class);
      assertThat(console).isInstanceOf(ConsoleMetricExporter.class);
      for (InstrumentType t : InstrumentType.values()) {
        assertThat(grpc.getAggregationTemporality(t)).isEqualTo(AggregationTemporality.CUMULATIVE);
      }
    }
  }

  @Test
  void namedExporterInstancesAreAccepted() {
    try (MetricExporter e = MetricExporterFactory.create(List.of("console/demo"), null, NO_ENV, NOWHERE)) {
      assertThat(e).isInstanceOf(ConsoleMetricExporter.class);
    }
  }

  @Test
  void unknownExporterNamesThePipelineKey() {
    assertThatThrownBy(() -> MetricExporterFactory.create(List.of("console", "prometheus"), null, NO_ENV, NOWHERE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("service.pipelines.metrics.exporters")
        .hasMessageContaining("'prometheus'")
        .hasMessageContaining("expected otlp or console");
  }

  @Test
  void emptyPipelineIsRejected() {
    assertThatThrownBy(() -> MetricExporterFactory.create(List.of(), null, NO_ENV, NOWHERE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("service.pipelines.metrics.exporters");
  }

  @Test
  void badOtlpSettingSurfacesFromCreate() {
    Map<String, String> env = Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "thrift");
    assertThatThrownBy(() -> MetricExporterFactory.create(List.of("console", "otlp"), null, env::get, NOWHERE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OTEL_EXPORTER_OTLP_PROTOCOL");
  }

  @Test
  void builtExporterDoesNotRevealHeaderValues() {
    Map<String, String> env = Map.of("OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer%20sup3r-s3cret");
    try (MetricExporter e = MetricExporterFactory.create(List.of("otlp", "console"), null, env::get, NOWHERE)) {
      assertThat(e.toString()).contains("authorization").doesNotContain("sup3r-s3cret");
    }
  }
}
