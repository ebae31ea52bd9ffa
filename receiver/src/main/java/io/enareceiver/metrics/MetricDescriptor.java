package io.enareceiver.metrics;

import java.util.Objects;

/** Name, description, unit and shape of one metric of the contract (DESIGN.md §5). */
public record MetricDescriptor(String name, String description, String unit, MetricShape shape) {
  public MetricDescriptor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(shape, "shape");
  }

  public boolean isCounter() {
    return shape == MetricShape.LONG_COUNTER || shape == MetricShape.DOUBLE_COUNTER;
  }
}
