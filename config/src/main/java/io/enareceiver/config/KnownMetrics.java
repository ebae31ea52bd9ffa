package io.enareceiver.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;

/**
 * Every metric a user can switch on or off under {@code receivers.ethtool.metrics}, with its
 * default. This is the one list both the configuration validator (unknown names are errors)
 * and the receiver's metric catalog read, so the two cannot drift apart.
 */
public final class KnownMetrics {
  private KnownMetrics() {}

  public static final String ALLOWANCE_EXCEEDED = "aws.ena.allowance.exceeded";
  public static final String ALLOWANCE_THROTTLED_TIME = "aws.ena.allowance.throttled_time";
  public static final String ALLOWANCE_PEAK_RATE = "aws.ena.allowance.peak_rate";
  public static final String CONNTRACK_AVAILABLE = "aws.ena.conntrack.available";
  public static final String SRD_MODE = "aws.ena.srd.mode";
  public static final String SRD_PACKETS = "aws.ena.srd.packets";
  public static final String SRD_ELIGIBLE_PACKETS = "aws.ena.srd.eligible_packets";
  public static final String SRD_RESOURCE_UTILIZATION = "aws.ena.srd.resource_utilization";
  public static final String DEVICE_EVENTS = "aws.ena.device.events";
  public static final String QUEUE_PACKETS = "aws.ena.queue.packets";
  public static final String QUEUE_BYTES = "aws.ena.queue.bytes";
  public static final String ETHTOOL_STAT = "ethtool.stat";
  public static final String SELF_SAMPLE_DURATION = "ena_receiver.sample.duration";
  public static final String SELF_READ_ERRORS = "ena_receiver.read.errors";
  public static final String SELF_EXPORT_FAILURES = "ena_receiver.export.failures";

  /** The one metric that also takes {@code include}/{@code exclude} stat-name patterns. */
  public static final String PATTERNED = ETHTOOL_STAT;

  private static final SequencedMap<String, Boolean> DEFAULTS = new LinkedHashMap<>();

  static {
    DEFAULTS.put(ALLOWANCE_EXCEEDED, true);
    DEFAULTS.put(ALLOWANCE_THROTTLED_TIME, true);
    DEFAULTS.put(ALLOWANCE_PEAK_RATE, true);
    DEFAULTS.put(CONNTRACK_AVAILABLE, true);
    DEFAULTS.put(SRD_MODE, true);
    DEFAULTS.put(SRD_PACKETS, true);
    DEFAULTS.put(SRD_ELIGIBLE_PACKETS, true);
    DEFAULTS.put(SRD_RESOURCE_UTILIZATION, true);
    DEFAULTS.put(DEVICE_EVENTS, true);
    DEFAULTS.put(QUEUE_PACKETS, false);
    DEFAULTS.put(QUEUE_BYTES, false);
    DEFAULTS.put(ETHTOOL_STAT, false);
    DEFAULTS.put(SELF_SAMPLE_DURATION, true);
    DEFAULTS.put(SELF_READ_ERRORS, true);
    DEFAULTS.put(SELF_EXPORT_FAILURES, true);
  }

  /** Metric name to enabled-by-default, in documentation order. */
  public static Map<String, Boolean> defaults() {
    return java.util.Collections.unmodifiableSequencedMap(DEFAULTS);
  }

  public static boolean isKnown(String name) {
    return DEFAULTS.containsKey(name);
  }
}
