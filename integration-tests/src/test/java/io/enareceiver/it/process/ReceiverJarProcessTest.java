package io.enareceiver.it.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.it.harness.WorkDirs;
import io.enareceiver.testing.otlp.OtlpHttpTestReceiver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar as a separate process: stop on SIGTERM with a final export even while an export
 * is in flight, exit codes of the command line, and the console demo.
 */
class ReceiverJarProcessTest {
  private static final Duration STARTUP = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void sigtermDuringAnExportDeliversAFinalExportAndExitsPromptly() throws Exception {
    try (OtlpHttpTestReceiver receiver = OtlpHttpTestReceiver.start()) {
      Path config = dir.resolve("run.yaml");
      Files.writeString(config, """
          receivers:
            ethtool:
              collection_interval: 1s
              interfaces:
                include: []
              replay:
                - name: eth1
                  mac: 0a:1b:2c:3d:4e:5f
                  captures: builtin:dns-throttling
          exporters:
            otlp:
              endpoint: %s
              protocol: http/protobuf
              timeout: 10s
          service:
            telemetry:
              health:
                endpoint: 127.0.0.1:0
          """.formatted(receiver.endpoint()));
      try (ReceiverJarCommand p = ReceiverJarCommand.start(dir, "run", "--config", config.toString())) {
        int first = 0;
        try {
          first = receiver.awaitRequests(2, STARTUP).size();
        } catch (AssertionError e) {
          throw new AssertionError(e.getMessage() + "\n" + p.output(), e);
        }
        // From now on the collector takes 2 s to answer each export. Exports run every second and
        // one at a time, so once a held-back answer has been given the next export starts within a
        // second and is then held for 2 s: signal 1.3 s after an answer lands mid-export.
        receiver.delayNext(1_000, Duration.ofSeconds(2));
        receiver.awaitRequests(first + 1, Duration.ofSeconds(15));
        Thread.sleep(1_300);
        int acceptedAtSignal = receiver.requests().size();
        long signalEpochNanos = System.currentTimeMillis() * 1_000_000L;
        long signalled = System.nanoTime();
        p.process().destroy(); // SIGTERM

        int exit = p.exitCode(Duration.ofSeconds(10));
        Duration toExit = Duration.ofNanos(System.nanoTime() - signalled);
        assertThat(toExit).as("exit after SIGTERM\n%s", p.output()).isLessThan(Duration.ofSeconds(5));
        assertThat(exit).as("exit code after SIGTERM (128 + 15 when the JVM ends by the signal)").isIn(0, 143);

        List<ExportMetricsServiceRequest> all = receiver.requests();
        List<ExportMetricsServiceRequest> afterSignal = all.subList(acceptedAtSignal, all.size());
        assertThat(afterSignal).as("exports that arrived after SIGTERM\n%s", p.output()).isNotEmpty();
        // The final export carries the latest sample: taken less than one sampling interval
        // (plus scheduling slack) before the signal, newer than anything sent before.
        long lastSample = sampleTime(afterSignal.getLast()).orElseThrow();
        long newestBefore = all.subList(0, acceptedAtSignal).stream()
            .mapToLong(r -> sampleTime(r).orElse(0)).max().orElseThrow();
        assertThat(lastSample).as("sample time of the final export").isGreaterThan(newestBefore)
            .isGreaterThan(signalEpochNanos - Duration.ofMillis(1_500).toNanos());
      }
    }
  }

  @Test
  void runWithABadConfigExitsTwoNamingFileAndLine() throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(config, """
        receivers:
          ethtool:
            collection_interval: soon
        """);
    try (ReceiverJarCommand p = ReceiverJarCommand.start(dir, "run", "--config", config.toString())) {
      assertThat(p.exitCode(STARTUP)).as(p.output()).isEqualTo(2);
      assertThat(p.stderr()).contains("bad.yaml:3").contains("collection_interval");
    }
  }

  @Test
  void versionExitsZero() throws Exception {
    try (ReceiverJarCommand p = ReceiverJarCommand.start(dir, "--version")) {
      assertThat(p.exitCode(STARTUP)).as(p.output()).isZero();
      assertThat(p.stdout()).containsPattern("\\d+\\.\\d+\\.\\d+");
    }
  }

  @Test
  void consoleDemoPrintsTheLinklocalSeries() throws Exception {
    Path demo = WorkDirs.repositoryRoot().resolve("config/examples/dns-throttling-demo.yaml");
    assertThat(demo).isRegularFile();
    // The demo exactly as shipped: it puts its health endpoint on a free port itself, so it can
    // run beside a local collector (or another run on this machine).
    assertThat(Files.readString(demo)).contains("endpoint: 127.0.0.1:0");

    try (ReceiverJarCommand p = ReceiverJarCommand.start(dir, "run", "--config", demo.toString())) {
      long deadline = System.nanoTime() + STARTUP.toNanos();
      while (linklocalLines(p.stdout()).isEmpty() && p.process().isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      List<String> lines = linklocalLines(p.stdout());
      assertThat(lines).as("console lines of the linklocal series\n%s", p.output()).isNotEmpty();
      // One line per point: time, name, kind, unit, attributes, value.
      assertThat(lines).anySatisfy(l -> assertThat(l)
          .contains("aws.ena.allowance.exceeded").contains("network.interface.name=eth1").contains("{packet}"));
      assertThat(lines).anySatisfy(l -> assertThat(l).contains("aws.ena.allowance.throttled_time"));
      p.process().destroy();
      assertThat(p.exitCode(Duration.ofSeconds(10))).isIn(0, 143);
    }
  }

  private static List<String> linklocalLines(String stdout) {
    return stdout.lines().filter(l -> l.contains("aws.ena.allowance.linklocal") || l.contains("aws.ena.allowance=linklocal")).toList();
  }

  /** Time of the allowance points in a request: the sample they show. */
  private static OptionalLong sampleTime(ExportMetricsServiceRequest r) {
    return r.getResourceMetricsList().stream()
        .flatMap(rm -> rm.getScopeMetricsList().stream())
        .flatMap(sm -> sm.getMetricsList().stream())
        .filter(m -> m.getName().equals("aws.ena.allowance.exceeded"))
        .map(Metric::getSum)
        .flatMap(s -> s.getDataPointsList().stream())
        .mapToLong(NumberDataPoint::getTimeUnixNano)
        .max();
  }
}
