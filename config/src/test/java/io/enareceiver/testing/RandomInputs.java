package io.enareceiver.testing;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Property checks without a property-testing framework: a check runs against many inputs drawn
 * from a seeded {@link SplittableRandom}, and a failure names the seed that replays it.
 *
 * <p>Each try gets its own seed, drawn from a base seed that is new on every run (so runs keep
 * exploring). To replay a failure, pass the printed seed: {@code -Dena.seed=<seed>} runs that
 * one input only.
 */
public final class RandomInputs {
  private RandomInputs() {}

  public static final String SEED_PROPERTY = "ena.seed";

  /** Runs {@code check} {@code tries} times, each with a fresh generator. */
  public static void forAll(int tries, Consumer<SplittableRandom> check) {
    String replay = System.getProperty(SEED_PROPERTY);
    if (replay != null && !replay.isBlank()) {
      runOne(Long.parseLong(replay.strip()), 0, 1, check);
      return;
    }
    SplittableRandom seeds = new SplittableRandom();
    for (int i = 0; i < tries; i++) {
      runOne(seeds.nextLong(), i, tries, check);
    }
  }

  private static void runOne(long seed, int index, int tries, Consumer<SplittableRandom> check) {
    try {
      check.accept(new SplittableRandom(seed));
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(
          "failed on try " + (index + 1) + " of " + tries + " with seed " + seed
              + "; replay with -D" + SEED_PROPERTY + "=" + seed + ": " + e.getMessage(), e);
    }
  }

  /** One of the values, uniformly. */
  public static <T> T pick(SplittableRandom random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  /** Up to {@code maxLength} characters from {@code alphabet}; short and empty strings are common. */
  public static String string(SplittableRandom random, String alphabet, int maxLength) {
    int length = length(random, maxLength);
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  /**
   * Up to {@code maxLength} arbitrary UTF-16 chars: mostly ASCII, some control characters,
   * some of the whole BMP (lone surrogates included), so odd input is frequent.
   */
  public static String anyString(SplittableRandom random, int maxLength) {
    int length = length(random, maxLength);
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(
          switch (random.nextInt(4)) {
            case 0, 1 -> (char) random.nextInt(0x20, 0x7f);
            case 2 -> (char) random.nextInt(0x20);
            default -> (char) random.nextInt(0x10000);
          });
    }
    return out.toString();
  }

  private static int length(SplittableRandom random, int maxLength) {
    // Half the time short, so small inputs (where edge cases live) are well covered.
    int bound = random.nextBoolean() ? Math.min(maxLength, 8) : maxLength;
    return random.nextInt(bound + 1);
  }
}
