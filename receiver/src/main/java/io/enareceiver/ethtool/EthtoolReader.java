package io.enareceiver.ethtool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads driver statistics through the {@code SIOCETHTOOL} ioctl with the FFM API (no JNI, no
 * {@code ethtool} subprocess). One reader owns one {@code AF_INET} datagram socket, which
 * reads the interfaces of the network namespace it was created in, and a set of native buffers
 * that are reused from call to call.
 *
 * <p><b>Allocation.</b> {@link #statsCount} and {@link #readValues} create no objects once the
 * buffers have grown to fit the interface (the first call, or a count that grew): the ioctl
 * arguments live in native memory owned by the reader, the interface name is copied from a
 * cached encoding, and values are copied straight into the caller's {@code long[]}. (Until the
 * JIT has compiled them, the JDK's own interpreted FFM paths allocate a few dozen short-lived
 * bytes per call; compiled, a call allocates nothing: {@code KernelStatSourceTest} checks it.)
 * {@link #readNames} and {@link #driverInfo} create strings and are meant for when names change.
 *
 * <p><b>Counts.</b> The stats and names calls take the count the caller expects, which must be
 * positive: an input count of 0 tells newer kernels "give me everything", and with a buffer
 * sized for less the kernel writes past it (the JVM then dies in malloc). Old kernels ignore
 * the input count altogether and write as many entries as the driver has <em>now</em>, so
 * buffers get headroom ({@link EthtoolAbi#capacityFor}) and the count the kernel answered is
 * returned for the caller to compare; a mismatch means the set of statistics changed (for ENA:
 * the number of queues, after {@code ethtool -L}).
 *
 * <p><b>Link queries are never issued</b> ({@code ETHTOOL_GSET}, {@code ETHTOOL_GLINKSETTINGS}):
 * on older ENA devices they spam the kernel log.
 *
 * <p><b>Threads.</b> Not thread-safe: the buffers are shared between calls, so a reader is
 * confined to one thread at a time (the sampling thread). Handing it to another thread needs a
 * happens-before edge (an executor submission is one). {@link #close()} must not race a read.
 */
public final class EthtoolReader implements AutoCloseable {

  /** More statistics than any driver has (ENA: ~45 per queue pair, at most 32 queues). */
  static final int MAX_PLAUSIBLE_STATS = 65_536;

  private final Arena arena;
  private final MemorySegment capture;
  private final MemorySegment ifreq;
  private final MemorySegment drvinfo;
  private final MemorySegment ssetInfo;
  private final GrowableBuffer statsBuffer;
  private final GrowableBuffer stringsBuffer;
  private final String description;
  private int fd;

  /** The last interface name written and its NUL-padded encoding, so steady reads do not re-encode. */
  private String cachedName;
  private final byte[] cachedNameBytes = new byte[EthtoolAbi.IFNAMSIZ];

  private EthtoolReader(int fd, Arena arena, MemorySegment capture, String description) {
    this.fd = fd;
    this.arena = arena;
    this.capture = capture;
    this.description = description;
    this.ifreq = arena.allocate(EthtoolAbi.IFREQ_SIZE, 8);
    this.drvinfo = arena.allocate(EthtoolAbi.DRVINFO_SIZE, 8);
    this.ssetInfo = arena.allocate(EthtoolAbi.SSET_INFO_SIZE, 8);
    this.statsBuffer = new GrowableBuffer(EthtoolAbi.GSTATS_DATA, Long.BYTES);
    this.stringsBuffer = new GrowableBuffer(EthtoolAbi.GSTRINGS_DATA, EthtoolAbi.ETH_GSTRING_LEN);
  }

  /** Opens a reader for the network namespace of the calling thread. */
  public static EthtoolReader open() throws EthtoolException {
    return open("current network namespace");
  }

  /**
   * Opens a reader whose socket lives in the network namespace named by {@code netnsFile}
   * (e.g. {@code /var/run/netns/blue}). The calling platform thread enters the namespace only
   * to create the socket and is switched back before this returns; see {@link NetNamespaces}.
   *
   * @throws IllegalStateException when called from a virtual thread
   */
  public static EthtoolReader openInNamespace(Path netnsFile) throws EthtoolException {
    Objects.requireNonNull(netnsFile, "netnsFile");
    return NetNamespaces.callIn(netnsFile, () -> open("network namespace " + netnsFile));
  }

  private static EthtoolReader open(String description) throws EthtoolException {
    Arena arena = Arena.ofShared();
    try {
      MemorySegment capture = NativeLinux.allocateCapture(arena);
      int fd = NativeLinux.socket(capture, NativeLinux.AF_INET,
          NativeLinux.SOCK_DGRAM | NativeLinux.SOCK_CLOEXEC, 0);
      if (fd < 0) {
        int errno = NativeLinux.errno(capture);
        throw new EthtoolException(LinuxErrno.reasonFor(errno), errno, "",
            "cannot create the ethtool socket in the " + description + ": " + LinuxErrno.describe(errno));
      }
      return new EthtoolReader(fd, arena, capture, description);
    } catch (EthtoolException | RuntimeException | Error e) {
      arena.close();
      throw e;
    }
  }

  /**
   * Checks that {@code name} can be a Linux interface name without asking the kernel: 1 to 15
   * bytes in UTF-8, not {@code .} or {@code ..}, no NUL, {@code /}, {@code :} or whitespace.
   *
   * @throws IllegalArgumentException naming the problem
   */
  public static void checkInterfaceName(String name) {
    encodeName(name, new byte[EthtoolAbi.IFNAMSIZ]);
  }

  /** {@code ETHTOOL_GDRVINFO} ({@code ethtool -i}). */
  public DriverInfo driverInfo(String ifname) throws EthtoolException {
    prepare(ifname);
    MemorySegment info = drvinfo;
    info.fill((byte) 0);
    info.set(ValueLayout.JAVA_INT, 0, EthtoolAbi.ETHTOOL_GDRVINFO);
    ioctl(ifname, info, "ETHTOOL_GDRVINFO");
    int n = info.get(ValueLayout.JAVA_INT, EthtoolAbi.DRVINFO_N_STATS);
    return new DriverInfo(
        EthtoolAbi.decodeFixedString(info, EthtoolAbi.DRVINFO_DRIVER, EthtoolAbi.DRVINFO_STRING_LEN),
        EthtoolAbi.decodeFixedString(info, EthtoolAbi.DRVINFO_VERSION, EthtoolAbi.DRVINFO_STRING_LEN),
        EthtoolAbi.decodeFixedString(info, EthtoolAbi.DRVINFO_FW_VERSION, EthtoolAbi.DRVINFO_STRING_LEN),
        EthtoolAbi.decodeFixedString(info, EthtoolAbi.DRVINFO_BUS_INFO, EthtoolAbi.DRVINFO_STRING_LEN),
        n);
  }

  /**
   * The number of driver statistics now, through {@code ETHTOOL_GSSET_INFO}: cheap (on ENA it
   * sends no admin command to the device), so it is asked before every values read.
   *
   * @return the count, or 0 when the driver has no statistics set (the kernel cleared the
   *     {@code ETH_SS_STATS} bit in the answer)
   */
  public int statsCount(String ifname) throws EthtoolException {
    prepare(ifname);
    MemorySegment info = ssetInfo;
    info.set(ValueLayout.JAVA_INT, 0, EthtoolAbi.ETHTOOL_GSSET_INFO);
    info.set(ValueLayout.JAVA_INT, 4, 0);
    info.set(ValueLayout.JAVA_LONG, EthtoolAbi.SSET_INFO_MASK, 1L << EthtoolAbi.ETH_SS_STATS);
    info.set(ValueLayout.JAVA_INT, EthtoolAbi.SSET_INFO_DATA, 0);
    ioctl(ifname, info, "ETHTOOL_GSSET_INFO");
    long mask = info.get(ValueLayout.JAVA_LONG, EthtoolAbi.SSET_INFO_MASK);
    if ((mask & (1L << EthtoolAbi.ETH_SS_STATS)) == 0) {
      return 0;
    }
    int count = info.get(ValueLayout.JAVA_INT, EthtoolAbi.SSET_INFO_DATA);
    if (count < 0 || count > MAX_PLAUSIBLE_STATS) {
      throw badAnswer(ifname, "ETHTOOL_GSSET_INFO", "implausible statistics count "
          + Integer.toUnsignedString(count) + " (at most " + MAX_PLAUSIBLE_STATS + " expected)");
    }
    return count;
  }

  /**
   * Reads the statistic names ({@code ETHTOOL_GSTRINGS}, string set {@code ETH_SS_STATS}).
   *
   * @param expectedCount the count from {@link #statsCount}; must be positive
   * @return the names the kernel wrote; their number is the count the kernel answered, which
   *     differs from {@code expectedCount} when the set changed in between (newer kernels then
   *     answer 0 names, older ones the new set): compare before use
   */
  public String[] readNames(String ifname, int expectedCount) throws EthtoolException {
    prepare(ifname);
    checkExpected(expectedCount);
    MemorySegment buffer = stringsBuffer.ensure(expectedCount);
    buffer.set(ValueLayout.JAVA_INT, 0, EthtoolAbi.ETHTOOL_GSTRINGS);
    buffer.set(ValueLayout.JAVA_INT, EthtoolAbi.GSTRINGS_SET, EthtoolAbi.ETH_SS_STATS);
    buffer.set(ValueLayout.JAVA_INT, EthtoolAbi.GSTRINGS_LEN, expectedCount);
    ioctl(ifname, buffer, "ETHTOOL_GSTRINGS");
    int answered = buffer.get(ValueLayout.JAVA_INT, EthtoolAbi.GSTRINGS_LEN);
    checkAnswered(ifname, "ETHTOOL_GSTRINGS", answered, stringsBuffer.capacity());
    return EthtoolAbi.decodeNames(buffer, EthtoolAbi.GSTRINGS_DATA, answered);
  }

  /**
   * Reads the statistic values ({@code ETHTOOL_GSTATS}) into {@code into[0, expectedCount)}.
   * Allocation-free once the buffer fits.
   *
   * @param expectedCount the count the names were read for; must be positive and at most
   *     {@code into.length}
   * @return the count the kernel answered; {@code into} is written only when it equals
   *     {@code expectedCount}, otherwise the statistics changed and the names must be re-read
   */
  public int readValues(String ifname, int expectedCount, long[] into) throws EthtoolException {
    prepare(ifname);
    checkExpected(expectedCount);
    if (into.length < expectedCount) {
      throw new IllegalArgumentException("values array of " + into.length
          + " cannot hold " + expectedCount + " statistics");
    }
    MemorySegment buffer = statsBuffer.ensure(expectedCount);
    buffer.set(ValueLayout.JAVA_INT, 0, EthtoolAbi.ETHTOOL_GSTATS);
    buffer.set(ValueLayout.JAVA_INT, EthtoolAbi.GSTATS_N_STATS, expectedCount);
    ioctl(ifname, buffer, "ETHTOOL_GSTATS");
    int answered = buffer.get(ValueLayout.JAVA_INT, EthtoolAbi.GSTATS_N_STATS);
    checkAnswered(ifname, "ETHTOOL_GSTATS", answered, statsBuffer.capacity());
    if (answered == expectedCount) {
      EthtoolAbi.copyValues(buffer, EthtoolAbi.GSTATS_DATA, into, expectedCount);
    }
    return answered;
  }

  /** Releases the socket and the native buffers. Idempotent. */
  @Override
  public void close() {
    if (fd < 0) {
      return;
    }
    NativeLinux.close(capture, fd);
    fd = -1;
    statsBuffer.close();
    stringsBuffer.close();
    arena.close();
  }

  @Override
  public String toString() {
    return "EthtoolReader[" + description + (fd < 0 ? ", closed]" : "]");
  }

  /**
   * Validates the name and checks the reader is open, before any buffer or the kernel is
   * touched: a bad name never reaches a system call, open reader or not.
   */
  private void prepare(String ifname) {
    encodedName(ifname);
    if (fd < 0) {
      throw new IllegalStateException("EthtoolReader is closed");
    }
  }

  /** Issues SIOCETHTOOL for {@code ifname} (already {@link #prepare prepared}) with {@code data}. */
  private void ioctl(String ifname, MemorySegment data, String operation) throws EthtoolException {
    MemorySegment.copy(encodedName(ifname), 0, ifreq, ValueLayout.JAVA_BYTE, 0, EthtoolAbi.IFNAMSIZ);
    ifreq.set(ValueLayout.ADDRESS, EthtoolAbi.IFREQ_DATA_OFFSET, data);
    if (NativeLinux.ioctl(capture, fd, EthtoolAbi.SIOCETHTOOL, ifreq) != 0) {
      int errno = NativeLinux.errno(capture);
      throw new EthtoolException(LinuxErrno.reasonFor(errno), errno, ifname,
          ifname + ": " + operation + " failed: " + LinuxErrno.describe(errno));
    }
  }

  /** The validated, NUL-padded name; encoded only when it differs from the previous call's. */
  private byte[] encodedName(String ifname) {
    Objects.requireNonNull(ifname, "ifname");
    if (!ifname.equals(cachedName)) {
      encodeName(ifname, cachedNameBytes);
      cachedName = ifname;
    }
    return cachedNameBytes;
  }

  /** Validates and writes {@code name} NUL-padded into {@code out} (IFNAMSIZ bytes). */
  private static void encodeName(String name, byte[] out) {
    Objects.requireNonNull(name, "interface name");
    if (name.isEmpty() || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("\"" + name + "\" is not a valid interface name");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == 0 || c == '/' || c == ':' || Character.isWhitespace(c)) {
        throw new IllegalArgumentException("interface name \"" + name.replace("\0", "\\0")
            + "\" contains " + describeChar(c) + ", which Linux interface names cannot contain");
      }
    }
    if (name.length() < EthtoolAbi.IFNAMSIZ && isAscii(name)) {
      // The usual case, written without the temporary byte[] of getBytes: a sampling pass
      // encodes every interface's name (the cache holds only the previous one), and must not
      // allocate per interface.
      java.util.Arrays.fill(out, (byte) 0);
      for (int i = 0; i < name.length(); i++) {
        out[i] = (byte) name.charAt(i);
      }
      return;
    }
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    if (bytes.length >= EthtoolAbi.IFNAMSIZ) {
      throw new IllegalArgumentException("interface name \"" + name + "\" is " + bytes.length
          + " bytes long; Linux interface names are at most " + (EthtoolAbi.IFNAMSIZ - 1) + " bytes");
    }
    java.util.Arrays.fill(out, (byte) 0);
    System.arraycopy(bytes, 0, out, 0, bytes.length);
  }

  private static boolean isAscii(String name) {
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static String describeChar(char c) {
    return switch (c) {
      case 0 -> "a NUL character";
      case '/' -> "'/'";
      case ':' -> "':'";
      default -> "whitespace";
    };
  }

  private static void checkExpected(int expectedCount) {
    // 0 would mean "write everything" to the kernel: the overrun this class exists to prevent.
    if (expectedCount <= 0 || expectedCount > MAX_PLAUSIBLE_STATS) {
      throw new IllegalArgumentException("expected statistics count must be 1.."
          + MAX_PLAUSIBLE_STATS + ", was " + expectedCount);
    }
  }

  private void checkAnswered(String ifname, String operation, int answered, int capacity)
      throws EthtoolException {
    if (answered < 0 || answered > capacity) {
      // The kernel may already have written past the buffer; nothing here can be trusted.
      throw badAnswer(ifname, operation, "kernel answered " + Integer.toUnsignedString(answered)
          + " entries for a buffer of " + capacity);
    }
  }

  private static EthtoolException badAnswer(String ifname, String operation, String detail) {
    return new EthtoolException(EthtoolException.Reason.BAD_ANSWER, 0, ifname,
        ifname + ": " + operation + " gave a bad answer: " + detail);
  }

  /**
   * A native buffer for a header followed by a kernel-written array, grown (never shrunk) to
   * {@link EthtoolAbi#capacityFor} entries. Each size has its own arena so growing frees the
   * old memory.
   */
  private static final class GrowableBuffer {
    private final long headerBytes;
    private final long entryBytes;
    private Arena arena;
    private MemorySegment segment;
    private int capacity;

    GrowableBuffer(long headerBytes, long entryBytes) {
      this.headerBytes = headerBytes;
      this.entryBytes = entryBytes;
    }

    MemorySegment ensure(int expected) {
      if (expected > capacity) {
        int newCapacity = EthtoolAbi.capacityFor(expected);
        Arena newArena = Arena.ofShared();
        MemorySegment newSegment = newArena.allocate(headerBytes + newCapacity * entryBytes, 8);
        close();
        arena = newArena;
        segment = newSegment;
        capacity = newCapacity;
      }
      return segment;
    }

    int capacity() {
      return capacity;
    }

    void close() {
      if (arena != null) {
        arena.close();
        arena = null;
        segment = null;
        capacity = 0;
      }
    }
  }
}
