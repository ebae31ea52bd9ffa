package io.enareceiver.metrics;

/** How a metric is emitted: the OTLP data type and, for sums, monotonic cumulative. */
public enum MetricShape {
  /** Monotonic cumulative sum of integers: driver counters. */
  LONG_COUNTER,
  /** Monotonic cumulative sum of doubles: derived seconds. */
  DOUBLE_COUNTER,
  /** Last value of an integer: driver gauges such as {@code conntrack_allowance_available}. */
  LONG_GAUGE,
  /** Last value of a double: rates, and driver stats of unknown meaning (any unsigned 64-bit). */
  DOUBLE_GAUGE
}
