package io.enareceiver.config;

import io.enareceiver.testing.CorpusMutator;
import io.enareceiver.testing.RandomInputs;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The default build's short fuzzing run of {@link ConfigLoader#parse}: a fixed number of inputs
 * mutated from the committed seed corpus (the shipped configurations plus {@code src/test/resources/fuzz/config/}). More with
 * {@code -Dena.fuzz.executions=N}; the coverage-guided run is {@link ConfigLoaderFuzzTest} in
 * profile {@code fuzz}. A failure prints the seed that replays its input ({@code -Dena.seed=}).
 */
class ConfigLoaderMutationFuzzTest {
  private static final int EXECUTIONS = Integer.getInteger("ena.fuzz.executions", 3000);
  /** Inputs stay below this, so each parse is small; the 1 MiB limit is YamlSafetyTest's. */
  private static final int MAX_BYTES = 64 * 1024;
  /** Far above a parse's cost (well under a millisecond): only a hang reaches it. */
  private static final Duration HANG = Duration.ofSeconds(20);

  private final CorpusMutator mutator =
      new CorpusMutator(ConfigFuzzTarget.seedCorpus(), ConfigFuzzTarget.TOKENS, MAX_BYTES);

  @Test
  void theSeedCorpusParses() {
    for (byte[] seed : mutator.corpus()) {
      ConfigFuzzTarget.check(seed);
    }
  }

  @Test
  void mutatedConfigsGiveAConfigOrAConfigException() {
    RandomInputs.forAll(EXECUTIONS, random -> {
      byte[] input = mutator.next(random);
      assertTimeoutPreemptively(HANG, () -> ConfigFuzzTarget.check(input));
    });
  }
}
