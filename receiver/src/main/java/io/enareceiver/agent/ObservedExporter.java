package io.enareceiver.agent;

import io.enareceiver.metrics.SelfTelemetry;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * Passes exports through to one pipeline exporter and records each outcome, so export failures
 * show up as {@code ena_receiver.export.failures} and in the readiness verdict.
 */
final class ObservedExporter implements MetricExporter {
  private final String name;
  private final MetricExporter delegate;
  private final SelfTelemetry self;
  private volatile CompletableResultCode inFlight;

  ObservedExporter(String name, MetricExporter delegate, SelfTelemetry self) {
    this.name = name;
    this.delegate = delegate;
    this.self = self;
  }

  /**
   * Starts an export unless the previous one is still running. The SDK's periodic reader stops
   * waiting for an export after one collection interval and starts the next without cancelling
   * the first, so an OTLP timeout longer than the interval would pile up requests against a
   * stalled collector. Skipping loses nothing: the next export carries the cumulative totals.
   */
  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    CompletableResultCode previous = inFlight;
    if (previous != null && !previous.isDone() && !finalExport) {
      self.exportResult(name, false);
      if (busyLogged.compareAndSet(false, true)) {
        LOG.log(System.Logger.Level.WARNING, name + ": the previous export is still running (exporter timeout longer"
            + " than collection_interval?); skipping exports until it ends - totals are cumulative, nothing is lost");
      }
      return CompletableResultCode.ofFailure();
    }
    busyLogged.set(false);
    CompletableResultCode result = delegate.export(metrics);
    inFlight = result;
    result.whenComplete(() -> self.exportResult(name, result.isSuccess()));
    return result;
  }

  private static final System.Logger LOG = System.getLogger(ObservedExporter.class.getName());
  /** Set when the receiver stops: the final export goes out even beside one still running. */
  private volatile boolean finalExport;

  /** The next export is the final one: let it run even if an earlier one has not ended. */
  void allowFinalExport() {
    finalExport = true;
  }
  private final java.util.concurrent.atomic.AtomicBoolean busyLogged = new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Waits up to {@code max} for the export in flight, if any, to finish.
   *
   * @return true when no export is in flight any more
   */
  boolean awaitIdle(Duration max) {
    CompletableResultCode current = inFlight;
    if (current == null || current.isDone()) {
      return true;
    }
    current.join(max.toMillis(), TimeUnit.MILLISECONDS);
    return current.isDone();
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return delegate.getAggregationTemporality(instrumentType);
  }

  @Override
  public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
    return delegate.getDefaultAggregation(instrumentType);
  }

  @Override
  public MemoryMode getMemoryMode() {
    return delegate.getMemoryMode();
  }

  @Override
  public String toString() {
    return name + ":" + delegate;
  }
}
