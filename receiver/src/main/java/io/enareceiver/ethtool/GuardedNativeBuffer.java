package io.enareceiver.ethtool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Native memory for one kernel-written answer, a header followed by an array of entries, that
 * ends exactly where an inaccessible <em>guard page</em> begins.
 *
 * <p><b>Why.</b> {@code ETHTOOL_GSTATS} and {@code ETHTOOL_GSTRINGS} write the header, then the
 * array, and the number of entries they write is not always the number we ask for. Newer
 * kernels honour a non-zero input count (on a mismatch they answer a count of 0 and write no
 * array), but older kernels ignore it and write as many entries as the driver has <em>now</em>,
 * and any kernel writes everything for an input count of 0. Into malloc'ed memory sized for
 * fewer entries, that overrun corrupts the heap and the JVM dies later, somewhere in malloc.
 * Here the array's last byte is the last byte before a {@code PROT_NONE} page: an overlong write
 * faults inside the kernel's {@code copy_to_user} and the ioctl fails with {@code EFAULT}, and
 * no byte outside this buffer is ever touched. The kernel copies the header before the array,
 * so after such an {@code EFAULT} the header still says how many entries the driver has now:
 * the caller grows the buffer and asks again.
 *
 * <p><b>Layout.</b> A private anonymous mapping of whole read-write pages followed by one guard
 * page. The capacity is every entry that fits in the read-write pages after the header (page
 * rounding gives headroom for free), and the segment starts at {@code guard - (header +
 * capacity * entry)}. The guard is page-aligned, so the start is aligned to the largest power
 * of two dividing both the header and the entry size: 8 for {@code struct ethtool_stats} (8-byte
 * header, u64 values), 4 for {@code struct ethtool_gstrings} (12-byte header, 32-byte names).
 *
 * <p><b>Lifetime.</b> The segment belongs to an arena of its own, closed by {@link #close()}
 * before the pages are unmapped: a use after close throws {@link IllegalStateException} instead
 * of touching unmapped memory. A buffer never changes size; a caller that needs more maps a new
 * one and closes the old. Not thread-safe, like the reader that owns it.
 */
final class GuardedNativeBuffer implements AutoCloseable {

  private static final long PAGE_SIZE = queryPageSize();

  private final MemorySegment capture;
  private final Arena arena;
  private final MemorySegment segment;
  private final long mappingAddress;
  private final long mappingBytes;
  private final int capacity;
  private boolean closed;

  private GuardedNativeBuffer(MemorySegment capture, Arena arena, MemorySegment segment,
      long mappingAddress, long mappingBytes, int capacity) {
    this.capture = capture;
    this.arena = arena;
    this.segment = segment;
    this.mappingAddress = mappingAddress;
    this.mappingBytes = mappingBytes;
    this.capacity = capacity;
  }

  /**
   * Maps a buffer for a {@code headerBytes} header and at least {@code minEntries} entries of
   * {@code entryBytes} each, followed by a guard page.
   *
   * @param capture errno capture segment ({@link NativeLinux#allocateCapture}); kept for
   *     {@link #close()}, so it must outlive this buffer
   * @throws OutOfMemoryError when the kernel has no memory for the mapping (as
   *     {@link Arena#allocate} would)
   */
  static GuardedNativeBuffer map(long headerBytes, long entryBytes, int minEntries,
      MemorySegment capture) {
    long dataBytes = dataBytes(headerBytes, entryBytes, minEntries, PAGE_SIZE);
    int capacity = capacity(headerBytes, entryBytes, dataBytes);
    long mappingBytes = dataBytes + PAGE_SIZE;
    long base = NativeLinux.mmapAnonymous(capture, mappingBytes,
        NativeLinux.PROT_READ | NativeLinux.PROT_WRITE);
    if (base == NativeLinux.MAP_FAILED) {
      throw mappingFailed(NativeLinux.errno(capture),
          "cannot map " + mappingBytes + " bytes for an ethtool answer buffer");
    }
    long guard = base + dataBytes;
    if (NativeLinux.mprotect(capture, guard, PAGE_SIZE, NativeLinux.PROT_NONE) != 0) {
      int errno = NativeLinux.errno(capture);
      NativeLinux.munmap(capture, base, mappingBytes);
      throw mappingFailed(errno, "cannot make the guard page of an ethtool answer buffer inaccessible");
    }
    long byteSize = headerBytes + capacity * entryBytes;
    Arena arena = Arena.ofShared();
    MemorySegment segment = MemorySegment.ofAddress(guard - byteSize).reinterpret(byteSize, arena, null);
    return new GuardedNativeBuffer(capture, arena, segment, base, mappingBytes, capacity);
  }

  /**
   * The read-write bytes needed for the header and {@code minEntries} entries, rounded up to
   * whole pages.
   */
  static long dataBytes(long headerBytes, long entryBytes, int minEntries, long pageSize) {
    if (headerBytes < 0 || entryBytes <= 0 || minEntries < 0 || pageSize <= 0) {
      throw new IllegalArgumentException("header " + headerBytes + ", entry " + entryBytes
          + ", entries " + minEntries + ", page " + pageSize);
    }
    long needed = headerBytes + minEntries * entryBytes;
    long pages = Math.max(1, (needed + pageSize - 1) / pageSize);
    return pages * pageSize;
  }

  /** Every entry that fits in {@code dataBytes} after the header. */
  static int capacity(long headerBytes, long entryBytes, long dataBytes) {
    return Math.toIntExact((dataBytes - headerBytes) / entryBytes);
  }

  /** The page size of this system, which is also the guard's size. */
  static long pageSize() {
    return PAGE_SIZE;
  }

  /** Header plus {@link #capacity()} entries; its last byte is the last before the guard page. */
  MemorySegment segment() {
    return segment;
  }

  /** How many entries fit after the header. */
  int capacity() {
    return capacity;
  }

  /** The first address of the guard page: {@code segment().address() + segment().byteSize()}. */
  long guardAddress() {
    return mappingAddress + mappingBytes - PAGE_SIZE;
  }

  /**
   * Invalidates the segment, then unmaps the pages (guard included). Idempotent.
   *
   * @throws IllegalStateException when {@code munmap} fails, which only a wrong address or
   *     length can cause: a bug here, not a condition to live with
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    arena.close();
    if (NativeLinux.munmap(capture, mappingAddress, mappingBytes) != 0) {
      throw new IllegalStateException("cannot unmap an ethtool answer buffer: "
          + LinuxErrno.describe(NativeLinux.errno(capture)));
    }
  }

  /** ENOMEM as the {@link OutOfMemoryError} an arena allocation would throw; anything else is a bug here. */
  private static RuntimeException mappingFailed(int errno, String what) {
    String message = what + ": " + LinuxErrno.describe(errno);
    if (errno == LinuxErrno.ENOMEM) {
      throw new OutOfMemoryError(message);
    }
    return new IllegalStateException(message);
  }

  private static long queryPageSize() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment capture = NativeLinux.allocateCapture(arena);
      long size = NativeLinux.sysconf(capture, NativeLinux.SC_PAGESIZE);
      if (size <= 0 || Long.bitCount(size) != 1) {
        throw new IllegalStateException("sysconf(_SC_PAGESIZE) answered " + size
            + (size < 0 ? ": " + LinuxErrno.describe(NativeLinux.errno(capture)) : ""));
      }
      return size;
    }
  }
}
