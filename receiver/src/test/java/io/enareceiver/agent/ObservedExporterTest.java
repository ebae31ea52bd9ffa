package io.enareceiver.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.metrics.SelfTelemetry;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.enareceiver.testing.otlp.StubMetricExporter;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** At most one export in flight per exporter, whatever the exporter's timeout. */
class ObservedExporterTest {

  /** An exporter whose exports complete only when the test says so. */
  private static final class Pending extends StubMetricExporter {
    final List<CompletableResultCode> started = new ArrayList<>();

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
      CompletableResultCode r = new CompletableResultCode();
      started.add(r);
      return r;
    }
  }

  @Test
  void aSecondExportWhileTheFirstRunsIsSkippedAndCountedThenExportsResume() {
    Pending delegate = new Pending();
    SelfTelemetry self = new SelfTelemetry(0);
    ObservedExporter exporter = new ObservedExporter("otlp", delegate, self);

    CompletableResultCode first = exporter.export(List.of());
    CompletableResultCode second = exporter.export(List.of());
    CompletableResultCode third = exporter.export(List.of());
    assertThat(delegate.started).hasSize(1);
    assertThat(second.isDone()).isTrue();
    assertThat(second.isSuccess()).isFalse();
    assertThat(third.isSuccess()).isFalse();
    assertThat(self.lastExportOk()).isFalse();

    delegate.started.getFirst().succeed();
    assertThat(first.isSuccess()).isTrue();
    assertThat(self.lastExportOk()).isTrue();
    exporter.export(List.of());
    assertThat(delegate.started).hasSize(2);
    assertThat(exporter.awaitIdle(java.time.Duration.ZERO)).isFalse();

    // Stopping: the final export carries the latest values and must not be skipped.
    exporter.allowFinalExport();
    exporter.export(List.of());
    assertThat(delegate.started).hasSize(3);
  }
}
