package io.enareceiver.health;

/** A verdict with a reason a human can act on. */
public record HealthCheck(boolean ok, String detail) {
  public static HealthCheck ok(String detail) {
    return new HealthCheck(true, detail);
  }

  public static HealthCheck failing(String detail) {
    return new HealthCheck(false, detail);
  }
}
