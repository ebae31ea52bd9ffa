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
  static final int SOCK_RAW = 3;
  static final int SOCK_CLOEXEC = 0x80000;
  /** {@code O_NONBLOCK}: 04000 on x86_64 and aarch64 (not on every architecture). */
  static final int SOCK_NONBLOCK = 0x800;
  static final int AF_NETLINK = 16;
  /** {@code <linux/netlink.h>}: the rtnetlink protocol (links, addresses, routes). */
  static final int NETLINK_ROUTE = 0;
  /** {@code <linux/rtnetlink.h>}: the legacy group bit for link notifications (RTNLGRP_LINK = 1). */
  static final int RTMGRP_LINK = 1;
  /** {@code struct sockaddr_nl}: u16 family, u16 pad, u32 pid, u32 groups. */
  static final long SOCKADDR_NL_SIZE = 12;
  static final long SOCKADDR_NL_PID = 4;
  static final long SOCKADDR_NL_GROUPS = 8;
  /** {@code recv} flag: fail with EAGAIN instead of blocking. */
  static final int MSG_DONTWAIT = 0x40;
  static final int O_RDONLY = 0;
  static final int O_CLOEXEC = 0x80000;
  static final int CLONE_NEWNET = 0x40000000;
  /** {@code <sys/mman.h>}: the same values on x86_64 and aarch64. */
  static final int PROT_NONE = 0;
  static final int PROT_READ = 1;
  static final int PROT_WRITE = 2;
  static final int MAP_PRIVATE = 0x02;
  static final int MAP_ANONYMOUS = 0x20;
  /** What {@code mmap} returns on failure: {@code (void *) -1}. */
  static final long MAP_FAILED = -1L;
  /** {@code sysconf} name of the page size (glibc and musl, every Linux architecture). */
  static final int SC_PAGESIZE = 30;

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

  /** {@code int bind(int fd, const struct sockaddr *addr, socklen_t addrlen)}. */
  private static final MethodHandle BIND = bind("bind",
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
          ValueLayout.JAVA_INT),
      ERRNO);

  /** {@code ssize_t recv(int fd, void *buf, size_t len, int flags)}. */
  private static final MethodHandle RECV = bind("recv",
      FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
          ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
      ERRNO);

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

  /**
   * {@code void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)}:
   * the address comes back as a zero-length segment; only its {@code address()} is used.
   */
  private static final MethodHandle MMAP = bind("mmap",
      FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
          ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
      ERRNO);

  /** {@code int mprotect(void *addr, size_t length, int prot)}. */
  private static final MethodHandle MPROTECT = bind("mprotect",
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
          ValueLayout.JAVA_INT),
      ERRNO);

  /** {@code int munmap(void *addr, size_t length)}. */
  private static final MethodHandle MUNMAP = bind("munmap",
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
      ERRNO);

  /** {@code long sysconf(int name)}. */
  private static final MethodHandle SYSCONF = bind("sysconf",
      FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT), ERRNO);

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

  static int bind(MemorySegment capture, int fd, MemorySegment address) {
    try {
      return (int) BIND.invokeExact(capture, fd, address, (int) address.byteSize());
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** Receives into the whole of {@code buffer}; the byte count, or -1 with errno in {@code capture}. */
  static long recv(MemorySegment capture, int fd, MemorySegment buffer, int flags) {
    try {
      return (long) RECV.invokeExact(capture, fd, buffer, buffer.byteSize(), flags);
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

  /**
   * Maps {@code length} bytes of private anonymous memory with {@code prot}.
   *
   * @return the address of the mapping, or {@link #MAP_FAILED} with errno in {@code capture}
   */
  static long mmapAnonymous(MemorySegment capture, long length, int prot) {
    try {
      MemorySegment mapped = (MemorySegment) MMAP.invokeExact(capture, MemorySegment.NULL, length,
          prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
      return mapped.address();
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /** {@code address} is raw: it points into a mapping no segment describes yet. */
  static int mprotect(MemorySegment capture, long address, long length, int prot) {
    try {
      return (int) MPROTECT.invokeExact(capture, MemorySegment.ofAddress(address), length, prot);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int munmap(MemorySegment capture, long address, long length) {
    try {
      return (int) MUNMAP.invokeExact(capture, MemorySegment.ofAddress(address), length);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static long sysconf(MemorySegment capture, int name) {
    try {
      return (long) SYSCONF.invokeExact(capture, name);
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
