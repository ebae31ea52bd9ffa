package io.enareceiver.ethtool;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Every 64-bit pattern the kernel can write decodes to the same unsigned number. */
class EthtoolAbiPropertyTest {

  @Property
  void decodedValueEqualsTheKernelsUnsignedNumber(@ForAll long bits) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment answer = arena.allocate(EthtoolAbi.GSTATS_DATA + Long.BYTES, 8);
      answer.set(ValueLayout.JAVA_LONG, EthtoolAbi.GSTATS_DATA, bits);
      long[] values = new long[1];
      EthtoolAbi.copyValues(answer, EthtoolAbi.GSTATS_DATA, values, 1);

      BigInteger unsigned = BigInteger.valueOf(bits).and(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
      assertThat(new BigInteger(EthtoolAbi.formatUnsigned(values[0]))).isEqualTo(unsigned);
    }
  }

}
