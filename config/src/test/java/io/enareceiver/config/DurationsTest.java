package io.enareceiver.config;

import io.enareceiver.testing.RandomInputs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "500ms, PT0.5S",
    "15s, PT15S",
    "1m, PT1M",
    "1h30m, PT1H30M",
    "1.5s, PT1.5S",
    "250us, PT0.00025S",
    "250µs, PT0.00025S",
    "250μs, PT0.00025S",
    "10ns, PT0.00000001S",
    "1m30s, PT1M30S",
    ".5s, PT0.5S",
    "+2s, PT2S",
    "0s, PT0S",
    "1h1m1s1ms1us1ns, PT1H1M1.001001001S"
  })
  void parsesGoStyleDurations(String text, String expected) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"15", "0", "1.5", "15 s", "15sec", "s", "1.2.3s", "1d", "", "15S", "ms", ".s"})
  void refusesWhatIsNotADuration(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected a duration such as 15s");
  }

  @Test
  void bareNumberSaysAUnitIsNeeded() {
    assertThatThrownBy(() -> Durations.parse("15"))
        .hasMessageContaining("a number needs a unit")
        .hasMessageContaining("'15'");
  }

  @Test
  void refusesNegativeDurations() {
    assertThatThrownBy(() -> Durations.parse("-1s")).hasMessageContaining("must not be negative");
  }

  @Test
  void refusesDurationsBeyondLongNanos() {
    assertThatThrownBy(() -> Durations.parse("9999999999999h")).hasMessageContaining("too long");
  }

  @ParameterizedTest
  @CsvSource({
    "PT15S, 15s",
    "PT1M30S, 1m30s",
    "PT0.5S, 500ms",
    "PT1H30M, 1h30m",
    "PT1.5S, 1.5s",
    "PT0.00025S, 250us",
    "PT0.0015S, 1.5ms",
    "PT0.00000001S, 10ns",
    "PT0S, 0s",
    "PT2H0.5S, 2h0.5s"
  })
  void formatsCompactly(String duration, String expected) {
    assertThat(Durations.format(Duration.parse(duration))).isEqualTo(expected);
  }

  @Test
  void formatThenParseGivesTheSameDuration() {
    List<Long> edges = List.of(0L, 1L, 999L, 1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L, Long.MAX_VALUE);
    RandomInputs.forAll(500, random -> {
      // Log-uniform magnitudes, so ns, us, ms, s, m and h all get their share; edges now and then.
      long nanos = random.nextInt(8) == 0
          ? RandomInputs.pick(random, edges)
          : random.nextLong(0, Long.MAX_VALUE >>> random.nextInt(63));
      Duration duration = Duration.ofNanos(nanos);
      assertThat(Durations.parse(Durations.format(duration))).as("%d ns", nanos).isEqualTo(duration);
    });
  }
}
