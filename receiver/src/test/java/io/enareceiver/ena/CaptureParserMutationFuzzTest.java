package io.enareceiver.ena;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.enareceiver.testing.CorpusMutator;
import io.enareceiver.testing.RandomInputs;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The default build's short fuzzing run of {@link CaptureParser}: a fixed number of inputs
 * mutated from the committed seed corpus (the real captures in {@code src/test/resources/captures/} plus {@code fuzz/captures/}, the real
 * captures). More with {@code -Dena.fuzz.executions=N}; the coverage-guided run is
 * {@link CaptureParserFuzzTest} in profile {@code fuzz}. A failure prints the seed that replays
 * its input ({@code -Dena.seed=}).
 */
class CaptureParserMutationFuzzTest {
  private static final int EXECUTIONS = Integer.getInteger("ena.fuzz.executions", 3000);
  /** Larger than the largest real capture (mlx5, about 30 KiB), far below MAX_CHARS. */
  private static final int MAX_BYTES = 128 * 1024;
  /** Far above a parse's cost (well under a millisecond): only a hang reaches it. */
  private static final Duration HANG = Duration.ofSeconds(20);

  private final CorpusMutator mutator =
      new CorpusMutator(CaptureFuzzTarget.seedCorpus(), CaptureFuzzTarget.TOKENS, MAX_BYTES);

  @Test
  void theSeedCorpusParses() throws CaptureException {
    for (byte[] seed : mutator.corpus()) {
      CaptureParser.parse(new ByteArrayInputStream(seed), CaptureFuzzTarget.SOURCE);
    }
  }

  @Test
  void mutatedCapturesGiveACaptureOrACaptureException() {
    RandomInputs.forAll(EXECUTIONS, random -> {
      byte[] input = mutator.next(random);
      assertTimeoutPreemptively(HANG, () -> CaptureFuzzTarget.check(input));
    });
  }
}
