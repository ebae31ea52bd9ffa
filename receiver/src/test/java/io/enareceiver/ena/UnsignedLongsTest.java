package io.enareceiver.ena;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UnsignedLongsTest {

  /** The correctly rounded value, by a route that shares nothing with the code under test. */
  private static double expected(long v) {
    return new BigInteger(Long.toUnsignedString(v)).doubleValue();
  }

  @Test
  void valuesThatFitASignedLongAreUnchanged() {
    assertThat(UnsignedLongs.toDouble(0)).isEqualTo(0.0);
    assertThat(UnsignedLongs.toDouble(9085)).isEqualTo(9085.0);
    assertThat(UnsignedLongs.toDouble(Long.MAX_VALUE)).isEqualTo(0x1p63);
  }

  @Test
  void valuesAtOrAbove2To63ArePositive() {
    assertThat(UnsignedLongs.toDouble(Long.MIN_VALUE)).isEqualTo(0x1p63);
    assertThat(UnsignedLongs.toDouble(-1L)).isEqualTo(0x1p64); // 2^64 - 1 rounds up
    assertThat(UnsignedLongs.toDouble(-2048L)).isEqualTo(expected(-2048L));
  }

  @Test
  void roundsToNearestEvenAtTheHalfwayPoints() {
    // Above 2^63 doubles are 2^11 apart: 2^63 + 2^10 is a tie (to even: 2^63), one more is not.
    long tie = Long.MIN_VALUE + (1L << 10);
    assertThat(UnsignedLongs.toDouble(tie)).isEqualTo(0x1p63);
    assertThat(UnsignedLongs.toDouble(tie + 1)).isEqualTo(0x1p63 + 0x1p11);
    long tieUp = Long.MIN_VALUE + (3L << 10); // between 2^63 + 2^11 (odd) and 2^63 + 2^12 (even)
    assertThat(UnsignedLongs.toDouble(tieUp)).isEqualTo(0x1p63 + 0x1p12);
  }

  @Test
  void agreesWithBigIntegerOnRandomValues() {
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 100_000; i++) {
      // Mostly values above 2^63, with random low bits that land near rounding boundaries.
      long v = random.nextInt(4) == 0 ? random.nextLong() : random.nextLong() | Long.MIN_VALUE;
      assertThat(UnsignedLongs.toDouble(v)).as("value %s, seed %d", Long.toUnsignedString(v), seed)
          .isEqualTo(expected(v));
    }
  }
}
