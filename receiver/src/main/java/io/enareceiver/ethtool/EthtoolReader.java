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
 * positive, and return the count the kernel answered; a mismatch means the set of statistics
 * changed (for ENA: the number of queues, after {@code ethtool -L}) and the caller re-reads
 * count and names. What the kernel does with a count that no longer matches depends on its
 * age: newer kernels answer 0 and write nothing; older kernels ignore the input count and
 * write as many entries as the driver has <em>now</em>. An input count of 0 tells newer kernels
 * to write everything, which is why 0 is never passed.
 *
 * <p><b>Guard pages.</b> The names and values arrays live in {@link GuardedNativeBuffer}s: each
 * ends exactly at an inaccessible page. An old kernel writing more entries than fit hits that
 * page, and the ioctl fails with {@code EFAULT} instead of overwriting memory (into an ordinary
 * allocation the JVM would die later in malloc). The header, with the driver's current count,
 * is written before the array, so such an {@code EFAULT} is answered like any other count
 * change: the count is returned, the caller re-reads the names, and the buffers grow. This is
 * what lets a steady-state sample be a single {@code ETHTOOL_GSTATS} with the count already
 * known, without asking {@code ETHTOOL_GSSET_INFO} first to make sure the answer will fit.
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
  private final String description;
  private int fd;
  /** Mapped on first use, replaced by a larger one when a count outgrows it. */
  private GuardedNativeBuffer statsBuffer;
  private GuardedNativeBuffer stringsBuffer;
  /** Every SIOCETHTOOL issued, failed or not: makes the number of system calls per read testable. */
  private long ioctls;

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
   * sends no admin command to the device). Asked before the names are read; a values read
   * does not need it (see the class comment).
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
   * What {@link #readNames} got back.
   *
   * @param answered the count the kernel answered: the count asked for, 0 (a newer kernel
   *     whose set changed), or the driver's current count (an older kernel, which ignores the
   *     count asked for; possibly more than the buffer held, when the write hit its guard page)
   * @param names the names in driver order when {@code answered} is the count asked for;
   *     otherwise empty: the set changed, count and names must be read again. The array is
   *     handed over, not copied (the snapshot keeps it as the identity of this name set).
   */
  public record Names(int answered, String[] names) {
    public Names {
      Objects.requireNonNull(names, "names");
      if (names.length != 0 && names.length != answered) {
        throw new IllegalArgumentException(names.length + " names for an answer of " + answered);
      }
    }

    /** Whether the kernel answered {@code expectedCount} names, which {@link #names()} then holds. */
    public boolean matches(int expectedCount) {
      return answered == expectedCount && names.length == expectedCount;
    }
  }

  /**
   * Reads the statistic names ({@code ETHTOOL_GSTRINGS}, string set {@code ETH_SS_STATS}).
   *
   * @param expectedCount the count from {@link #statsCount}; must be positive
   * @return the names, when the kernel answered {@code expectedCount}; otherwise only the count
   *     it answered (the set changed in between): check {@link Names#matches} before use
   */
  public Names readNames(String ifname, int expectedCount) throws EthtoolException {
    prepare(ifname);
    checkExpected(expectedCount);
    GuardedNativeBuffer buffer = stringsBuffer(expectedCount);
    int answered = gstrings(ifname, buffer, expectedCount);
    if (answered != expectedCount) {
      return new Names(answered, new String[0]);
    }
    return new Names(answered, EthtoolAbi.decodeNames(buffer.segment(), EthtoolAbi.GSTRINGS_DATA, answered));
  }

  /**
   * Reads the statistic values ({@code ETHTOOL_GSTATS}) into {@code into[0, expectedCount)}:
   * one system call. Allocation-free once the buffer fits.
   *
   * @param expectedCount the count the names were read for; must be positive and at most
   *     {@code into.length}
   * @return the count the kernel answered; {@code into} is written only when it equals
   *     {@code expectedCount}, otherwise the statistics changed and the names must be re-read.
   *     A count above the buffer's capacity comes from an older kernel whose write hit the
   *     guard page ({@code EFAULT}): nothing was copied, and the next read with that count
   *     grows the buffer.
   * @throws EthtoolException when the ioctl fails for any other reason, or the answer makes no
   *     sense ({@link EthtoolException.Reason#BAD_ANSWER})
   */
  public int readValues(String ifname, int expectedCount, long[] into) throws EthtoolException {
    prepare(ifname);
    checkExpected(expectedCount);
    if (into.length < expectedCount) {
      throw new IllegalArgumentException("values array of " + into.length
          + " cannot hold " + expectedCount + " statistics");
    }
    GuardedNativeBuffer buffer = statsBuffer(expectedCount);
    int answered = gstats(ifname, buffer, expectedCount);
    if (answered == expectedCount) {
      EthtoolAbi.copyValues(buffer.segment(), EthtoolAbi.GSTATS_DATA, into, expectedCount);
    }
    return answered;
  }

  /**
   * Test hook for the guard page: {@code ETHTOOL_GSTATS} with an input count of 0, which a
   * newer kernel answers by writing every value the driver has, as an older kernel does for
   * any count, into the stats buffer as it is (mapped for one entry if there is none yet).
   * Returns the count answered, like {@link #readValues}, and copies nothing.
   */
  int readValuesAskingForAll(String ifname) throws EthtoolException {
    prepare(ifname);
    return gstats(ifname, statsBuffer(1), 0);
  }

  /** Test hook: {@link #readValuesAskingForAll} for {@code ETHTOOL_GSTRINGS}. */
  int readNamesAskingForAll(String ifname) throws EthtoolException {
    prepare(ifname);
    return gstrings(ifname, stringsBuffer(1), 0);
  }

  /** How many values the stats buffer holds now (0 before the first read). */
  int statsCapacity() {
    return statsBuffer == null ? 0 : statsBuffer.capacity();
  }

  /** How many names the strings buffer holds now (0 before the first read). */
  int stringsCapacity() {
    return stringsBuffer == null ? 0 : stringsBuffer.capacity();
  }

  /** How many {@code SIOCETHTOOL} system calls this reader has issued, failed ones included. */
  long ioctlCount() {
    return ioctls;
  }

  /** Releases the socket and the native buffers. Idempotent. */
  @Override
  public void close() {
    if (fd < 0) {
      return;
    }
    NativeLinux.close(capture, fd);
    fd = -1;
    try {
      if (statsBuffer != null) {
        statsBuffer.close();
      }
      if (stringsBuffer != null) {
        stringsBuffer.close();
      }
    } finally {
      statsBuffer = null;
      stringsBuffer = null;
      arena.close(); // after the buffers: they use its errno capture to unmap
    }
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
    int errno = tryIoctl(ifname, data);
    if (errno != 0) {
      throw failed(ifname, operation, errno);
    }
  }

  /** Issues SIOCETHTOOL and returns 0 on success, else the errno. */
  private int tryIoctl(String ifname, MemorySegment data) {
    MemorySegment.copy(encodedName(ifname), 0, ifreq, ValueLayout.JAVA_BYTE, 0, EthtoolAbi.IFNAMSIZ);
    ifreq.set(ValueLayout.ADDRESS, EthtoolAbi.IFREQ_DATA_OFFSET, data);
    ioctls++;
    return NativeLinux.ioctl(capture, fd, EthtoolAbi.SIOCETHTOOL, ifreq) == 0 ? 0 : NativeLinux.errno(capture);
  }

  private static EthtoolException failed(String ifname, String operation, int errno) {
    return new EthtoolException(LinuxErrno.reasonFor(errno), errno, ifname,
        ifname + ": " + operation + " failed: " + LinuxErrno.describe(errno));
  }

  /** {@code ETHTOOL_GSTATS} with {@code inputCount} into {@code buffer}; the count answered. */
  private int gstats(String ifname, GuardedNativeBuffer buffer, int inputCount) throws EthtoolException {
    MemorySegment answer = buffer.segment();
    answer.set(ValueLayout.JAVA_INT, 0, EthtoolAbi.ETHTOOL_GSTATS);
    answer.set(ValueLayout.JAVA_INT, EthtoolAbi.GSTATS_N_STATS, inputCount);
    return answeredCount(ifname, "ETHTOOL_GSTATS", buffer, EthtoolAbi.GSTATS_N_STATS);
  }

  /** {@code ETHTOOL_GSTRINGS} of the stats set with {@code inputCount} into {@code buffer}; the count answered. */
  private int gstrings(String ifname, GuardedNativeBuffer buffer, int inputCount) throws EthtoolException {
    MemorySegment answer = buffer.segment();
    answer.set(ValueLayout.JAVA_INT, 0, EthtoolAbi.ETHTOOL_GSTRINGS);
    answer.set(ValueLayout.JAVA_INT, EthtoolAbi.GSTRINGS_SET, EthtoolAbi.ETH_SS_STATS);
    answer.set(ValueLayout.JAVA_INT, EthtoolAbi.GSTRINGS_LEN, inputCount);
    return answeredCount(ifname, "ETHTOOL_GSTRINGS", buffer, EthtoolAbi.GSTRINGS_LEN);
  }

  /**
   * Issues the ioctl whose argument is {@code buffer} (header already filled in) and returns
   * the count the kernel wrote into the header at {@code countOffset}.
   *
   * <p>{@code EFAULT} with a header count above the capacity is an answer, not a failure: the
   * kernel wrote the header (driver's current count) first, then ran into the guard page with
   * the array, which only a kernel writing more than was asked for does (an older kernel whose
   * set grew, or an input count of 0). Any other failure throws.
   */
  private int answeredCount(String ifname, String operation, GuardedNativeBuffer buffer, long countOffset)
      throws EthtoolException {
    MemorySegment answer = buffer.segment();
    int errno = tryIoctl(ifname, answer);
    int answered = answer.get(ValueLayout.JAVA_INT, countOffset);
    int capacity = buffer.capacity();
    if (errno == 0) {
      if (answered < 0 || answered > capacity) {
        // A write of that many entries would have hit the guard page; a success cannot claim it.
        throw badAnswer(ifname, operation, "kernel answered " + Integer.toUnsignedString(answered)
            + " entries for a buffer of " + capacity + " and reported no fault");
      }
      return answered;
    }
    if (errno == LinuxErrno.EFAULT && Integer.compareUnsigned(answered, capacity) > 0) {
      if (answered < 0 || answered > MAX_PLAUSIBLE_STATS) {
        throw badAnswer(ifname, operation, "implausible count " + Integer.toUnsignedString(answered)
            + " (at most " + MAX_PLAUSIBLE_STATS + " expected) written with EFAULT");
      }
      return answered;
    }
    throw failed(ifname, operation, errno);
  }

  /** The stats buffer, grown (a new mapping, the old one unmapped) to hold {@code entries}. */
  private GuardedNativeBuffer statsBuffer(int entries) {
    if (statsBuffer == null || statsBuffer.capacity() < entries) {
      statsBuffer = replace(statsBuffer, EthtoolAbi.GSTATS_DATA, Long.BYTES, entries);
    }
    return statsBuffer;
  }

  /** The strings buffer, grown to hold {@code entries} names. */
  private GuardedNativeBuffer stringsBuffer(int entries) {
    if (stringsBuffer == null || stringsBuffer.capacity() < entries) {
      stringsBuffer = replace(stringsBuffer, EthtoolAbi.GSTRINGS_DATA, EthtoolAbi.ETH_GSTRING_LEN, entries);
    }
    return stringsBuffer;
  }

  /** Maps the new buffer before unmapping the old, so a failed mapping leaves the old one usable. */
  private GuardedNativeBuffer replace(GuardedNativeBuffer old, long headerBytes, long entryBytes, int entries) {
    GuardedNativeBuffer grown = GuardedNativeBuffer.map(headerBytes, entryBytes, entries, capture);
    if (old != null) {
      old.close();
    }
    return grown;
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
    // 0 means "write everything" to newer kernels: the answer would no longer say whether the
    // set changed, and a set larger than the buffer would fault on the guard page every time.
    if (expectedCount <= 0 || expectedCount > MAX_PLAUSIBLE_STATS) {
      throw new IllegalArgumentException("expected statistics count must be 1.."
          + MAX_PLAUSIBLE_STATS + ", was " + expectedCount);
    }
  }

  private static EthtoolException badAnswer(String ifname, String operation, String detail) {
    return new EthtoolException(EthtoolException.Reason.BAD_ANSWER, 0, ifname,
        ifname + ": " + operation + " gave a bad answer: " + detail);
  }
}
