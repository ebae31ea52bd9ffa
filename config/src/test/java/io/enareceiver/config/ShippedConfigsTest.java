package io.enareceiver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reference file and the examples shipped with the module load, and say what they claim. */
class ShippedConfigsTest {
  /** Maven runs tests in the module directory. */
  private static final Path MODULE = Path.of("").toAbsolutePath();

  @Test
  void referenceFileIsExactlyTheBuiltInDefaults() throws Exception {
    Config reference = ConfigLoader.load(MODULE.resolve("ena-receiver.reference.yaml"), name -> null);
    assertThat(ConfigLoaderTest.withoutSource(reference)).isEqualTo(ConfigLoader.defaults());
  }

  @Test
  void referenceFileDoesNotDependOnTheEnvironment() throws Exception {
    Map<String, String> env = Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://elsewhere:4317", "HOST_IP", "10.1.1.1");
    Config reference = ConfigLoader.load(MODULE.resolve("ena-receiver.reference.yaml"), env::get);
    assertThat(ConfigLoaderTest.withoutSource(reference)).isEqualTo(ConfigLoader.defaults());
  }

  private static final Path EKS_NODE = MODULE.resolve("../deploy/kubernetes/config/receiver.yaml").normalize();

  @Test
  void dnsThrottlingDemoReplaysTheBuiltInScenarioToTheConsole() throws Exception {
    Config demo = ConfigLoader.load(MODULE.resolve("examples/dns-throttling-demo.yaml"), name -> null);
    assertThat(demo.console()).isTrue();
    assertThat(demo.otlp()).isNull();
    assertThat(demo.pipelineExporters()).containsExactly("console");
    assertThat(demo.ethtool().interfaces().include()).isEmpty();
    assertThat(demo.ethtool().replay())
        .containsExactly(new ReplayConfig("eth1", "0a:1b:2c:3d:4e:5f", "ena", "builtin:dns-throttling", List.of(), true));
  }

  @Test
  void eksNodeConfigPushesToTheSidecarOnItsOwnPort() throws Exception {
    // The DaemonSet's receiver configuration (deploy/kubernetes/config/receiver.yaml).
    Config node = ConfigLoader.load(EKS_NODE, Map.of("HOST_IP", "10.0.1.23")::get);
    assertThat(node.otlp().endpoint()).isEqualTo("http://127.0.0.1:4319");
    assertThat(node.otlp().protocol()).isEqualTo("grpc");
    assertThat(node.pipelineExporters()).containsExactly("otlp");
    assertThat(node.ethtool().interfaces().drivers()).containsExactly("ena");
    assertThat(node.telemetry()).isEqualTo(new TelemetryConfig("info", "10.0.1.23:13290"));
  }

  @Test
  void eksNodeConfigNeedsTheNodeIp() {
    Path file = EKS_NODE;
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, name -> null));
    assertThat(e).isNotNull();
    assertThat(e.problems()).singleElement().satisfies(problem -> {
      assertThat(problem.file()).isEqualTo(file.toString());
      assertThat(problem.keyPath()).isEqualTo("service.telemetry.health.endpoint");
      assertThat(problem.message()).contains("HOST_IP is not set");
    });
  }
}
