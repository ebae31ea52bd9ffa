package io.enareceiver.it.harness;

import java.time.Instant;
import java.util.Map;

/**
 * One alert from {@code /api/v1/alerts}: {@code state} is {@code pending} (expression true, the
 * rule's {@code for} not yet elapsed) or {@code firing}; {@code activeAt} is null when not given.
 */
public record Alert(Map<String, String> labels, Map<String, String> annotations, String state,
    Instant activeAt, double value) {
  public Alert {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }

  /** The rule's name ({@code alertname} label). */
  public String name() {
    return labels.get("alertname");
  }

  public boolean firing() {
    return "firing".equals(state);
  }

  public String label(String name) {
    return labels.get(name);
  }
}
