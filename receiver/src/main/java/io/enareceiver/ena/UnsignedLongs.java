package io.enareceiver.ena;

/**
 * ENA counters are unsigned 64-bit values carried in a {@code long}; a value at or above 2^63
 * is negative as a signed {@code long} and must not be converted with a plain cast.
 */
public final class UnsignedLongs {
  private UnsignedLongs() {}

  /**
   * The unsigned value of {@code v} as the nearest {@code double} (round half to even, as a
   * cast of a signed value does), without allocating.
   */
  public static double toDouble(long v) {
    if (v >= 0) {
      return v;
    }
    // Halve to fit the signed range, keeping the dropped low bit as a "sticky" bit so the one
    // rounding in the cast still sees that the value lay above the halfway point; doubling
    // after that is exact.
    return (double) ((v >>> 1) | (v & 1)) * 2.0;
  }
}
