package io.enareceiver.ena;

/**
 * A capture that cannot be used at all: unreadable, too large, or holding no statistic. The
 * message names the capture and says what was expected; single bad lines are not errors (see
 * {@link Capture#skipped()}).
 */
public final class CaptureException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String source;

  public CaptureException(String source, String message) {
    super(source + ": " + message);
    this.source = source;
  }

  public CaptureException(String source, String message, Throwable cause) {
    super(source + ": " + message, cause);
    this.source = source;
  }

  /** The file name or resource the capture came from. */
  public String source() {
    return source;
  }
}
