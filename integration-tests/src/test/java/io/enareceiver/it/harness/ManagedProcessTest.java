package io.enareceiver.it.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes (/bin/sh): environment, log capture, readiness, SIGTERM then SIGKILL. */
class ManagedProcessTest {
  private static final Path SH = Path.of("/bin/sh");

  @TempDir
  Path dir;

  @Test
  void passesTheEnvironmentCapturesOutputAndStopsWithSigterm() {
    try (ManagedProcess process = ManagedProcess.builder("greeter", SH)
        .args(List.of("-c", "echo \"hello $WHO\"; echo stderr-$((1+1)) >&2; exec sleep 60"))
        .env("WHO", "collector")
        .logFile(dir.resolve("greeter.log"))
        .start()) {
      // Markers are computed by the shell: the log's first line repeats the command itself.
      process.awaitReady("stderr line in the log", Duration.ofSeconds(20),
          () -> process.logTail(10).contains("stderr-2"));

      assertThat(process.logTail(10)).contains("hello collector", "stderr-2");
      // sleep dies of SIGTERM: 128 + 15.
      assertThat(process.stop(Duration.ofSeconds(10))).isEqualTo(143);
      assertThat(process.isAlive()).isFalse();
      assertThat(process.stop()).as("stopping twice").isEqualTo(143);
    }
  }

  @Test
  void killsWhatIgnoresSigterm() {
    try (ManagedProcess stubborn = ManagedProcess.builder("stubborn", SH)
        .args(List.of("-c", "trap '' TERM; echo trapped-$((6*7)); while :; do sleep 1; done"))
        .logFile(dir.resolve("stubborn.log"))
        .start()) {
      stubborn.awaitReady("trap in place", Duration.ofSeconds(20), () -> stubborn.logTail(5).contains("trapped-42"));

      assertThat(stubborn.stop(Duration.ofMillis(200))).as("exit code after SIGKILL").isEqualTo(137);
      assertThat(stubborn.logTail(5)).contains("SIGKILL");
    }
  }

  @Test
  void waitingOnAProcessThatExitedFailsAtOnceWithItsLog() throws Exception {
    Path log = dir.resolve("crasher.log");
    ManagedProcess crasher = ManagedProcess.builder("crasher", SH)
        .args(List.of("-c", "echo 'listen tcp 127.0.0.1:8888: bind: address already in use'; exit 1"))
        .logFile(log)
        .start();

    assertThatThrownBy(() -> crasher.awaitReady("health check", Duration.ofHours(1), () -> false))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("gave up waiting for health check from crasher: crasher exited with code 1")
        .hasMessageContaining("address already in use")
        .hasMessageContaining(log.toString());
    assertThat(Files.readString(log)).startsWith("### ").contains("starting crasher: /bin/sh -c");
  }
}
