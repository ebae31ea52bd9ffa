package io.enareceiver.it.harness;

import static io.enareceiver.it.harness.FreePorts.loopback;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The harness can take the collector away and bring it back on the same ports, which outage
 * scenarios rely on; and across the gap a cumulative sum loses resolution, never counts
 * (DESIGN.md §2): the value after the outage includes what was recorded during it.
 */
class CollectorProcessRestartIT {
  private static final AttributeKey<String> INTERFACE = AttributeKey.stringKey("network.interface.name");

  @Test
  void restartsOnTheSamePortsAndTheCumulativeSumCatchesUp() throws Exception {
    Path config = Path.of(Objects.requireNonNull(getClass().getResource("/e2e/collector-smoke.yaml")).toURI());
    int otlpPort = FreePorts.next();
    int healthPort = FreePorts.next();
    String promql = "restart_probe_total{network_interface_name=\"eth0\"}";
    try (PrometheusProcess prometheus = PrometheusProcess.builder().start();
         CollectorProcess collector = CollectorProcess.builder(config)
             .name("collector-restart")
             .env("OTLP_GRPC_ENDPOINT", loopback(otlpPort))
             .env("HEALTH_ENDPOINT", loopback(healthPort))
             .env("PROMETHEUS_REMOTE_WRITE_URL", prometheus.remoteWriteUrl())
             .healthPort(healthPort)
             .start();
         OtlpSender sender = OtlpSender.open("http://" + loopback(otlpPort),
             Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "restart-probe")),
             Duration.ofSeconds(2))) {
      LongCounter counter = sender.meter().counterBuilder("restart.probe").setUnit("{packet}").build();
      Attributes eth0 = Attributes.of(INTERFACE, "eth0");

      counter.add(5, eth0);
      assertThat(sender.export()).as("export while the collector runs").isTrue();
      awaitValue(prometheus, collector, promql, 5);

      assertThat(collector.stop()).as("collector exit code after SIGTERM").isZero();
      assertThat(collector.healthy()).as("health check answers while stopped").isFalse();
      counter.add(6, eth0);
      assertThat(sender.export()).as("export while the collector is down").isFalse();

      collector.start();
      assertThat(collector.healthy()).as("health check on the same port after restart").isTrue();
      assertThat(sender.export()).as("export on the same OTLP port after restart").isTrue();
      awaitValue(prometheus, collector, promql, 11);
    }
  }

  private static void awaitValue(PrometheusProcess prometheus, CollectorProcess collector, String promql,
      double expected) {
    collector.poll(promql + " = " + expected)
        .atMost(Duration.ofSeconds(60))
        .until(() -> prometheus.query(promql),
            (List<Sample> samples) -> samples.size() == 1 && samples.getFirst().value() == expected);
  }
}
