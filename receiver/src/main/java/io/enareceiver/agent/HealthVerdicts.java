package io.enareceiver.agent;

import io.enareceiver.health.HealthCheck;
import io.enareceiver.metrics.SelfTelemetry;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Turns the receiver's self-telemetry into the verdicts of {@code /healthz} and {@code /readyz}.
 *
 * <p>Readiness answers "does this receiver do its job": it has sampled, it could read at least
 * one of the interfaces it selected (monitored ones, and ones the kernel refused at the first
 * look), and its last export went through. An interface that keeps
 * failing while others read does not make the pod unready: on a DaemonSet, unready pods hold a
 * rolling update, and one ENI the driver refuses to answer for is a node problem, not a bad
 * release. That case is reported in the verdict's detail, counted in
 * {@code ena_receiver.read.errors} and alerted on by {@code EnaReceiverCannotReadInterface}.
 * Every interface failing is not ready: the receiver exports nothing useful, which is what a
 * broken release looks like.
 */
final class HealthVerdicts {
  /** Before the first pass, how long past three intervals the sampler may take to start. */
  static final Duration STARTUP_GRACE = Duration.ofSeconds(10);
  private static final String SEE_READ_ERRORS = " (see ena_receiver.read.errors and the log)";

  private final SelfTelemetry self;
  private final long slackNanos;
  private final long startMono;
  private final LongSupplier monoClock;

  /**
   * @param startMono {@code monoClock} when the agent started
   * @param monoClock the clock of {@link SelfTelemetry#lastPassMonoNanos()}
   */
  HealthVerdicts(SelfTelemetry self, Duration sampling, long startMono, LongSupplier monoClock) {
    this.self = self;
    this.slackNanos = 3 * sampling.toNanos();
    this.startMono = startMono;
    this.monoClock = monoClock;
  }

  /**
   * Alive when the sampling thread completed a pass within three intervals (monotonic time, so
   * a wall-clock step cannot flip it); before the first pass, alive for a start-up grace period
   * only, so a first pass that hangs is noticed too.
   */
  HealthCheck liveness() {
    long now = monoClock.getAsLong();
    long last = self.lastPassMonoNanos();
    if (last == 0) {
      long waited = now - startMono;
      return waited <= slackNanos + STARTUP_GRACE.toNanos()
          ? HealthCheck.ok("starting")
          : HealthCheck.failing("no sampling pass since start " + Duration.ofNanos(waited).toSeconds() + " s ago");
    }
    long age = now - last;
    return age <= slackNanos
        ? HealthCheck.ok("sampling")
        : HealthCheck.failing("no sampling pass for " + Duration.ofNanos(age).toSeconds() + " s");
  }

  HealthCheck readiness() {
    HealthCheck live = liveness();
    if (!live.ok()) {
      return live;
    }
    if (self.passes() == 0) {
      return HealthCheck.failing("no sample taken yet");
    }
    SelfTelemetry.PassReads reads = self.lastPassReads();
    if (reads.failed() > 0 && reads.ok() == 0) {
      return HealthCheck.failing("none of the " + reads.failed() + " selected interfaces could be read in the last"
          + " sample" + SEE_READ_ERRORS);
    }
    if (!self.anyExport()) {
      return HealthCheck.failing("no export has completed yet");
    }
    if (!self.lastExportOk()) {
      return HealthCheck.failing("the last export did not succeed (see the log)");
    }
    if (reads.failed() > 0) {
      return HealthCheck.ok("last export succeeded; " + reads.failed() + " of " + (reads.ok() + reads.failed())
          + " interfaces could not be read in the last sample" + SEE_READ_ERRORS);
    }
    return HealthCheck.ok("last sample and last export succeeded");
  }
}
