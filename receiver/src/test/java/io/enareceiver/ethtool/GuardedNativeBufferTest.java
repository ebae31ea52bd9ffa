package io.enareceiver.ethtool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link GuardedNativeBuffer}: the capacity arithmetic, and on real mappings that the segment
 * ends where an inaccessible page begins, so that a kernel writing past it faults instead of
 * overwriting memory. The kernel write is {@code read(2)} from {@code /dev/zero}, which copies
 * to user space the way ethtool's {@code copy_to_user} does, and needs no privileges.
 */
class GuardedNativeBufferTest {

  private static final long STATS_HEADER = EthtoolAbi.GSTATS_DATA;
  private static final long STRINGS_HEADER = EthtoolAbi.GSTRINGS_DATA;
  private static final long NAME = EthtoolAbi.ETH_GSTRING_LEN;

  /** {@code ssize_t read(int fd, void *buf, size_t count)}, bound here: production code never reads files natively. */
  private static final MethodHandle READ = Linker.nativeLinker().downcallHandle(
      Linker.nativeLinker().defaultLookup().find("read").orElseThrow(),
      FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
      Linker.Option.captureCallState("errno"));

  @Test
  void capacityIsEveryEntryThatFitsInTheWholePagesBeforeTheGuard() {
    // GSTATS: 8-byte header, u64 values. Ten values take one 4 KiB page, which holds 511.
    assertThat(GuardedNativeBuffer.dataBytes(STATS_HEADER, 8, 10, 4096)).isEqualTo(4096);
    assertThat(GuardedNativeBuffer.capacity(STATS_HEADER, 8, 4096)).isEqualTo(511);
    assertThat(GuardedNativeBuffer.dataBytes(STATS_HEADER, 8, 511, 4096)).isEqualTo(4096);
    assertThat(GuardedNativeBuffer.dataBytes(STATS_HEADER, 8, 512, 4096)).isEqualTo(8192);
    assertThat(GuardedNativeBuffer.capacity(STATS_HEADER, 8, 8192)).isEqualTo(1023);
    // GSTRINGS: 12-byte header, 32-byte names: 127 per page, the 128th needs a second page.
    assertThat(GuardedNativeBuffer.dataBytes(STRINGS_HEADER, NAME, 1, 4096)).isEqualTo(4096);
    assertThat(GuardedNativeBuffer.capacity(STRINGS_HEADER, NAME, 4096)).isEqualTo(127);
    assertThat(GuardedNativeBuffer.dataBytes(STRINGS_HEADER, NAME, 127, 4096)).isEqualTo(4096);
    assertThat(GuardedNativeBuffer.dataBytes(STRINGS_HEADER, NAME, 128, 4096)).isEqualTo(8192);
    assertThat(GuardedNativeBuffer.capacity(STRINGS_HEADER, NAME, 8192)).isEqualTo(255);
    // 64 KiB pages (some aarch64 kernels), and no entries at all still get one page.
    assertThat(GuardedNativeBuffer.dataBytes(STATS_HEADER, 8, 10, 65_536)).isEqualTo(65_536);
    assertThat(GuardedNativeBuffer.capacity(STATS_HEADER, 8, 65_536)).isEqualTo(8191);
    assertThat(GuardedNativeBuffer.dataBytes(STATS_HEADER, 8, 0, 4096)).isEqualTo(4096);
  }

  @Test
  void theSegmentEndsExactlyAtThePageAlignedGuardAndIsAligned() throws IOException {
    long page = GuardedNativeBuffer.pageSize();
    try (Arena arena = Arena.ofConfined();
        GuardedNativeBuffer stats = GuardedNativeBuffer.map(STATS_HEADER, 8, 10, NativeLinux.allocateCapture(arena));
        GuardedNativeBuffer strings = GuardedNativeBuffer.map(STRINGS_HEADER, NAME, 200,
            NativeLinux.allocateCapture(arena))) {
      assertLaidOut(stats, STATS_HEADER, 8, 10, page);
      assertThat(stats.segment().address() % 8).as("u64 values need 8-byte alignment").isZero();
      assertLaidOut(strings, STRINGS_HEADER, NAME, 200, page);
      assertThat(strings.segment().address() % 4).as("the gstrings header's u32 fields").isZero();
    }
  }

