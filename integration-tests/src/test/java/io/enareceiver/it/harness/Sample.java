package io.enareceiver.it.harness;

import java.time.Instant;
import java.util.Map;

/**
 * One element of an instant vector from the Prometheus HTTP API: a series' labels (including
 * {@code __name__} when the expression keeps it) with its value at the evaluation time.
 */
public record Sample(Map<String, String> labels, Instant timestamp, double value) {
  public Sample {
    labels = Map.copyOf(labels);
  }

  /** The metric name ({@code __name__}), or null when the expression dropped it. */
  public String metricName() {
    return labels.get("__name__");
  }

  /** A label's value, or null. */
  public String label(String name) {
    return labels.get(name);
  }

  @Override
  public String toString() {
    return labels + " = " + value + " @" + timestamp;
  }
}
