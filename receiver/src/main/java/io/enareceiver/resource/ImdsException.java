package io.enareceiver.resource;

import java.util.Objects;

/**
 * Instance metadata could not be read, or said something that is not what EC2 says. The message
 * names the metadata path and what was expected, so a log line is enough to act on.
 */
public final class ImdsException extends Exception {
  /** Why the read failed; decides whether a retry can help. */
  public enum Reason {
    /** Nothing answered at the endpoint (connection refused, no route, DNS). Retry later. */
    UNREACHABLE,
    /** The endpoint did not answer within the per-call timeout or the overall deadline. */
    TIMEOUT,
    /** The endpoint answered with an HTTP status we cannot use (5xx, 403, 404, ...). */
    HTTP_STATUS,
    /** The answer was larger than the body limit. */
    TOO_LARGE,
    /** The answer was there but is not what EC2 sends (bad id, bad JSON, bad MAC...). */
    BAD_ANSWER
  }

  private final Reason reason;
  private final String path;
  private final int status;

  public ImdsException(Reason reason, String path, int status, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.path = Objects.requireNonNull(path, "path");
    this.status = status;
  }

  public ImdsException(Reason reason, String path, String message) {
    this(reason, path, 0, message, null);
  }

  public Reason reason() {
    return reason;
  }

  /** The metadata path being read, e.g. {@code /latest/meta-data/local-hostname}. */
  public String path() {
    return path;
  }

  /** The HTTP status for {@link Reason#HTTP_STATUS}, otherwise 0. */
  public int status() {
    return status;
  }

  /** Whether trying the same call again soon can succeed (transport trouble, 5xx, throttling). */
  boolean retryable() {
    return switch (reason) {
      case UNREACHABLE, TIMEOUT -> true;
      case HTTP_STATUS -> status >= 500 || status == 429;
      case TOO_LARGE, BAD_ANSWER -> false;
    };
  }
}