  @Test
  void aKernelWritePastTheEndFaultsAtTheGuardAndTouchesNothingBeyond() throws Throwable {
    long page = GuardedNativeBuffer.pageSize();
    try (Arena arena = Arena.ofConfined();
        GuardedNativeBuffer buffer = GuardedNativeBuffer.map(STRINGS_HEADER, NAME, 3, NativeLinux.allocateCapture(arena))) {
      MemorySegment capture = NativeLinux.allocateCapture(arena);
      int zero = NativeLinux.open(capture, arena.allocateFrom("/dev/zero"), NativeLinux.O_RDONLY | NativeLinux.O_CLOEXEC);
      assertThat(zero).as("open /dev/zero: errno %d", NativeLinux.errno(capture)).isNotNegative();
      try {
        MemorySegment segment = buffer.segment();
        segment.fill((byte) 0x5A);

        // Ask the kernel for a page more than the segment holds: it must stop at the guard.
        long asked = segment.byteSize() + page;
        long got = (long) READ.invokeExact(capture, zero, segment, asked);

        if (got < 0) {
          assertThat(NativeLinux.errno(capture)).as("errno of the faulting read").isEqualTo(LinuxErrno.EFAULT);
        } else {
          // A short read: at most the segment, and what it reports written is zeros.
          assertThat(got).as("bytes written of %d asked", asked).isPositive().isLessThanOrEqualTo(segment.byteSize());
          for (long i = 0; i < got; i++) {
            assertThat(segment.get(ValueLayout.JAVA_BYTE, i)).as("byte %d", i).isZero();
          }
        }
        // The guard page itself: the kernel cannot write one byte there, and it is mapped with no access.
        long intoGuard = (long) READ.invokeExact(capture, zero, MemorySegment.ofAddress(buffer.guardAddress()), 1L);
        assertThat(intoGuard).isEqualTo(-1);
        assertThat(NativeLinux.errno(capture)).isEqualTo(LinuxErrno.EFAULT);
        assertThat(permissionsAt(buffer.guardAddress())).isEqualTo("---p");
        assertThat(permissionsAt(buffer.guardAddress() - 1)).isEqualTo("rw-p");
      } finally {
        NativeLinux.close(capture, zero);
      }
    }
  }

  @Test
  void closingInvalidatesTheSegmentInsteadOfLeavingItPointingAtUnmappedMemory() {
    try (Arena arena = Arena.ofConfined()) {
      GuardedNativeBuffer buffer = GuardedNativeBuffer.map(STATS_HEADER, 8, 1, NativeLinux.allocateCapture(arena));
      MemorySegment segment = buffer.segment();
      segment.set(ValueLayout.JAVA_LONG, 0, 42L);
      buffer.close();
      buffer.close(); // idempotent
      assertThatThrownBy(() -> segment.get(ValueLayout.JAVA_LONG, 0)).isInstanceOf(IllegalStateException.class);
    }
  }

  private static void assertLaidOut(GuardedNativeBuffer buffer, long header, long entry, int asked, long page)
      throws IOException {
    MemorySegment segment = buffer.segment();
    long dataBytes = GuardedNativeBuffer.dataBytes(header, entry, asked, page);
    assertThat(buffer.capacity()).isEqualTo(GuardedNativeBuffer.capacity(header, entry, dataBytes))
        .isGreaterThanOrEqualTo(asked);
    assertThat(segment.byteSize()).isEqualTo(header + buffer.capacity() * entry);
    // No room for one more entry before the guard: the capacity uses every whole entry.
    assertThat(segment.byteSize() + entry).isGreaterThan(dataBytes);
    assertThat(segment.address() + segment.byteSize()).isEqualTo(buffer.guardAddress());
    assertThat(buffer.guardAddress() % page).isZero();
    // The first and last byte are ordinary read-write memory.
    segment.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
    segment.set(ValueLayout.JAVA_BYTE, segment.byteSize() - 1, (byte) 2);
    assertThat(segment.get(ValueLayout.JAVA_BYTE, segment.byteSize() - 1)).isEqualTo((byte) 2);
    assertThat(permissionsAt(buffer.guardAddress())).isEqualTo("---p");
  }

  /** The permissions column of the /proc/self/maps line whose range holds {@code address}. */
  private static String permissionsAt(long address) throws IOException {
    List<String> lines = Files.readAllLines(Path.of("/proc/self/maps"));
    for (String line : lines) {
      String[] fields = line.split("\\s+");
      String[] range = fields[0].split("-");
      long start = HexFormat.fromHexDigitsToLong(range[0]);
      long end = HexFormat.fromHexDigitsToLong(range[1]);
      if (Long.compareUnsigned(start, address) <= 0 && Long.compareUnsigned(address, end) < 0) {
        return fields[1];
      }
    }
    throw new AssertionError("no mapping holds address 0x" + Long.toHexString(address));
  }
}
