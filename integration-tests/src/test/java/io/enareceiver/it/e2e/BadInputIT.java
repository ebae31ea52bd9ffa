package io.enareceiver.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.it.harness.ReceiverProcess;
import io.enareceiver.it.harness.WorkDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scenario (g): a receiver started with a bad configuration or a bad capture exits 2 (the
 * documented usage/configuration code) at once, naming the file (and line, for the config); the
 * collector and Prometheus it would have talked to carry on unaffected.
 */
class BadInputIT {
  private static final Duration EXIT_WITHIN = Duration.ofSeconds(30);
  private static E2eStack stack;

  @BeforeAll
  static void startStack() {
    stack = E2eStack.start("bad-input");
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @AfterEach
  void collectorAndPrometheusAreUnaffected() {
    assertThat(stack.collector.isRunning()).as("collector still running%n%s", stack.describe()).isTrue();
    assertThat(stack.collector.healthy()).as("collector health check%n%s", stack.describe()).isTrue();
    assertThat(stack.prometheus.query("vector(42)")).as("Prometheus still answers queries")
        .singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(42.0));
  }

  @Test
  void badConfigurationExitsTwoNamingFileLineAndKey() {
    // Line 4 holds the mistake: a duration without its unit.
    String yaml = """
        receivers:
          ethtool:
            sampling_interval: 1s
            collection_interval: 5
        exporters:
          otlp:
            endpoint: http://127.0.0.1:%d
        """.formatted(stack.otlpPort);
    ReceiverProcess receiver = ReceiverProcess.builder("receiver-bad-config", yaml).noImds().launch();

    int code = receiver.awaitExit(EXIT_WITHIN);

    assertThat(code).as("exit code%n%s", receiver.describe()).isEqualTo(2);
    assertThat(receiver.log()).as("message")
        .contains(receiver.configFile() + ":4:")
        .contains("collection_interval");
  }

  @Test
  void badCaptureExitsTwoNamingTheCapture() throws IOException {
    Path dir = WorkDirs.fresh("bad-capture");
    Path capture = Files.writeString(dir.resolve("not-ethtool-output.txt"), "this is not ethtool -S output\n");
    String yaml = ReceiverYaml.create().replay("eth0", E2eStack.REPLAY_MAC, capture.toString(), false)
        .otlpTo(stack.otlpPort).build();
    ReceiverProcess receiver = ReceiverProcess.builder("receiver-bad-capture", yaml).noImds().launch();

    int code = receiver.awaitExit(EXIT_WITHIN);

    assertThat(code).as("exit code%n%s", receiver.describe()).isEqualTo(2);
    assertThat(receiver.log()).as("message").contains("not-ethtool-output.txt");
  }
}
