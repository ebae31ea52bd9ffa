package io.enareceiver.ethtool;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * System calls only tests make, to put a socket into a state the kernel produces but a test
 * cannot wait for: a tiny receive buffer (so notifications overflow), a descriptor that is no
 * longer a socket (so {@code recv} fails), a thread without capabilities (as the receiver runs).
 */
final class TestSyscalls {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
  private static final int SOL_SOCKET = 1;
  private static final int SO_RCVBUF = 8;
  /** {@code _LINUX_CAPABILITY_VERSION_3}: two 32-bit words per set. */
  private static final int CAPABILITY_VERSION_3 = 0x20080522;

  private static final MethodHandle SETSOCKOPT = handle("setsockopt", FunctionDescriptor.of(ValueLayout.JAVA_INT,
      ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
  private static final MethodHandle DUP2 = handle("dup2",
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
  private static final MethodHandle CAPGET = handle("capget",
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
  private static final MethodHandle CAPSET = handle("capset",
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));

  private TestSyscalls() {}

  private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
    return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor, ERRNO);
  }

  /** {@code setsockopt(fd, SOL_SOCKET, SO_RCVBUF, bytes)}; the kernel doubles it and applies its minimum. */
  static void setReceiveBuffer(int fd, int bytes) throws Throwable {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment capture = NativeLinux.allocateCapture(arena);
      MemorySegment value = arena.allocateFrom(ValueLayout.JAVA_INT, bytes);
      int rc = (int) SETSOCKOPT.invokeExact(capture, fd, SOL_SOCKET, SO_RCVBUF, value, Integer.BYTES);
      check(rc, capture, "setsockopt(SO_RCVBUF)");
    }
  }

  /**
   * Makes {@code fd} refer to {@code /dev/null} instead of what it was ({@code dup2} closes the
   * old file): the owner keeps its number, and closing it later closes /dev/null.
   */
  static void replaceWithDevNull(int fd) throws Throwable {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment capture = NativeLinux.allocateCapture(arena);
      int devNull = NativeLinux.open(capture, arena.allocateFrom("/dev/null"), NativeLinux.O_RDONLY | NativeLinux.O_CLOEXEC);
      check(devNull, capture, "open(/dev/null)");
      try {
        check((int) DUP2.invokeExact(capture, devNull, fd), capture, "dup2");
      } finally {
        NativeLinux.close(capture, devNull);
      }
    }
  }

  /**
   * Clears the calling thread's effective capability set (capabilities are per thread on Linux;
   * the permitted set stays, so nothing is lost for good). Meant for a thread that ends soon.
   */
  static void dropEffectiveCapabilitiesOfThisThread() throws Throwable {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment capture = NativeLinux.allocateCapture(arena);
      MemorySegment header = arena.allocate(8, 4);
      header.set(ValueLayout.JAVA_INT, 0, CAPABILITY_VERSION_3);
      header.set(ValueLayout.JAVA_INT, 4, 0); // this thread
      // Two {effective, permitted, inheritable} triples of 32-bit words.
      MemorySegment data = arena.allocate(24, 4);
      check((int) CAPGET.invokeExact(capture, header, data), capture, "capget");
      data.set(ValueLayout.JAVA_INT, 0, 0);
      data.set(ValueLayout.JAVA_INT, 12, 0);
      check((int) CAPSET.invokeExact(capture, header, data), capture, "capset");
    }
  }

  /**
   * Moves the calling platform thread into the network namespace {@code netnsFile} without a
   * way back ({@link NetNamespaces} switches back, which needs the capability a test may be
   * about to drop). Only for a thread that ends soon.
   */
  static void enterNetworkNamespaceForGood(Path netnsFile) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment capture = NativeLinux.allocateCapture(arena);
      int fd = NativeLinux.open(capture, arena.allocateFrom(netnsFile.toString()), NativeLinux.O_RDONLY | NativeLinux.O_CLOEXEC);
      check(fd, capture, "open(" + netnsFile + ")");
      try {
        check(NativeLinux.setns(capture, fd, NativeLinux.CLONE_NEWNET), capture, "setns(" + netnsFile + ")");
      } finally {
        NativeLinux.close(capture, fd);
      }
    }
  }

  /** The calling thread's effective capabilities as the kernel shows them ({@code CapEff}, hex). */
  static String effectiveCapabilitiesOfThisThread() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
      if (line.startsWith("CapEff:")) {
        return line.substring("CapEff:".length()).strip();
      }
    }
    throw new IllegalStateException("no CapEff line in /proc/thread-self/status");
  }

  private static void check(int rc, MemorySegment capture, String call) {
    if (rc < 0) {
      throw new IllegalStateException(call + " failed: " + LinuxErrno.describe(NativeLinux.errno(capture)));
    }
  }
}
