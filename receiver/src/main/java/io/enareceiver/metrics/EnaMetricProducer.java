package io.enareceiver.metrics;

import io.enareceiver.config.KnownMetrics;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Turns the sampler's series state into OTLP metric data when the SDK's metric reader
 * collects: one {@link Resource} per interface (node, instance and ENI identity), cumulative
 * sums with their series' start times, gauges with their last values. Registered on the
 * {@code SdkMeterProvider} with {@code registerMetricProducer}, so the periodic reader drives it.
 */
public final class EnaMetricProducer implements MetricProducer {
  private final Sampler sampler;
  private final ResourceResolver resources;
  private final Predicate<MetricDescriptor> enabled;
  private final InstrumentationScopeInfo scope;
  private final Clock clock;
  private final long staleAfterNanos;

  /**
   * @param enabledMetrics metric name to enabled, every {@link KnownMetrics} name present
   */
  public EnaMetricProducer(Sampler sampler, ResourceResolver resources, Map<String, Boolean> enabledMetrics,
      String version, Clock clock) {
    this.sampler = sampler;
    this.resources = resources;
    Map<String, Boolean> resolved = new java.util.HashMap<>(KnownMetrics.defaults());
    resolved.putAll(enabledMetrics);
    Map<String, Boolean> effective = Map.copyOf(resolved);
    this.enabled = m -> effective.getOrDefault(m.name(), false);
    this.scope = InstrumentationScopeInfo.builder("io.enareceiver").setVersion(version).build();
    this.clock = clock;
    this.staleAfterNanos = sampler.staleAfter().toNanos();
  }

  @Override
  public Collection<MetricData> produce(Resource ignored) {
    List<MetricData> out = new ArrayList<>();
    long now = clock.now();
    sampler.registry().forEachLocked(entry -> {
      // An interface whose reads keep failing (other than vanishing) stops being reported
      // rather than repeating its last value with an old timestamp for ever.
      if (entry.series.hasSample() && now - entry.series.lastSampleNanos() > staleAfterNanos) {
        return;
      }
      Resource resource = resources.forInterface(entry.iface());
      entry.series.collect(new Sink(resource, out), enabled);
    });
    sampler.self().collect(new Sink(resources.base(), out), now, enabled);
    return out;
  }

  /** Wraps each metric's points into {@link MetricData} with the right data type. */
  private final class Sink implements InterfaceSeries.PointSink {
    private final Resource resource;
    private final List<MetricData> out;

    Sink(Resource resource, List<MetricData> out) {
      this.resource = resource;
      this.out = out;
    }

    @Override
    public void longPoints(MetricDescriptor metric, List<LongPointData> points) {
      if (points.isEmpty()) {
        return;
      }
      boolean sum = metric.shape() == MetricShape.LONG_COUNTER;
      Data<?> data = sum
          ? SumData.createLongSumData(true, AggregationTemporality.CUMULATIVE, points)
          : GaugeData.createLongGaugeData(points);
      add(metric, sum ? MetricDataType.LONG_SUM : MetricDataType.LONG_GAUGE, data);
    }

    @Override
    public void doublePoints(MetricDescriptor metric, List<DoublePointData> points) {
      if (points.isEmpty()) {
        return;
      }
      boolean sum = metric.shape() == MetricShape.DOUBLE_COUNTER;
      Data<?> data = sum
          ? SumData.createDoubleSumData(true, AggregationTemporality.CUMULATIVE, points)
          : GaugeData.createDoubleGaugeData(points);
      add(metric, sum ? MetricDataType.DOUBLE_SUM : MetricDataType.DOUBLE_GAUGE, data);
    }

    private void add(MetricDescriptor metric, MetricDataType type, Data<?> data) {
      out.add(new SimpleMetricData(resource, scope, metric.name(), metric.description(), metric.unit(), type, data));
    }
  }
}
