package io.enareceiver.config;

import io.enareceiver.testing.CorpusMutator;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of {@link ConfigLoader#parse} with Jazzer. In the default build it
 * replays the committed seed corpus (the shipped configurations plus {@code src/test/resources/fuzz/config/}) and any earlier
 * finding kept in {@code ConfigLoaderFuzzTestInputs/}; with profile {@code fuzz}
 * ({@code JAZZER_FUZZ=1}) it fuzzes for {@value #EXECUTIONS} executions.
 */
class ConfigLoaderFuzzTest {
  static final long EXECUTIONS = 1_000_000;

  static Stream<byte[]> seeds() {
    return ConfigFuzzTarget.seedCorpus().stream();
  }

  @MethodSource("seeds")
  @FuzzTest(maxExecutions = EXECUTIONS, maxDuration = "60m")
  void parseGivesAConfigOrAConfigException(byte[] input) {
    ConfigFuzzTarget.check(input);
  }
}
