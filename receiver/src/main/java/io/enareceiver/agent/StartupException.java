package io.enareceiver.agent;

/**
 * The receiver cannot start, with the exit code that says why: 2 for a mistake in what the user
 * gave (configuration, arguments), 1 for what the machine lacks.
 */
public final class StartupException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public StartupException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
