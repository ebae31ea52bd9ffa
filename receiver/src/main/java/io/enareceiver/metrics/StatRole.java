package io.enareceiver.metrics;

import io.opentelemetry.api.common.Attributes;

/**
 * What one driver statistic of one interface becomes: the metric it feeds and the point
 * attributes it carries (always including {@code network.interface.name}).
 *
 * @param allowance true for the five {@code *_allowance_exceeded} counters, which also feed the
 *     derived {@code throttled_time} and {@code peak_rate} metrics
 */
public record StatRole(MetricDescriptor metric, Attributes attributes, boolean allowance) {}
