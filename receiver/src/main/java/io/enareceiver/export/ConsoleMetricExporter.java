package io.enareceiver.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.resources.Resource;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Prints every exported point on one line, for a human watching a demo or debugging a node.
 *
 * <p>Format (fields separated by one space, stable, tested):
 *
 * <pre>
 * TIME NAME TYPE UNIT {ATTRS} VALUE start=START [RESOURCE]
 * 2025-05-01T10:00:15.000Z aws.ena.allowance.exceeded sum,monotonic {packet} {aws.ena.allowance=linklocal, network.interface.name=eth0} 1234 start=2025-05-01T10:00:00.000Z node=ip-10-0-0-1 type=m6i.large eni=eni-0abc
 * </pre>
 *
 * <ul>
 *   <li>TIME and START: the point's timestamps, ISO-8601 UTC with milliseconds;
 *   <li>TYPE: {@code sum,monotonic}, {@code sum,non-monotonic}, {@code gauge}, {@code histogram},
 *       {@code exponential_histogram} or {@code summary};
 *   <li>UNIT: the metric unit, {@code -} when it has none;
 *   <li>ATTRS: point attributes sorted by key, {@code k=v} comma separated, {@code {}} when none;
 *   <li>VALUE: the long or double value; histograms print {@code count=N sum=S};
 *   <li>RESOURCE: {@code node=} ({@code k8s.node.name}), {@code type=} ({@code host.type}),
 *       {@code eni=} ({@code aws.ec2.eni.id}), each only when the resource has it.
 * </ul>
 *
 * Metrics keep the order they were given in; points of one metric are sorted by attributes so
 * consecutive exports line up. One export is printed with a single write, so lines of two
 * exports never interleave. Temporality is cumulative, like the OTLP exporters beside it.
 */
public final class ConsoleMetricExporter implements MetricExporter {

  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static final List<Map.Entry<String, AttributeKey<String>>> IDENTITY =
      List.of(
          Map.entry("node", AttributeKey.stringKey("k8s.node.name")),
          Map.entry("type", AttributeKey.stringKey("host.type")),
          Map.entry("eni", AttributeKey.stringKey("aws.ec2.eni.id")));

  private final PrintStream out;
  private final AtomicBoolean shutdown = new AtomicBoolean();

  /** Prints to standard output. */
  public ConsoleMetricExporter() {
    this(System.out);
  }

  /** Prints to {@code out}; the stream is flushed after every export and never closed. */
  public ConsoleMetricExporter(PrintStream out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return AggregationTemporality.CUMULATIVE;
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    if (shutdown.get()) {
      return CompletableResultCode.ofFailure();
    }
    String text = format(metrics);
    synchronized (out) {
      out.print(text);
      out.flush();
      return out.checkError() ? CompletableResultCode.ofFailure() : CompletableResultCode.ofSuccess();
    }
  }

  /** The lines {@link #export} prints, each ending with a line separator. */
  static String format(Collection<MetricData> metrics) {
    StringBuilder sb = new StringBuilder();
    for (MetricData metric : metrics) {
      String prefixType = type(metric);
      String unit = metric.getUnit() == null || metric.getUnit().isEmpty() ? "-" : metric.getUnit();
      String identity = identity(metric.getResource());
      List<? extends PointData> points = new ArrayList<>(metric.getData().getPoints());
      List<String[]> rows = new ArrayList<>(points.size());
      for (PointData p : points) {
        rows.add(new String[] {attributes(p.getAttributes()), value(p), time(p.getEpochNanos()), time(p.getStartEpochNanos())});
      }
      rows.sort(Comparator.comparing((String[] r) -> r[0]));
      for (String[] r : rows) {
        sb.append(r[2]).append(' ')
            .append(metric.getName()).append(' ')
            .append(prefixType).append(' ')
            .append(unit).append(' ')
            .append(r[0]).append(' ')
            .append(r[1]).append(' ')
            .append("start=").append(r[3]);
        if (!identity.isEmpty()) {
          sb.append(' ').append(identity);
        }
        sb.append(System.lineSeparator());
      }
    }
    return sb.toString();
  }

  private static String type(MetricData metric) {
    return switch (metric.getType()) {
      case LONG_SUM, DOUBLE_SUM -> {
        SumData<?> sum = metric.getType() == MetricDataType.LONG_SUM
            ? metric.getLongSumData()
            : metric.getDoubleSumData();
        yield sum.isMonotonic() ? "sum,monotonic" : "sum,non-monotonic";
      }
      case LONG_GAUGE, DOUBLE_GAUGE -> "gauge";
      case HISTOGRAM -> "histogram";
      case EXPONENTIAL_HISTOGRAM -> "exponential_histogram";
      case SUMMARY -> "summary";
    };
  }

  private static String value(PointData p) {
    return switch (p) {
      case LongPointData l -> Long.toString(l.getValue());
      case DoublePointData d -> Double.toString(d.getValue());
      case HistogramPointData h -> "count=" + h.getCount() + " sum=" + h.getSum();
      case ExponentialHistogramPointData h ->
          "count=" + h.getCount() + " sum=" + h.getSum();
      case SummaryPointData s ->
          "count=" + s.getCount() + " sum=" + s.getSum();
      default -> "?";
    };
  }

  private static String attributes(Attributes attributes) {
    if (attributes.isEmpty()) {
      return "{}";
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    attributes.forEach((k, v) -> sorted.put(k.getKey(), String.valueOf(v)));
    StringBuilder sb = new StringBuilder("{");
    sorted.forEach((k, v) -> {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(k).append('=').append(v);
    });
    return sb.append('}').toString();
  }

  private static String identity(Resource resource) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, AttributeKey<String>> e : IDENTITY) {
      String v = resource.getAttribute(e.getValue());
      if (v != null && !v.isEmpty()) {
        if (!sb.isEmpty()) {
          sb.append(' ');
        }
        sb.append(e.getKey()).append('=').append(v);
      }
    }
    return sb.toString();
  }

  private static String time(long epochNanos) {
    return TIME.format(Instant.ofEpochSecond(0, epochNanos));
  }

  @Override
  public CompletableResultCode flush() {
    synchronized (out) {
      out.flush();
    }
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    shutdown.set(true);
    return flush();
  }

  @Override
  public String toString() {
    return "ConsoleMetricExporter";
  }
}
