package io.enareceiver.it.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PollTest {
  @Test
  void returnsTheFirstAcceptedValue() {
    AtomicInteger calls = new AtomicInteger();

    int value = Poll.waitingFor("the third call").every(Duration.ofMillis(1))
        .until(calls::incrementAndGet, n -> n >= 3);

    assertThat(value).isEqualTo(3);
    assertThat(calls).hasValue(3);
  }

  @Test
  void failureSaysWhatWasAwaitedWhatWasSeenLastAndTheContext() {
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(() -> Poll.waitingFor("a negative number")
        .atMost(Duration.ofMillis(50)).every(Duration.ofMillis(5))
        .context(() -> "collector log: all quiet")
        .until(calls::incrementAndGet, n -> n < 0))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("timed out after 50ms waiting for a negative number")
        .hasMessageContaining("last seen: " + calls.get())
        .hasMessageContaining("collector log: all quiet");
  }

  @Test
  void aProbeThatThrowsIsRetriedAndItsErrorReported() {
    AtomicInteger calls = new AtomicInteger();

    assertThat(Poll.waitingFor("a probe that recovers").every(Duration.ofMillis(1))
        .until(() -> {
          if (calls.incrementAndGet() < 3) {
            throw new IOException("connection refused");
          }
          return "up";
        }, "up"::equals)).isEqualTo("up");

    assertThatThrownBy(() -> Poll.waitingFor("a probe that never answers")
        .atMost(Duration.ofMillis(20)).every(Duration.ofMillis(5))
        .until(() -> {
          throw new IOException("connection refused");
        }, x -> true))
        .hasMessageContaining("last seen: nothing (no attempt answered)")
        .hasMessageContaining("last attempt failed: java.io.IOException: connection refused")
        .hasCauseInstanceOf(IOException.class);
  }

  @Test
  void failFastEndsTheWaitBeforeTheDeadline() {
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(() -> Poll.waitingFor("health check")
        .atMost(Duration.ofHours(1))
        .failFastWhen(() -> calls.get() >= 2 ? "collector exited with code 1" : null)
        .every(Duration.ofMillis(1))
        .until(() -> calls.incrementAndGet() < 0))
        .hasMessageContaining("gave up waiting for health check: collector exited with code 1")
        .hasMessageContaining("(2 attempts)");
  }
}
