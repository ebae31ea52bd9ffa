package io.enareceiver.it.harness;

/** Prometheus answered a request with an error (bad PromQL, bad parameter) or not at all. */
public final class PrometheusApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PrometheusApiException(String message) {
    super(message);
  }

  public PrometheusApiException(String message, Throwable cause) {
    super(message, cause);
  }
}
