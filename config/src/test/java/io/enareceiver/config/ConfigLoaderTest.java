package io.enareceiver.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configurations that are valid, and what they turn into. */
class ConfigLoaderTest {
  @TempDir Path dir;

  private Config parse(String yaml, Map<String, String> env) throws ConfigException {
    return ConfigLoader.parse(yaml, "test.yaml", dir, env::get);
  }

  @Test
  void defaultsMatchTheDocumentedValues() {
    Config config = ConfigLoader.defaults();
    assertThat(config.source()).isNull();
    assertThat(config.ethtool().collectionInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(config.ethtool().samplingInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.ethtool().interfaces().include()).containsExactly("*");
    assertThat(config.ethtool().interfaces().exclude()).contains("lo", "veth*", "eni*", "cali*");
    assertThat(config.ethtool().interfaces().drivers()).containsExactly("ena");
    assertThat(config.ethtool().metrics().keySet())
        .containsExactlyElementsOf(KnownMetrics.defaults().keySet());
    assertThat(config.ethtool().metrics().get(KnownMetrics.ETHTOOL_STAT))
        .isEqualTo(new MetricSettings(false, List.of("*"), List.of()));
    assertThat(config.ethtool().metrics().get(KnownMetrics.ALLOWANCE_EXCEEDED).enabled()).isTrue();
    assertThat(config.ethtool().replay()).isEmpty();
    assertThat(config.otlp()).isEqualTo(new OtlpExporterConfig(null, null, null, null, null, null));
    assertThat(config.console()).isFalse();
    assertThat(config.pipelineExporters()).containsExactly("otlp");
    assertThat(config.telemetry()).isEqualTo(new TelemetryConfig("info", "127.0.0.1:13133"));
  }

  @Test
  void emptyFileMeansEveryDefault() throws Exception {
    Path file = Files.writeString(dir.resolve("empty.yaml"), "# nothing here\n\n");
    Config config = ConfigLoader.load(file, name -> null);
    assertThat(config.source()).isEqualTo(file);
    assertThat(withoutSource(config)).isEqualTo(ConfigLoader.defaults());
  }

  @Test
  void readsEverySetting() throws Exception {
    Files.createDirectories(dir.resolve("captures/dns"));
    Files.writeString(dir.resolve("captures/dns/002.txt"), "b");
    Files.writeString(dir.resolve("captures/dns/001.txt"), "a");
    Files.writeString(dir.resolve("captures/dns/notes.md"), "not a capture");
    Files.writeString(dir.resolve("ca.pem"), "ca");
    Config config =
        parse(
            """
            receivers:
              ethtool:
                collection_interval: 1m
                sampling_interval: 2s
                interfaces:
                  include: ["eth*", "ens*"]
                  exclude: [eth9]
                  drivers: []
                metrics:
                  aws.ena.queue.packets: {enabled: true}
                  aws.ena.allowance.exceeded:
                    enabled: false
                  ethtool.stat:
                    enabled: true
                    include: ["*_allowance_exceeded"]
                    exclude: ["queue_*"]
                replay:
                  - name: eth1
                    mac: 0A:1B:2C:3D:4E:5F
                    captures: captures/dns/*.txt
                    loop: true
                  - name: eth2
                    driver: virtio_net
                    captures: builtin:dns-throttling
            exporters:
              otlp:
                endpoint: http://${env:COLLECTOR}:4319
                protocol: http/protobuf
                timeout: 5s
                compression: none
                headers:
                  authorization: Bearer ${env:TOKEN:-none}
                  x-tenant: $$team
                tls:
                  insecure: true
                  ca_file: ca.pem
              console: {}
            service:
              pipelines:
                metrics:
                  receivers: [ethtool]
                  exporters: [console, otlp]
              telemetry:
                logs: {level: debug}
                health: {endpoint: "[::1]:0"}
            """,
            Map.of("COLLECTOR", "10.0.0.7"));

    EthtoolReceiverConfig ethtool = config.ethtool();
    assertThat(ethtool.collectionInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(ethtool.samplingInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(ethtool.interfaces()).isEqualTo(new InterfacesConfig(List.of("eth*", "ens*"), List.of("eth9"), List.of()));
    assertThat(ethtool.metrics().get(KnownMetrics.QUEUE_PACKETS).enabled()).isTrue();
    assertThat(ethtool.metrics().get(KnownMetrics.ALLOWANCE_EXCEEDED).enabled()).isFalse();
    assertThat(ethtool.metrics().get(KnownMetrics.ALLOWANCE_PEAK_RATE).enabled()).isTrue();
    assertThat(ethtool.metrics().get(KnownMetrics.ETHTOOL_STAT))
        .isEqualTo(new MetricSettings(true, List.of("*_allowance_exceeded"), List.of("queue_*")));
    assertThat(ethtool.replay())
        .containsExactly(
            new ReplayConfig(
                "eth1",
                "0a:1b:2c:3d:4e:5f",
                "ena",
                "captures/dns/*.txt",
                List.of(dir.resolve("captures/dns/001.txt"), dir.resolve("captures/dns/002.txt")),
                true),
            new ReplayConfig("eth2", null, "virtio_net", "builtin:dns-throttling", List.of(), false));
    assertThat(ethtool.replay().get(1).builtin()).isTrue();

    assertThat(config.otlp())
        .isEqualTo(
            new OtlpExporterConfig(
                "http://10.0.0.7:4319",
                "http/protobuf",
                Duration.ofSeconds(5),
                "none",
                Map.of("authorization", "Bearer none", "x-tenant", "$team"),
                new TlsConfig(true, dir.resolve("ca.pem"), null, null)));
    assertThat(config.console()).isTrue();
    assertThat(config.pipelineExporters()).containsExactly("console", "otlp");
    assertThat(config.telemetry()).isEqualTo(new TelemetryConfig("debug", "[::1]:0"));
  }

  @Test
  void captureDirectoryGivesItsFilesSortedByName() throws Exception {
    Path captures = Files.createDirectories(dir.resolve("caps"));
    Files.writeString(captures.resolve("b.txt"), "b");
    Files.writeString(captures.resolve("a.txt"), "a");
    Files.writeString(captures.resolve(".hidden"), "skip me");
    Files.createDirectories(captures.resolve("sub"));
    Config config = parse("receivers: {ethtool: {replay: [{name: eth1, captures: caps}]}}", Map.of());
    assertThat(config.ethtool().replay().getFirst().files())
        .containsExactly(captures.resolve("a.txt"), captures.resolve("b.txt"));
  }

  @Test
  void capturesAreRelativeToTheConfigFilesDirectory() throws Exception {
    Path configDir = Files.createDirectories(dir.resolve("etc"));
    Files.createDirectories(configDir.resolve("caps"));
    Files.writeString(configDir.resolve("caps/001.txt"), "x");
    Path file =
        Files.writeString(
            configDir.resolve("c.yaml"), "receivers: {ethtool: {replay: [{name: eth1, captures: caps}]}}");
    Config config = ConfigLoader.load(file, name -> null);
    assertThat(config.ethtool().replay().getFirst().files()).containsExactly(configDir.resolve("caps/001.txt").toAbsolutePath());
  }

  @Test
  void exportersWithoutPipelineGoToEveryConfiguredExporter() throws Exception {
    Config config = parse("exporters: {console: {}, otlp: {endpoint: 'https://c:4317'}}", Map.of());
    assertThat(config.pipelineExporters()).containsExactly("console", "otlp");
  }

  @Test
  void consoleAloneLeavesOtlpOut() throws Exception {
    Config config = parse("exporters:\n  console:\n", Map.of());
    assertThat(config.console()).isTrue();
    assertThat(config.otlp()).isNull();
    assertThat(config.pipelineExporters()).containsExactly("console");
  }

  @Test
  void variableThatExpandsToNothingLeavesTheDefault() throws Exception {
    Config config =
        parse(
            """
            receivers: {ethtool: {collection_interval: "${env:INTERVAL:-}"}}
            exporters: {otlp: {endpoint: "${env:OTEL_EXPORTER_OTLP_ENDPOINT:-}"}}
            """,
            Map.of());
    assertThat(config.ethtool().collectionInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(config.otlp().endpoint()).isNull();
  }

  @Test
  void variablesCannotInjectYamlStructure() throws Exception {
    Config config =
        parse(
            "exporters: {otlp: {headers: {x-a: '${env:EVIL}'}}}",
            Map.of("EVIL", "a\nreceivers: {ethtool: {sampling_interval: 0s}}"));
    assertThat(config.otlp().headers()).containsEntry("x-a", "a\nreceivers: {ethtool: {sampling_interval: 0s}}");
    assertThat(config.ethtool().samplingInterval()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void booleansAndDurationsMayComeFromTheEnvironment() throws Exception {
    Config config =
        parse(
            "receivers: {ethtool: {collection_interval: '${env:I}', metrics: {ethtool.stat: {enabled: '${env:ON}'}}}}",
            Map.of("I", "30s", "ON", "true"));
    assertThat(config.ethtool().collectionInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.ethtool().metrics().get(KnownMetrics.ETHTOOL_STAT).enabled()).isTrue();
  }

  @Test
  void healthEndpointAcceptsTheDocumentedForms() throws Exception {
    for (String endpoint : List.of(":0", "0.0.0.0:13133", "localhost:8080", "[::1]:13133", "node-1.example:1")) {
      Config config = parse("service: {telemetry: {health: {endpoint: '" + endpoint + "'}}}", Map.of());
      assertThat(config.telemetry().healthEndpoint()).isEqualTo(endpoint);
    }
  }

  static Config withoutSource(Config config) {
    return new Config(
        null, config.ethtool(), config.otlp(), config.console(), config.pipelineExporters(), config.telemetry());
  }

  static Path write(Path dir, String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }
}
