package io.enareceiver.it.harness;

import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Sends metrics to a collector over OTLP/gRPC from the test JVM, with the OpenTelemetry SDK, when
 * the test decides: record on {@link #meter()}, then {@link #export()}. Sums are cumulative, as the
 * receiver sends them. For tests of the collector path itself; scenario tests run the receiver.
 */
public final class OtlpSender implements AutoCloseable {
  private static final long EXPORT_WAIT_SECONDS = 30;
  private static final String SDK_SELF_TELEMETRY = "io.opentelemetry.sdk.metrics";

  private final String endpoint;
  private final SdkMeterProvider provider;

  private OtlpSender(String endpoint, SdkMeterProvider provider) {
    this.endpoint = endpoint;
    this.provider = provider;
  }

  /**
   * @param endpoint e.g. {@code http://127.0.0.1:4317}
   * @param resource the resource every metric carries (one ENI, one node)
   * @param timeout  per-export timeout; short when a test expects the collector to be down
   */
  public static OtlpSender open(String endpoint, Resource resource, Duration timeout) {
    OtlpGrpcMetricExporter exporter = OtlpGrpcMetricExporter.builder()
        .setEndpoint(endpoint)
        .setTimeout(timeout)
        .build();
    // Exports only when the test asks: the interval is longer than any test.
    PeriodicMetricReader reader = PeriodicMetricReader.builder(exporter).setInterval(Duration.ofDays(1)).build();
    return new OtlpSender(endpoint, SdkMeterProvider.builder()
        .setResource(resource)
        .registerMetricReader(reader)
        // The SDK reports on itself (otel.sdk.metric_reader.collection.duration) through the same
        // provider from the second export on: drop it, a test sends exactly what it records.
        .registerView(InstrumentSelector.builder().setMeterName(SDK_SELF_TELEMETRY).build(),
            View.builder().setAggregation(Aggregation.drop()).build())
        .build());
  }

  /** Where instruments are created ({@code counterBuilder}, {@code gaugeBuilder}). */
  public Meter meter() {
    return provider.get("io.enareceiver.it");
  }

  /** Exports everything recorded so far; true when the collector accepted it. */
  public boolean export() {
    return provider.forceFlush().join(EXPORT_WAIT_SECONDS, TimeUnit.SECONDS).isSuccess();
  }

  public String endpoint() {
    return endpoint;
  }

  /** Shuts the SDK down (which exports once more, as an application's shutdown does). */
  @Override
  public void close() {
    provider.shutdown().join(EXPORT_WAIT_SECONDS, TimeUnit.SECONDS);
  }
}
