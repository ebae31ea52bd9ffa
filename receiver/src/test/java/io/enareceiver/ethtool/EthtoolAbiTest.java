package io.enareceiver.ethtool;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The pure decoding of kernel answers, on plain native memory laid out as the kernel writes it. */
class EthtoolAbiTest {

  @Test
  void valuesAtOrAbove2To63KeepAllBitsAndPrintUnsigned() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment answer = arena.allocate(EthtoolAbi.GSTATS_DATA + 4 * Long.BYTES, 8);
      answer.set(ValueLayout.JAVA_LONG, EthtoolAbi.GSTATS_DATA, -1L);                 // 2^64 - 1
      answer.set(ValueLayout.JAVA_LONG, EthtoolAbi.GSTATS_DATA + 8, Long.MIN_VALUE);  // 2^63
      answer.set(ValueLayout.JAVA_LONG, EthtoolAbi.GSTATS_DATA + 16, Long.MAX_VALUE); // 2^63 - 1
      answer.set(ValueLayout.JAVA_LONG, EthtoolAbi.GSTATS_DATA + 24, 42L);

      long[] values = new long[4];
      EthtoolAbi.copyValues(answer, EthtoolAbi.GSTATS_DATA, values, 4);

      assertThat(EthtoolAbi.formatUnsigned(values[0])).isEqualTo("18446744073709551615");
      assertThat(EthtoolAbi.formatUnsigned(values[1])).isEqualTo("9223372036854775808");
      assertThat(EthtoolAbi.formatUnsigned(values[2])).isEqualTo("9223372036854775807");
      assertThat(EthtoolAbi.formatUnsigned(values[3])).isEqualTo("42");
      // 2^63 is above 2^63 - 1 as an unsigned counter even though it is negative as a long.
      assertThat(Long.compareUnsigned(values[1], values[2])).isPositive();
    }
  }

  @Test
  void namesFillingAll32BytesAreNotNulTerminatedAndStillDecodeWhole() {
    String full = "queue_15_rx_csum_unchecked_bytes"; // exactly 32 characters
    assertThat(full).hasSize(32);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment answer = arena.allocate(EthtoolAbi.GSTRINGS_DATA + 3 * 32, 8);
      answer.fill((byte) 'X'); // garbage everywhere: only the NULs the "kernel" writes may end a name
      put(answer, EthtoolAbi.GSTRINGS_DATA, full, false);
      put(answer, EthtoolAbi.GSTRINGS_DATA + 32, "tx_timeout", true);
      put(answer, EthtoolAbi.GSTRINGS_DATA + 64, "", true);

      String[] names = EthtoolAbi.decodeNames(answer, EthtoolAbi.GSTRINGS_DATA, 3);

      assertThat(names).containsExactly(full, "tx_timeout", "");
    }
  }

  private static void put(MemorySegment segment, long offset, String text, boolean terminate) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, offset, bytes.length);
    if (terminate) {
      segment.set(ValueLayout.JAVA_BYTE, offset + bytes.length, (byte) 0);
    }
  }
}
