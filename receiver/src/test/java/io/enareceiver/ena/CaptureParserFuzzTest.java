package io.enareceiver.ena;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.enareceiver.testing.CorpusMutator;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of {@link CaptureParser} with Jazzer. In the default build it replays
 * the committed seed corpus (the real captures in {@code src/test/resources/captures/} plus {@code fuzz/captures/}) and any earlier finding
 * kept in {@code CaptureParserFuzzTestInputs/}; with profile {@code fuzz} ({@code JAZZER_FUZZ=1})
 * it fuzzes for {@value #EXECUTIONS} executions.
 */
class CaptureParserFuzzTest {
  static final long EXECUTIONS = 1_000_000;

  static Stream<byte[]> seeds() {
    return CaptureFuzzTarget.seedCorpus().stream();
  }

  @MethodSource("seeds")
  @FuzzTest(maxExecutions = EXECUTIONS, maxDuration = "60m")
  void parseGivesACaptureOrACaptureException(byte[] input) {
    CaptureFuzzTarget.check(input);
  }
}
