package io.enareceiver.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.health.HealthCheck;
import io.enareceiver.metrics.SelfTelemetry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The probe verdicts for each state the self-telemetry can be in, on a clock the test moves. */
class HealthVerdictsTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long START = 500 * SECOND;

  private long now = START;
  private final SelfTelemetry self = new SelfTelemetry(0);
  private final HealthVerdicts verdicts = new HealthVerdicts(self, Duration.ofSeconds(1), START, () -> now);

  private void pass(int ok, int failed) {
    self.samplePass(1000, now, now, ok, failed);
  }

  @Test
  void beforeTheFirstPassItIsAliveForThreeIntervalsAndTheGraceButNotReady() {
    assertThat(verdicts.liveness()).isEqualTo(HealthCheck.ok("starting"));
    assertThat(verdicts.readiness()).isEqualTo(HealthCheck.failing("no sample taken yet"));

    now = START + 13 * SECOND; // 3 intervals + 10 s grace: still starting
    assertThat(verdicts.liveness().ok()).isTrue();
    now += 1;
    assertThat(verdicts.liveness()).isEqualTo(HealthCheck.failing("no sampling pass since start 13 s ago"));
    assertThat(verdicts.readiness()).isEqualTo(verdicts.liveness());
  }

  @Test
  void aCleanPassAndASuccessfulExportAreReadyUntilTheExportFails() {
    pass(16, 0);
    assertThat(verdicts.readiness()).isEqualTo(HealthCheck.failing("no export has completed yet"));
    self.exportResult("otlp", true);
    assertThat(verdicts.readiness()).isEqualTo(HealthCheck.ok("last sample and last export succeeded"));
    self.exportResult("otlp", false);
    assertThat(verdicts.readiness()).isEqualTo(HealthCheck.failing("the last export did not succeed (see the log)"));
    self.exportResult("otlp", true);
    assertThat(verdicts.readiness().ok()).isTrue();
  }

  @Test
  void anInterfaceThatKeepsFailingWhileOthersReadStaysReadyAndIsNamedInTheDetail() {
    self.exportResult("otlp", true);
    pass(15, 1);
    assertThat(verdicts.readiness()).isEqualTo(HealthCheck.ok("last export succeeded; 1 of 16 interfaces could not"
        + " be read in the last sample (see ena_receiver.read.errors and the log)"));
  }

  @Test
  void everyInterfaceFailingIsNotReadyEvenWhileExportsSucceed() {
    self.exportResult("otlp", true);
    pass(0, 2);
    assertThat(verdicts.readiness()).isEqualTo(HealthCheck.failing("none of the 2 selected interfaces could be read"
        + " in the last sample (see ena_receiver.read.errors and the log)"));
    assertThat(verdicts.liveness()).as("the loop still runs").isEqualTo(HealthCheck.ok("sampling"));
    pass(1, 1);
    assertThat(verdicts.readiness().ok()).isTrue();
  }

  @Test
  void nothingMonitoredIsReady() {
    // A node whose selection matches nothing yet: the receiver is idle, not broken.
    self.exportResult("otlp", true);
    pass(0, 0);
    assertThat(verdicts.readiness()).isEqualTo(HealthCheck.ok("last sample and last export succeeded"));
  }

  @Test
  void aSamplerThatStoppedIsNeitherAliveNorReadyAfterThreeIntervals() {
    self.exportResult("otlp", true);
    pass(16, 0);
    now += 3 * SECOND;
    assertThat(verdicts.liveness().ok()).isTrue();
    now += SECOND;
    assertThat(verdicts.liveness()).isEqualTo(HealthCheck.failing("no sampling pass for 4 s"));
    assertThat(verdicts.readiness()).isEqualTo(verdicts.liveness());
  }

  @Test
  void largeCountsSurviveThePacking() {
    pass(Integer.MAX_VALUE, Integer.MAX_VALUE);
    assertThat(self.lastPassReads()).isEqualTo(new SelfTelemetry.PassReads(Integer.MAX_VALUE, Integer.MAX_VALUE));
  }
}
