package io.enareceiver.ethtool;

/**
 * A statistics read that failed, with the reason an operator can act on. Carries the raw
 * {@code errno} when the kernel gave one (0 otherwise).
 */
public final class EthtoolException extends Exception {

  /** What went wrong, in the terms an operator acts on. */
  public enum Reason {
    /** ENODEV: the interface does not exist (any more). */
    NO_DEVICE,
    /** EOPNOTSUPP: the driver has no statistics (lo, bridge, tun, ...). */
    NOT_SUPPORTED,
    /** EPERM/EACCES: the kernel refused the request. */
    PERMISSION,
    /** The kernel's answer did not make sense (count mismatch, truncated names, ...). */
    BAD_ANSWER,
    /** A replayed capture could not be read or parsed. */
    BAD_CAPTURE,
    /** Anything else; see the errno. */
    OTHER
  }

  private static final long serialVersionUID = 1L;

  private final Reason reason;
  private final int errno;
  private final String interfaceName;

  /**
   * A failure that is the kernel's or the driver's answer, not a bug: no stack trace. An
   * interface that keeps failing throws one of these on every pass, and the trace would cost
   * its walk of the sampling thread's stack each time for nothing anyone reads (the reason,
   * errno and message say everything; log lines carry the message only).
   */
  public EthtoolException(Reason reason, int errno, String interfaceName, String message) {
    super(message, null, true, false);
    this.reason = reason;
    this.errno = errno;
    this.interfaceName = interfaceName;
  }

  public EthtoolException(Reason reason, int errno, String interfaceName, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.errno = errno;
    this.interfaceName = interfaceName;
  }

  public Reason reason() {
    return reason;
  }

  /** The kernel's errno, 0 when the failure did not come from a system call. */
  public int errno() {
    return errno;
  }

  public String interfaceName() {
    return interfaceName;
  }
}
