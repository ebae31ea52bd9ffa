package io.enareceiver.ethtool;

/**
 * The Linux errno values this package meets, with the symbolic name and the text
 * {@code strerror(3)} prints for them. The numbers are the generic Linux ones, identical on
 * x86_64 and aarch64. A table instead of calling {@code strerror}: glibc's is not thread-safe
 * and the XSI/GNU {@code strerror_r} split is not worth a second downcall for an error path.
 */
final class LinuxErrno {
  static final int EPERM = 1;
  static final int ENOENT = 2;
  static final int EINTR = 4;
  static final int EIO = 5;
  static final int ENXIO = 6;
  static final int EBADF = 9;
  static final int EAGAIN = 11;
  static final int ENOMEM = 12;
  static final int EACCES = 13;
  static final int EFAULT = 14;
  static final int EBUSY = 16;
  static final int ENODEV = 19;
  static final int EINVAL = 22;
  static final int EMFILE = 24;
  static final int ENOTTY = 25;
  static final int ERANGE = 34;
  static final int ENOSYS = 38;
  static final int ENOTSOCK = 88;
  static final int EPROTONOSUPPORT = 93;
  static final int EAFNOSUPPORT = 97;
  static final int EOPNOTSUPP = 95;
  static final int ENETDOWN = 100;
  static final int ENOBUFS = 105;

  private LinuxErrno() {}

  /** Symbolic name such as {@code ENODEV}, or {@code errno 123} for numbers not in the table. */
  static String name(int errno) {
    return switch (errno) {
      case EPERM -> "EPERM";
      case ENOENT -> "ENOENT";
      case EINTR -> "EINTR";
      case EIO -> "EIO";
      case ENXIO -> "ENXIO";
      case EBADF -> "EBADF";
      case EAGAIN -> "EAGAIN";
      case ENOMEM -> "ENOMEM";
      case EACCES -> "EACCES";
      case EFAULT -> "EFAULT";
      case EBUSY -> "EBUSY";
      case ENODEV -> "ENODEV";
      case EINVAL -> "EINVAL";
      case EMFILE -> "EMFILE";
      case ENOTTY -> "ENOTTY";
      case ERANGE -> "ERANGE";
      case ENOSYS -> "ENOSYS";
      case EOPNOTSUPP -> "EOPNOTSUPP";
      case EAFNOSUPPORT -> "EAFNOSUPPORT";
      case ENETDOWN -> "ENETDOWN";
      case ENOTSOCK -> "ENOTSOCK";
      case EPROTONOSUPPORT -> "EPROTONOSUPPORT";
      case ENOBUFS -> "ENOBUFS";
      default -> "errno " + errno;
    };
  }

  /** The strerror-like text, e.g. {@code No such device}. */
  static String text(int errno) {
    return switch (errno) {
      case EPERM -> "Operation not permitted";
      case ENOENT -> "No such file or directory";
      case EINTR -> "Interrupted system call";
      case EIO -> "Input/output error";
      case ENXIO -> "No such device or address";
      case EBADF -> "Bad file descriptor";
      case EAGAIN -> "Resource temporarily unavailable";
      case ENOMEM -> "Cannot allocate memory";
      case EACCES -> "Permission denied";
      case EFAULT -> "Bad address";
      case EBUSY -> "Device or resource busy";
      case ENODEV -> "No such device";
      case EINVAL -> "Invalid argument";
      case EMFILE -> "Too many open files";
      case ENOTTY -> "Inappropriate ioctl for device";
      case ERANGE -> "Numerical result out of range";
      case ENOSYS -> "Function not implemented";
      case EOPNOTSUPP -> "Operation not supported";
      case EAFNOSUPPORT -> "Address family not supported by protocol";
      case ENETDOWN -> "Network is down";
      case ENOTSOCK -> "Socket operation on non-socket";
      case EPROTONOSUPPORT -> "Protocol not supported";
      case ENOBUFS -> "No buffer space available";
      default -> "Unknown error " + errno;
    };
  }

  /** {@code No such device (ENODEV)}: the form every message in this package uses. */
  static String describe(int errno) {
    return text(errno) + " (" + name(errno) + ")";
  }

  /** The operator-facing reason for a failed ethtool ioctl. */
  static EthtoolException.Reason reasonFor(int errno) {
    return switch (errno) {
      case ENODEV -> EthtoolException.Reason.NO_DEVICE;
      case EOPNOTSUPP -> EthtoolException.Reason.NOT_SUPPORTED;
      case EPERM, EACCES -> EthtoolException.Reason.PERMISSION;
      default -> EthtoolException.Reason.OTHER;
    };
  }
}
