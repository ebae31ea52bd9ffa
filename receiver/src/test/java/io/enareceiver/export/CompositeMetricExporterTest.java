package io.enareceiver.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricExporter;
import io.enareceiver.testing.otlp.StubMetricExporter;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompositeMetricExporterTest {

  @Test
  void everyDelegateGetsTheExportEvenWhenOneThrows() {
    InMemoryMetricExporter first = InMemoryMetricExporter.create(AggregationTemporality.CUMULATIVE);
    InMemoryMetricExporter last = InMemoryMetricExporter.create(AggregationTemporality.CUMULATIVE);
    MetricExporter throwing = new Throwing();

    CompositeMetricExporter composite = new CompositeMetricExporter(List.of(first, throwing, last));
    CompletableResultCode result = composite.export(TestMetrics.all());

    assertThat(result.isDone()).isTrue();
    assertThat(result.isSuccess()).isFalse();
    assertThat(first.getFinishedMetricItems()).hasSize(2);
    assertThat(last.getFinishedMetricItems()).hasSize(2);
  }

  @Test
  void succeedsWhenAllSucceedAndShutsAllDown() {
    InMemoryMetricExporter a = InMemoryMetricExporter.create(AggregationTemporality.CUMULATIVE);
    InMemoryMetricExporter b = InMemoryMetricExporter.create(AggregationTemporality.CUMULATIVE);
    CompositeMetricExporter composite = new CompositeMetricExporter(List.of(a, b));
    assertThat(composite.export(TestMetrics.all()).isSuccess()).isTrue();
    assertThat(composite.shutdown().isSuccess()).isTrue();
    // InMemoryMetricExporter refuses exports after shutdown: both really were shut down.
    assertThat(a.export(TestMetrics.all()).isSuccess()).isFalse();
    assertThat(b.export(TestMetrics.all()).isSuccess()).isFalse();
  }

  @Test
  void delegatesThatDisagreeOnTemporalityAreRefused() {
    InMemoryMetricExporter cumulative = InMemoryMetricExporter.create(AggregationTemporality.CUMULATIVE);
    InMemoryMetricExporter delta = InMemoryMetricExporter.create(AggregationTemporality.DELTA);
    assertThatThrownBy(() -> new CompositeMetricExporter(List.of(cumulative, delta)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("temporality");
  }

  @Test
  void fewerThanTwoDelegatesIsAMistake() {
    assertThatThrownBy(() -> new CompositeMetricExporter(List.of(new Throwing())))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static final class Throwing extends StubMetricExporter {
    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
      throw new IllegalStateException("boom");
    }
  }
}
