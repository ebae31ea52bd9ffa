package io.enareceiver.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Sends every export to several exporters (the pipeline's {@code [otlp, console]}). The SDK has
 * composites for spans and logs but none for metrics.
 *
 * <p>One reader drives all delegates, so they must agree on temporality for every instrument
 * type; the constructor refuses delegates that do not. The result of each operation fails when
 * any delegate fails; a delegate that throws counts as failed and does not stop the others.
 */
public final class CompositeMetricExporter implements MetricExporter {

  private static final System.Logger LOG = System.getLogger(CompositeMetricExporter.class.getName());

  private final List<MetricExporter> delegates;

  /**
   * @throws IllegalArgumentException if fewer than two delegates are given or they disagree on
   *     aggregation temporality
   */
  public CompositeMetricExporter(List<? extends MetricExporter> delegates) {
    if (delegates.size() < 2) {
      throw new IllegalArgumentException("a composite needs at least two exporters, got " + delegates.size());
    }
    this.delegates = List.copyOf(delegates);
    MetricExporter first = this.delegates.getFirst();
    for (MetricExporter other : this.delegates) {
      for (InstrumentType type : InstrumentType.values()) {
        if (first.getAggregationTemporality(type) != other.getAggregationTemporality(type)) {
          throw new IllegalArgumentException(
              first + " and " + other + " disagree on temporality for " + type
                  + "; one reader cannot serve both");
        }
      }
    }
  }

  /** The exporters, in pipeline order. */
  public List<MetricExporter> delegates() {
    return delegates;
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return delegates.getFirst().getAggregationTemporality(instrumentType);
  }

  /** Reusable data is only safe when every delegate is done with it on return; be conservative. */
  @Override
  public MemoryMode getMemoryMode() {
    return delegates.stream().allMatch(d -> d.getMemoryMode() == MemoryMode.REUSABLE_DATA)
        ? MemoryMode.REUSABLE_DATA
        : MemoryMode.IMMUTABLE_DATA;
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    return all("export", d -> d.export(metrics));
  }

  @Override
  public CompletableResultCode flush() {
    return all("flush", MetricExporter::flush);
  }

  @Override
  public CompletableResultCode shutdown() {
    return all("shutdown", MetricExporter::shutdown);
  }

  private CompletableResultCode all(String what, Function<MetricExporter, CompletableResultCode> op) {
    List<CompletableResultCode> results = new ArrayList<>(delegates.size());
    for (MetricExporter d : delegates) {
      try {
        results.add(op.apply(d));
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, () -> what + " of " + d + " threw; counted as failed", e);
        results.add(CompletableResultCode.ofExceptionalFailure(e));
      }
    }
    return CompletableResultCode.ofAll(results);
  }

  @Override
  public String toString() {
    return "CompositeMetricExporter" + delegates;
  }
}
