package io.enareceiver.ethtool;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The handful of libc calls this package needs, bound once through the FFM linker. Every
 * call that can fail captures {@code errno} into a caller-supplied segment (laid out by
 * {@link #CAPTURE_LAYOUT}) so that nothing the JVM does between the call and the read can
 * clobber it.
 *
 * <p>The handles are {@code static final} so the JIT treats them as constants and
 * {@code invokeExact} neither boxes nor allocates.
 */
final class NativeLinux {
  static final int AF_INET = 2;
  static final int SOCK_DGRAM = 2;
  static final int SOCK_CLOEXEC = 0x80000;
  static final int O_RDONLY = 0;
  static final int O_CLOEXEC = 0x80000;
  static final int CLONE_NEWNET = 0x40000000;

  static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
  private static final long ERRNO_OFFSET =
      CAPTURE_LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("errno"));

  private static final Linker LINKER = Linker.nativeLinker();
  private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");

  /** {@code int socket(int domain, int type, int protocol)}. */
  private static final MethodHandle SOCKET = bind("socket",
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
          ValueLayout.JAVA_INT),
      ERRNO);

  /**
   * {@code int ioctl(int fd, unsigned long request, ...)}: variadic, so the third argument
   * is declared variadic and the linker follows the variadic calling convention (on x86_64
   * that sets {@code %al}); declaring it as a plain argument only works by accident.
   */
  private static final MethodHandle IOCTL = bind("ioctl",
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
          ValueLayout.ADDRESS),
      ERRNO, Linker.Option.firstVariadicArg(2));

  /** {@code int close(int fd)}. */
  private static final MethodHandle CLOSE = bind("close",
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), ERRNO);

  /** {@code int open(const char *path, int flags, ...)}: variadic (mode), passed as 0. */
  private static final MethodHandle OPEN = bind("open",
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
          ValueLayout.JAVA_INT),
      ERRNO, Linker.Option.firstVariadicArg(2));

  /** {@code int setns(int fd, int nstype)}. */
  private static final MethodHandle SETNS = bind("setns",
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
      ERRNO);

  private NativeLinux() {}

  private static MethodHandle bind(String name, FunctionDescriptor descriptor,
      Linker.Option... options) {
    MemorySegment symbol = LINKER.defaultLookup().find(name)
        .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
    return LINKER.downcallHandle(symbol, descriptor, options);
  }

  /** Allocates a segment to receive errno from the calls below. */
  static MemorySegment allocateCapture(Arena arena) {
    return arena.allocate(CAPTURE_LAYOUT);
  }

  /** The errno captured by the most recent call that used {@code capture}. */
  static int errno(MemorySegment capture) {
    return capture.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
  }

  static int socket(MemorySegment capture, int domain, int type, int protocol) {
    try {
      return (int) SOCKET.invokeExact(capture, domain, type, protocol);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int ioctl(MemorySegment capture, int fd, long request, MemorySegment arg) {
    try {
      return (int) IOCTL.invokeExact(capture, fd, request, arg);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int close(MemorySegment capture, int fd) {
    try {
      return (int) CLOSE.invokeExact(capture, fd);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int open(MemorySegment capture, MemorySegment path, int flags) {
    try {
      return (int) OPEN.invokeExact(capture, path, flags, 0);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int setns(MemorySegment capture, int fd, int nstype) {
    try {
      return (int) SETNS.invokeExact(capture, fd, nstype);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** A downcall throws only what the linker throws (errors, illegal states); pass them on. */
  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException("unexpected checked exception from a native call", t);
  }
}
