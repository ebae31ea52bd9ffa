package io.enareceiver.ethtool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Runs a short action with the calling thread inside another network namespace, then puts the
 * thread back. The point is to create sockets there: a socket keeps the namespace it was
 * created in, so a socket made inside the namespace reads that namespace's interfaces from any
 * thread afterwards.
 *
 * <p>{@code setns(2)} moves only the calling OS thread. A virtual thread can be unmounted and
 * resumed on another carrier, which would leave a carrier in the wrong namespace and the action
 * in the original one, so virtual threads are refused.
 */
public final class NetNamespaces {

  /** The calling thread's own network namespace, by its proc link. */
  static final String THREAD_NETNS = "/proc/thread-self/ns/net";

  /** An action that may throw a checked exception of its own type. */
  @FunctionalInterface
  public interface Action<T, X extends Exception> {
    T run() throws X;
  }

  private NetNamespaces() {}

  /**
   * Runs {@code action} on the calling platform thread inside the network namespace named by
   * {@code netnsFile} (for example {@code /var/run/netns/test1} or {@code /proc/1234/ns/net})
   * and returns its result. The thread is switched back in a {@code finally}; if switching back
   * fails the thread cannot be trusted any more and an {@link IllegalStateException} is thrown.
   *
   * @throws EthtoolException the namespace file cannot be opened or entered (reason and errno
   *     say why: {@code PERMISSION} without {@code CAP_SYS_ADMIN}, {@code OTHER}/EINVAL when the
   *     file is not a network namespace)
   * @throws IllegalStateException on a virtual thread
   */
  public static <T, X extends Exception> T callIn(Path netnsFile, Action<T, X> action)
      throws EthtoolException, X {
    Objects.requireNonNull(netnsFile, "netnsFile");
    Objects.requireNonNull(action, "action");
    if (Thread.currentThread().isVirtual()) {
      throw new IllegalStateException("cannot enter network namespace " + netnsFile
          + " from a virtual thread: setns moves only the carrier OS thread; use a platform thread");
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment capture = NativeLinux.allocateCapture(arena);
      int original = openNamespace(arena, capture, Path.of(THREAD_NETNS));
      try {
        int target = openNamespace(arena, capture, netnsFile);
        try {
          enter(capture, target, netnsFile);
        } finally {
          NativeLinux.close(capture, target);
        }
        try {
          return action.run();
        } finally {
          if (NativeLinux.setns(capture, original, NativeLinux.CLONE_NEWNET) != 0) {
            int errno = NativeLinux.errno(capture);
            throw new IllegalStateException("could not switch thread " + Thread.currentThread().getName()
                + " back to its network namespace after entering " + netnsFile + ": "
                + LinuxErrno.describe(errno));
          }
        }
      } finally {
        NativeLinux.close(capture, original);
      }
    }
  }

  private static int openNamespace(Arena arena, MemorySegment capture, Path file)
      throws EthtoolException {
    MemorySegment path = arena.allocateFrom(file.toString());
    int fd = NativeLinux.open(capture, path, NativeLinux.O_RDONLY | NativeLinux.O_CLOEXEC);
    if (fd < 0) {
      int errno = NativeLinux.errno(capture);
      throw new EthtoolException(LinuxErrno.reasonFor(errno), errno, "",
          "cannot open network namespace " + file + ": " + LinuxErrno.describe(errno));
    }
    return fd;
  }

  private static void enter(MemorySegment capture, int fd, Path file) throws EthtoolException {
    if (NativeLinux.setns(capture, fd, NativeLinux.CLONE_NEWNET) != 0) {
      int errno = NativeLinux.errno(capture);
      String hint = switch (errno) {
        case LinuxErrno.EPERM -> " (entering a namespace needs CAP_SYS_ADMIN)";
        case LinuxErrno.EINVAL -> " (not a network namespace file?)";
        default -> "";
      };
      throw new EthtoolException(LinuxErrno.reasonFor(errno), errno, "",
          "cannot enter network namespace " + file + ": " + LinuxErrno.describe(errno) + hint);
    }
  }
}
