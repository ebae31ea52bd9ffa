package io.enareceiver.ena;

import io.opentelemetry.api.common.Attributes;
import java.util.Objects;

/**
 * What one statistic becomes.
 *
 * @param index      position of the statistic in the driver's list (the series key, with the name)
 * @param statName   the driver's name, as printed by {@code ethtool -S}
 * @param group      the catalog group
 * @param metric     the metric it feeds, one of {@link io.enareceiver.config.KnownMetrics}
 * @param kind       counter (monotonic Sum) or gauge
 * @param unit       UCUM unit or {@code {annotation}}; never {@code 1}
 * @param attributes the attributes this statistic adds to its metric (not the interface name)
 */
public record StatClass(int index, String statName, StatGroup group, String metric, StatKind kind,
    String unit, Attributes attributes) {
  public StatClass {
    Objects.requireNonNull(statName, "statName");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(attributes, "attributes");
  }

  public boolean isCounter() {
    return kind == StatKind.COUNTER;
  }
}
