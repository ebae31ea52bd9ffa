package io.enareceiver.ethtool;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import io.enareceiver.testing.RandomInputs;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every 64-bit pattern the kernel can write decodes to the same unsigned number. */
class EthtoolAbiPropertyTest {

  private static final List<Long> EDGES =
      List.of(0L, 1L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, 0xFFFF_FFFFL, 1L << 32);

  @Test
  void decodedValueEqualsTheKernelsUnsignedNumber() {
    RandomInputs.forAll(1000, random -> {
      // The sign bit is where signed/unsigned mistakes show: edges now and then, else any pattern.
      long bits = random.nextInt(8) == 0 ? RandomInputs.pick(random, EDGES) : random.nextLong();
      assertDecodesAsUnsigned(bits);
    });
  }

  private static void assertDecodesAsUnsigned(long bits) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment answer = arena.allocate(EthtoolAbi.GSTATS_DATA + Long.BYTES, 8);
      answer.set(ValueLayout.JAVA_LONG, EthtoolAbi.GSTATS_DATA, bits);
      long[] values = new long[1];
      EthtoolAbi.copyValues(answer, EthtoolAbi.GSTATS_DATA, values, 1);

      BigInteger unsigned = BigInteger.valueOf(bits).and(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
      assertThat(new BigInteger(EthtoolAbi.formatUnsigned(values[0]))).as("bits %016x", bits).isEqualTo(unsigned);
    }
  }

}
