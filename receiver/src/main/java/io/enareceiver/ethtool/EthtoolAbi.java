package io.enareceiver.ethtool;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * The {@code SIOCETHTOOL} ABI from {@code <linux/ethtool.h>} and {@code <linux/if.h>}: command
 * numbers, struct sizes and offsets (identical on x86_64 and aarch64), plus the pure decoding
 * of what the kernel writes, kept apart from the system calls so it can be tested on plain
 * memory.
 */
final class EthtoolAbi {
  static final long SIOCETHTOOL = 0x8946L;

  static final int ETHTOOL_GDRVINFO = 0x03;
  static final int ETHTOOL_GSTRINGS = 0x1b;
  static final int ETHTOOL_GSTATS = 0x1d;
  static final int ETHTOOL_GSSET_INFO = 0x37;

  /** {@code enum ethtool_stringset}: the driver statistics string set. */
  static final int ETH_SS_STATS = 1;

  /** {@code IFNAMSIZ}: the name plus its terminating NUL. */
  static final int IFNAMSIZ = 16;
  static final long IFREQ_SIZE = 40;
  static final long IFREQ_DATA_OFFSET = 16;

  static final long DRVINFO_SIZE = 196;
  static final long DRVINFO_DRIVER = 4;
  static final long DRVINFO_VERSION = 36;
  static final long DRVINFO_FW_VERSION = 68;
  static final long DRVINFO_BUS_INFO = 100;
  static final long DRVINFO_N_STATS = 180;
  static final int DRVINFO_STRING_LEN = 32;

  /** {@code struct ethtool_sset_info}: cmd, reserved, u64 sset_mask, then u32 data[]. */
  static final long SSET_INFO_MASK = 8;
  static final long SSET_INFO_DATA = 16;
  /** Header plus room for the single u32 we ask for (one bit set in the mask). */
  static final long SSET_INFO_SIZE = 24;

  /** {@code struct ethtool_gstrings}: cmd, string_set, len, then len x 32-byte names. */
  static final long GSTRINGS_SET = 4;
  static final long GSTRINGS_LEN = 8;
  static final long GSTRINGS_DATA = 12;
  static final int ETH_GSTRING_LEN = 32;

  /** {@code struct ethtool_stats}: cmd, n_stats, then n_stats x u64. */
  static final long GSTATS_N_STATS = 4;
  static final long GSTATS_DATA = 8;

  private EthtoolAbi() {}

  /**
   * Decodes a fixed-width C string field: up to the first NUL or the whole field when there is
   * none (ethtool stat names that fill all 32 bytes are not NUL-terminated).
   */
  static String decodeFixedString(MemorySegment segment, long offset, int width) {
    int length = 0;
    while (length < width && segment.get(ValueLayout.JAVA_BYTE, offset + length) != 0) {
      length++;
    }
    byte[] bytes = new byte[length];
    MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, bytes, 0, length);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Decodes {@code count} names of an ETHTOOL_GSTRINGS answer whose data starts at {@code dataOffset}. */
  static String[] decodeNames(MemorySegment segment, long dataOffset, int count) {
    String[] names = new String[count];
    for (int i = 0; i < count; i++) {
      names[i] = decodeFixedString(segment, dataOffset + (long) i * ETH_GSTRING_LEN, ETH_GSTRING_LEN);
    }
    return names;
  }

  /**
   * Copies {@code count} unsigned 64-bit values in native byte order into {@code into}. Values
   * keep all 64 bits in the {@code long}: one at or above 2^63 reads as negative here and must
   * be compared with {@link Long#compareUnsigned} and printed with {@link #formatUnsigned}.
   */
  static void copyValues(MemorySegment segment, long dataOffset, long[] into, int count) {
    MemorySegment.copy(segment, ValueLayout.JAVA_LONG, dataOffset, into, 0, count);
  }

  /** Decimal text of an unsigned 64-bit value, as {@code ethtool -S} prints it. */
  static String formatUnsigned(long value) {
    return Long.toUnsignedString(value);
  }
}
