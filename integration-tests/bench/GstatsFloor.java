package io.enareceiver.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.LockSupport;

/**
 * The Java floor of the whole-process benchmark: what gstats-floor.c does, from a JVM started
 * with the receiver's flags. One ETHTOOL_GSTATS per interface per second through the FFM API,
 * sleeping in between; no names, no bookkeeping, no OTLP. The C floor prices the system calls;
 * this one adds the price of a JVM (its own background threads, the downcalls, the JIT) and
 * nothing the agent chose, so the receiver's excess over it is what its sampling bookkeeping,
 * its exports and its libraries cost.
 *
 *   javac -d DIR GstatsFloor.java && java @deploy/jvm.options -cp DIR io.enareceiver.bench.GstatsFloor IFNAME...
 *
 * In package io.enareceiver so the flags' CompileThresholdScaling line applies to it as to the
 * agent. Exits 1 with a message when an interface cannot be read.
 */
public final class GstatsFloor {
  private static final int AF_INET = 2;
  private static final int SOCK_DGRAM = 2;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final long SIOCETHTOOL = 0x8946;
  private static final int ETHTOOL_GSSET_INFO = 0x37;
  private static final int ETHTOOL_GSTATS = 0x1d;
  private static final int ETH_SS_STATS = 1;
  private static final int IFREQ_SIZE = 40;
  private static final int IFR_DATA = 16;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final MethodHandle SOCKET = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("socket"),
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
  // ioctl is variadic: without firstVariadicArg the call only works by accident (DESIGN.md).
  private static final MethodHandle IOCTL = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("ioctl"),
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
      Linker.Option.firstVariadicArg(2));

  private final String[] names;
  private final int fd;
  private final MemorySegment[] ifreqs;
  private final MemorySegment[] stats;
  private final int[] counts;

  /** Opens the socket and learns each interface's statistics count once. */
  private GstatsFloor(String[] names) throws Throwable {
    this.names = names;
    this.fd = (int) SOCKET.invokeExact(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      fail("socket() failed");
    }
    int n = names.length;
    ifreqs = new MemorySegment[n];
    stats = new MemorySegment[n];
    counts = new int[n];
    Arena arena = Arena.global();
    for (int i = 0; i < n; i++) {
      byte[] name = names[i].getBytes(StandardCharsets.US_ASCII);
      if (name.length > 15) {
        fail(names[i] + ": interface name longer than 15 bytes");
      }
      ifreqs[i] = arena.allocate(IFREQ_SIZE, 8);
      MemorySegment.copy(name, 0, ifreqs[i], ValueLayout.JAVA_BYTE, 0, name.length);
      MemorySegment info = arena.allocate(16 + 4, 8);
      info.set(ValueLayout.JAVA_INT, 0, ETHTOOL_GSSET_INFO);
      info.set(ValueLayout.JAVA_LONG, 8, 1L << ETH_SS_STATS);
      ifreqs[i].set(ValueLayout.ADDRESS, IFR_DATA, info);
      int rc = (int) IOCTL.invokeExact(fd, SIOCETHTOOL, ifreqs[i]);
      if (rc != 0 || (info.get(ValueLayout.JAVA_LONG, 8) & (1L << ETH_SS_STATS)) == 0) {
        fail(names[i] + ": no driver statistics (ETHTOOL_GSSET_INFO returned " + rc + ")");
      }
      counts[i] = info.get(ValueLayout.JAVA_INT, 16);
      // Room for twice the count, as in the C floor: a grown count must not overrun.
      stats[i] = arena.allocate(8 + 16L * counts[i], 8);
      ifreqs[i].set(ValueLayout.ADDRESS, IFR_DATA, stats[i]);
    }
  }

  public static void main(String[] args) throws Throwable {
    if (args.length == 0) {
      System.err.println("usage: GstatsFloor IFNAME...");
      System.exit(2);
    }
    new GstatsFloor(args).run();
  }

  /**
   * Once a second, read everything. The pass is a method of its own, as in any agent: were the
   * reads inlined in one long-running loop, C1 would compile that loop on-stack once its
   * back-edge counter overflows (after ~3 minutes here, 30 ms of compiler time in one go for
   * the whole method), a cost no sampler that returns from its pass pays.
   */
  private void run() throws Throwable {
    long next = System.nanoTime();
    while (true) {
      readAll();
      next += 1_000_000_000L;
      for (long left = next - System.nanoTime(); left > 0; left = next - System.nanoTime()) {
        LockSupport.parkNanos(left);
      }
    }
  }

  private void readAll() throws Throwable {
    for (int i = 0; i < ifreqs.length; i++) {
      stats[i].set(ValueLayout.JAVA_INT, 0, ETHTOOL_GSTATS);
      stats[i].set(ValueLayout.JAVA_INT, 4, counts[i]);
      int rc = (int) IOCTL.invokeExact(fd, SIOCETHTOOL, ifreqs[i]);
      if (rc != 0) {
        fail(names[i] + ": ETHTOOL_GSTATS returned " + rc);
      }
    }
  }

  private static void fail(String message) {
    System.err.println("GstatsFloor: " + message);
    System.exit(1);
  }
}
