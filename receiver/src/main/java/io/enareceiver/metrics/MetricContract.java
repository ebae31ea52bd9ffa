package io.enareceiver.metrics;

import io.enareceiver.config.KnownMetrics;
import io.enareceiver.ena.EnaAttributes;
import io.opentelemetry.api.common.AttributeKey;

/**
 * The metric contract of DESIGN.md §5: exact names, units, descriptions and shapes. Units
 * follow UCUM with {@code {annotation}} for counts; no gauge uses unit {@code 1} because the
 * collector's Prometheus translation would append {@code _ratio}.
 */
public final class MetricContract {
  private MetricContract() {}

  public static final AttributeKey<String> INTERFACE_NAME = EnaAttributes.INTERFACE_NAME;
  public static final AttributeKey<String> ALLOWANCE = EnaAttributes.ALLOWANCE;
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  public static final AttributeKey<String> EXPORTER = AttributeKey.stringKey("ena_receiver.exporter");

  public static final MetricDescriptor ALLOWANCE_EXCEEDED = new MetricDescriptor(
      KnownMetrics.ALLOWANCE_EXCEEDED,
      "Packets queued or dropped because the ENI exceeded an EC2 network allowance (ENA *_allowance_exceeded).",
      "{packet}", MetricShape.LONG_COUNTER);

  public static final MetricDescriptor ALLOWANCE_THROTTLED_TIME = new MetricDescriptor(
      KnownMetrics.ALLOWANCE_THROTTLED_TIME,
      "Time during which the allowance counter rose: sampling intervals with an increase, times the sampling interval.",
      "s", MetricShape.DOUBLE_COUNTER);

  public static final MetricDescriptor ALLOWANCE_PEAK_RATE = new MetricDescriptor(
      KnownMetrics.ALLOWANCE_PEAK_RATE,
      "Highest per-second increase of the allowance counter seen since the previous export.",
      "{packet}/s", MetricShape.DOUBLE_GAUGE);

  public static final MetricDescriptor CONNTRACK_AVAILABLE = new MetricDescriptor(
      KnownMetrics.CONNTRACK_AVAILABLE,
      "Tracked connections that can still be established before the ENI reaches its conntrack allowance.",
      "{connection}", MetricShape.LONG_GAUGE);

  public static final MetricDescriptor SRD_MODE = new MetricDescriptor(
      KnownMetrics.SRD_MODE,
      "ENA Express mode bitmap (ena_srd_mode): bit 0 ENA Express enabled, bit 1 UDP over ENA Express enabled.",
      "{mode}", MetricShape.LONG_GAUGE);

  public static final MetricDescriptor SRD_PACKETS = new MetricDescriptor(
      KnownMetrics.SRD_PACKETS,
      "Packets sent or received over ENA Express (SRD).",
      "{packet}", MetricShape.LONG_COUNTER);

  public static final MetricDescriptor SRD_ELIGIBLE_PACKETS = new MetricDescriptor(
      KnownMetrics.SRD_ELIGIBLE_PACKETS,
      "Transmitted packets that were eligible for ENA Express (SRD).",
      "{packet}", MetricShape.LONG_COUNTER);

  public static final MetricDescriptor SRD_RESOURCE_UTILIZATION = new MetricDescriptor(
      KnownMetrics.SRD_RESOURCE_UTILIZATION,
      "Share of the ENA Express resources of the instance in use.",
      "%", MetricShape.LONG_GAUGE);

  public static final MetricDescriptor DEVICE_EVENTS = new MetricDescriptor(
      KnownMetrics.DEVICE_EVENTS,
      "ENA device health events: resets, transmit timeouts, watchdog expirations, link flaps, admin queue pauses.",
      "{event}", MetricShape.LONG_COUNTER);

  public static final MetricDescriptor QUEUE_PACKETS = new MetricDescriptor(
      KnownMetrics.QUEUE_PACKETS,
      "Packets handled by one ENA queue.",
      "{packet}", MetricShape.LONG_COUNTER);

  public static final MetricDescriptor QUEUE_BYTES = new MetricDescriptor(
      KnownMetrics.QUEUE_BYTES,
      "Bytes handled by one ENA queue.",
      "By", MetricShape.LONG_COUNTER);

  public static final MetricDescriptor ETHTOOL_STAT = new MetricDescriptor(
      KnownMetrics.ETHTOOL_STAT,
      "A driver statistic as ethtool -S prints it, for any driver; its meaning is the driver's.",
      "{value}", MetricShape.DOUBLE_GAUGE);

  public static final MetricDescriptor SELF_SAMPLE_DURATION = new MetricDescriptor(
      KnownMetrics.SELF_SAMPLE_DURATION,
      "Longest time one sampling pass over all monitored interfaces took since the previous export.",
      "s", MetricShape.DOUBLE_GAUGE);

  public static final MetricDescriptor SELF_READ_ERRORS = new MetricDescriptor(
      KnownMetrics.SELF_READ_ERRORS,
      "Failed statistics reads, by interface and error.",
      "{error}", MetricShape.LONG_COUNTER);

  private static final java.util.Map<String, MetricDescriptor> BY_NAME = java.util.stream.Stream.of(
          ALLOWANCE_EXCEEDED, ALLOWANCE_THROTTLED_TIME, ALLOWANCE_PEAK_RATE, CONNTRACK_AVAILABLE, SRD_MODE,
          SRD_PACKETS, SRD_ELIGIBLE_PACKETS, SRD_RESOURCE_UTILIZATION, DEVICE_EVENTS, QUEUE_PACKETS, QUEUE_BYTES,
          ETHTOOL_STAT)
      .collect(java.util.stream.Collectors.toUnmodifiableMap(MetricDescriptor::name, d -> d));

  /** The descriptor of a metric fed by driver statistics, by name. */
  public static MetricDescriptor statMetric(String name) {
    MetricDescriptor d = BY_NAME.get(name);
    if (d == null) {
      throw new IllegalArgumentException("no stat-fed metric named " + name);
    }
    return d;
  }

  public static final MetricDescriptor SELF_EXPORT_FAILURES = new MetricDescriptor(
      KnownMetrics.SELF_EXPORT_FAILURES,
      "Exports that failed, by exporter.",
      "{export}", MetricShape.LONG_COUNTER);
}
