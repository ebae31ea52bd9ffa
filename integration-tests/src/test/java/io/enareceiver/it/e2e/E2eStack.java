package io.enareceiver.it.e2e;

import static io.enareceiver.it.harness.FreePorts.loopback;

import io.enareceiver.it.harness.CollectorProcess;
import io.enareceiver.it.harness.FreePorts;
import io.enareceiver.it.harness.PrometheusProcess;
import io.enareceiver.it.harness.RangeSeries;
import io.enareceiver.it.harness.WorkDirs;
import io.enareceiver.testing.imds.FakeImds;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The local stack of docs/local-testing.md, for one test class: a Prometheus with the shipped
 * rules file (so Prometheus itself evaluates the alerts) and the test collector running the
 * shipped {@code deploy/collector/collector-local.yaml}, on free loopback ports. Receivers are
 * started per test; each gets its own {@code service.instance.id} (the {@code instance} label), so
 * tests sharing a stack never read each other's series.
 */
final class E2eStack implements AutoCloseable {
  /** What FakeImds serves and the scenarios expect as labels. */
  static final String NODE = "ip-10-0-9-99.e2e.internal";
  static final String INSTANCE_TYPE = "c6in.xlarge";
  static final String ENI = "eni-0e2e0000000000a01";
  /** The MAC of the built-in dns-throttling replay (its index.txt). */
  static final String REPLAY_MAC = "0a:1b:2c:3d:4e:5f";

  static final Path COLLECTOR_CONFIG = WorkDirs.repositoryRoot().resolve("deploy/collector/collector-local.yaml");
  static final Path RULES = WorkDirs.repositoryRoot().resolve("deploy/rules/ena-allowances.rules.yaml");

  final PrometheusProcess prometheus;
  final CollectorProcess collector;
  final int otlpPort;

  private E2eStack(PrometheusProcess prometheus, CollectorProcess collector, int otlpPort) {
    this.prometheus = prometheus;
    this.collector = collector;
    this.otlpPort = otlpPort;
  }

  /** Starts Prometheus, then the collector (binaries checked first, so a skip starts nothing). */
  static E2eStack start(String name) {
    CollectorProcess.binary();
    PrometheusProcess.binary();
    PrometheusProcess prometheus = PrometheusProcess.builder().name(name + "-prometheus").ruleFile(RULES)
        .evaluationInterval(Duration.ofSeconds(5)).start();
    try {
      int otlpPort = FreePorts.next();
      int healthPort = FreePorts.next();
      // The variables collector-local.yaml reads (each with a default for hand runs).
      CollectorProcess collector = CollectorProcess.builder(COLLECTOR_CONFIG)
          .name(name + "-collector")
          .env("COLLECTOR_OTLP_GRPC_ENDPOINT", loopback(otlpPort))
          .env("COLLECTOR_HEALTH_ENDPOINT", loopback(healthPort))
          .env("PROMETHEUS_REMOTE_WRITE_URL", prometheus.remoteWriteUrl())
          .healthPort(healthPort)
          .start();
      return new E2eStack(prometheus, collector, otlpPort);
    } catch (RuntimeException | AssertionError e) {
      prometheus.close();
      throw e;
    }
  }

  /** The fake instance: one ENI whose MAC is the replayed interface's. */
  static FakeImds.Instance instance() {
    return new FakeImds.Instance("i-0e2e00000000000a1", INSTANCE_TYPE, "eu-west-1", "eu-west-1a", "123456789012",
        "ip-10-0-9-99.eu-west-1.compute.internal", List.of(new FakeImds.Eni(REPLAY_MAC, ENI, 0)));
  }

  /** A fresh {@code service.instance.id}, which the collector turns into the {@code instance} label. */
  static String instanceId(String scenario) {
    return "e2e-" + scenario + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Raw samples of {@code selector} since {@code since} (plus a margin). */
  List<RangeSeries> rawSince(String selector, Instant since) {
    long seconds = Duration.between(since, Instant.now()).toSeconds() + 30;
    return prometheus.rawSamples(selector, Duration.ofSeconds(seconds));
  }

  /**
   * Every sample of every series matching the selector, in time order, whatever their label sets:
   * an interface's series change labels when its identity arrives, but it is one counter.
   */
  static List<RangeSeries.Point> merged(List<RangeSeries> series) {
    List<RangeSeries.Point> all = new ArrayList<>();
    series.forEach(s -> all.addAll(s.points()));
    all.sort(Comparator.comparing(RangeSeries.Point::timestamp));
    return all;
  }

  /** The labels of the series with the newest sample. */
  static Map<String, String> newestLabels(List<RangeSeries> series) {
    return series.stream()
        .max(Comparator.comparing(s -> s.points().getLast().timestamp()))
        .map(RangeSeries::labels)
        .orElse(Map.of());
  }

  String describe() {
    return collector.describe() + "\n" + prometheus.process().describe();
  }

  @Override
  public void close() {
    try {
      collector.close();
    } finally {
      prometheus.close();
    }
  }
}
