package io.enareceiver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of mistake is reported with file, line, key path and what was expected. */
class ConfigErrorsTest {
  @TempDir Path dir;

  private List<ConfigProblem> problems(String yaml) {
    return problems(yaml, Map.of());
  }

  private List<ConfigProblem> problems(String yaml, Map<String, String> env) {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> ConfigLoader.parse(yaml, "agent.yaml", dir, env::get));
    assertThat(e).as("expected a ConfigException for:\n%s", yaml).isNotNull();
    assertThat(e.getMessage().lines()).hasSize(e.problems().size());
    return e.problems();
  }

  /** Asserts exactly one problem and returns it for further checks. */
  private ConfigProblem only(String yaml) {
    List<ConfigProblem> problems = problems(yaml);
    assertThat(problems).hasSize(1);
    assertThat(problems.getFirst().file()).isEqualTo("agent.yaml");
    return problems.getFirst();
  }

  @Test
  void unknownKeySuggestsTheClosestKnownKey() {
    ConfigProblem problem =
        only(
            """
            receivers:
              ethtool:
                sampling_intervall: 1s
            """);
    assertThat(problem.line()).isEqualTo(3);
    assertThat(problem.keyPath()).isEqualTo("receivers.ethtool.sampling_intervall");
    assertThat(problem.message()).contains("unknown key 'sampling_intervall'").contains("did you mean sampling_interval?");
    assertThat(problem.format())
        .isEqualTo("agent.yaml:3: receivers.ethtool.sampling_intervall: unknown key 'sampling_intervall'; did you mean sampling_interval?");
  }

  @Test
  void unknownKeyWithoutCloseMatchListsTheKnownKeys() {
    ConfigProblem problem = only("service:\n  wibble: {}\n");
    assertThat(problem.message()).contains("unknown key 'wibble'").contains("expected one of: pipelines, telemetry");
  }

  @Test
  void collectorOnlySectionsAreExplained() {
    ConfigProblem problem = only("processors:\n  batch: {}\n");
    assertThat(problem.line()).isEqualTo(1);
    assertThat(problem.message()).contains("unknown key 'processors'").contains("OpenTelemetry Collector");
  }

  @Test
  void otherExportersAreUnknownKeys() {
    ConfigProblem problem = only("exporters:\n  otlp: {}\n  otlp/2: {}\n");
    assertThat(problem.line()).isEqualTo(3);
    assertThat(problem.keyPath()).isEqualTo("exporters.otlp/2");
    assertThat(problem.message()).contains("unknown key 'otlp/2'");
  }

  @Test
  void unknownMetricSuggestsTheClosestName() {
    ConfigProblem problem =
        only(
            """
            receivers:
              ethtool:
                metrics:
                  aws.ena.allowance.exceded: {enabled: true}
            """);
    assertThat(problem.line()).isEqualTo(4);
    assertThat(problem.message()).contains("unknown metric 'aws.ena.allowance.exceded'").contains("did you mean aws.ena.allowance.exceeded?");
  }

  @Test
  void statPatternsAreAllowedOnlyUnderEthtoolStat() {
    ConfigProblem problem =
        only(
            """
            receivers:
              ethtool:
                metrics:
                  aws.ena.queue.packets:
                    enabled: true
                    include: ["queue_0_*"]
            """);
    assertThat(problem.line()).isEqualTo(6);
    assertThat(problem.keyPath()).isEqualTo("receivers.ethtool.metrics.aws.ena.queue.packets.include");
    assertThat(problem.message()).contains("allowed only under ethtool.stat");
  }

  @Test
  void wrongShapesSayWhatWasExpected() {
    List<ConfigProblem> problems =
        problems(
            """
            receivers:
              ethtool:
                interfaces:
                  include: eth*
                  exclude: {a: b}
                metrics:
                  ethtool.stat: true
                replay:
                  name: eth1
            exporters:
              otlp: [a, b]
            service:
              telemetry:
                logs:
                  level: [debug]
            """);
    assertThat(problems)
        .extracting(ConfigProblem::format)
        .containsExactly(
            "agent.yaml:4: receivers.ethtool.interfaces.include: expected a list such as [\"eth*\", \"ens*\"], found the value 'eth*'",
            "agent.yaml:5: receivers.ethtool.interfaces.exclude: expected a list such as [\"lo\", \"veth*\"], found a mapping",
            "agent.yaml:7: receivers.ethtool.metrics.ethtool.stat: expected a mapping such as {enabled: true}, found the value 'true'",
            "agent.yaml:9: receivers.ethtool.replay: expected a list such as [{name: eth1, captures: captures/dns}], found a mapping",
            "agent.yaml:11: exporters.otlp: expected a mapping (key: value entries), found a list",
            "agent.yaml:15: service.telemetry.logs.level: expected a single value, found a list");
  }

  @Test
  void enabledMustBeABoolean() {
    ConfigProblem problem = only("receivers:\n  ethtool:\n    metrics:\n      aws.ena.srd.mode:\n        enabled: yes please\n");
    assertThat(problem.line()).isEqualTo(5);
    assertThat(problem.keyPath()).isEqualTo("receivers.ethtool.metrics.aws.ena.srd.mode.enabled");
    assertThat(problem.message()).isEqualTo("expected true or false, found 'yes please'");
  }

  @Test
  void badDurationsSayWhatADurationLooksLike() {
    List<ConfigProblem> problems =
        problems("receivers:\n  ethtool:\n    collection_interval: 15\n    sampling_interval: -1s\n");
    assertThat(problems).extracting(ConfigProblem::line).containsExactly(3, 4);
    assertThat(problems.get(0).keyPath()).isEqualTo("receivers.ethtool.collection_interval");
    assertThat(problems.get(0).message()).contains("expected a duration such as 15s").contains("'15'");
    assertThat(problems.get(1).keyPath()).isEqualTo("receivers.ethtool.sampling_interval");
    assertThat(problems.get(1).message()).contains("must not be negative");
  }

  @Test
  void samplingIntervalUnderOneSecondIsRefused() {
    ConfigProblem problem = only("receivers:\n  ethtool:\n    sampling_interval: 500ms\n");
    assertThat(problem.line()).isEqualTo(3);
    assertThat(problem.keyPath()).isEqualTo("receivers.ethtool.sampling_interval");
    assertThat(problem.message()).startsWith("must be at least 1s").endsWith("found 500ms");
  }

  @Test
  void collectionIntervalShorterThanSamplingIsRefused() {
    ConfigProblem problem = only("receivers:\n  ethtool:\n    collection_interval: 5s\n    sampling_interval: 10s\n");
    assertThat(problem.line()).isEqualTo(3);
    assertThat(problem.keyPath()).isEqualTo("receivers.ethtool.collection_interval");
    assertThat(problem.message()).isEqualTo("must not be shorter than sampling_interval (10s), found 5s");
  }

  @Test
  void defaultCollectionIntervalIsCheckedAgainstALongerSamplingInterval() {
    ConfigProblem problem = only("receivers:\n  ethtool:\n    sampling_interval: 30s\n");
    assertThat(problem.line()).isEqualTo(3);
    assertThat(problem.keyPath()).isEqualTo("receivers.ethtool.collection_interval");
    assertThat(problem.message()).isEqualTo("must not be shorter than sampling_interval (30s), found 15s");
  }

  @Test
  void pipelineNamingAnUnconfiguredExporterIsRefused() {
    ConfigProblem problem =
        only(
            """
            exporters:
              console:
            service:
              pipelines:
                metrics:
                  receivers: [ethtool]
                  exporters: [console, otlp]
            """);
    assertThat(problem.line()).isEqualTo(7);
    assertThat(problem.keyPath()).isEqualTo("service.pipelines.metrics.exporters[1]");
    assertThat(problem.message()).isEqualTo("exporter 'otlp' is not configured under exporters (configured: console)");
  }

  @Test
  void pipelineReceiversMustBeEthtool() {
    ConfigProblem problem = only("service:\n  pipelines:\n    metrics:\n      receivers: [otlp]\n");
    assertThat(problem.keyPath()).isEqualTo("service.pipelines.metrics.receivers[0]");
    assertThat(problem.message()).contains("unknown receiver 'otlp'").contains("the only receiver is ethtool");
  }

  @Test
  void unsetVariableWithoutDefaultNamesVariableLineAndKey() {
    ConfigProblem problem =
        only(
            """
            exporters:
              otlp:
                endpoint: http://${env:COLLECTOR_HOST}:4317
            """);
    assertThat(problem.line()).isEqualTo(3);
    assertThat(problem.keyPath()).isEqualTo("exporters.otlp.endpoint");
    assertThat(problem.message()).contains("environment variable COLLECTOR_HOST is not set");
    assertThat(problem.format()).startsWith("agent.yaml:3: exporters.otlp.endpoint: ");
  }

  @Test
  void replayCaptureDirectoryThatDoesNotExist() {
    ConfigProblem problem =
        only(
            """
            receivers:
              ethtool:
                replay:
                  - name: eth1
                    captures: builtin:dns-throttling
                  - name: eth2
                    captures: recordings/missing
            """);
    assertThat(problem.line()).isEqualTo(7);
    assertThat(problem.keyPath()).isEqualTo("receivers.ethtool.replay[1].captures");
    assertThat(problem.message()).isEqualTo("no such file or directory: " + dir.resolve("recordings/missing"));
  }

  @Test
  void replayGlobThatMatchesNoFile() throws Exception {
    Files.createDirectories(dir.resolve("captures/dns"));
    Files.writeString(dir.resolve("captures/dns/001.log"), "x");
    ConfigProblem problem = only("receivers:\n  ethtool:\n    replay:\n      - {name: eth1, captures: captures/dns/*.txt}\n");
    assertThat(problem.line()).isEqualTo(4);
    assertThat(problem.keyPath()).isEqualTo("receivers.ethtool.replay[0].captures");
    assertThat(problem.message()).contains("'captures/dns/*.txt' matches no file").contains(dir.resolve("captures/dns").toString());
  }

  @Test
  void replayGlobUnderAMissingDirectory() {
    ConfigProblem problem = only("receivers:\n  ethtool:\n    replay:\n      - {name: eth1, captures: nowhere/*.txt}\n");
    assertThat(problem.message()).startsWith("no such directory: " + dir.resolve("nowhere"));
  }

  @Test
  void emptyCaptureDirectoryIsRefused() throws Exception {
    Files.createDirectories(dir.resolve("empty"));
    ConfigProblem problem = only("receivers:\n  ethtool:\n    replay:\n      - {name: eth1, captures: empty}\n");
    assertThat(problem.message()).contains("contains no capture files");
  }

  @Test
  void replayEntriesAreCheckedField_byField() {
    List<ConfigProblem> problems =
        problems(
            """
            receivers:
              ethtool:
                replay:
                  - name: this-name-is-far-too-long
                    mac: 0a:1b:2c:3d:4e
                    captures: "builtin:"
                  - mac: 0a:1b:2c:3d:4e:5f
                  - name: eth1
                    captures: builtin:a
                  - name: eth1
                    captures: builtin:b
                    loop: sometimes
            """);
    assertThat(problems)
        .extracting(ConfigProblem::format)
        .containsExactly(
            "agent.yaml:4: receivers.ethtool.replay[0].name: " + InterfaceNames.EXPECTED + ", found 'this-name-is-far-too-long'",
            "agent.yaml:5: receivers.ethtool.replay[0].mac: expected a MAC address such as 0a:1b:2c:3d:4e:5f, found '0a:1b:2c:3d:4e'",
            "agent.yaml:6: receivers.ethtool.replay[0].captures: expected builtin:<scenario> such as builtin:dns-throttling, found 'builtin:'",
            "agent.yaml:7: receivers.ethtool.replay[1].name: required: an interface name such as eth1",
            "agent.yaml:7: receivers.ethtool.replay[1].captures: required: a capture directory, a glob such as captures/*.txt, or builtin:<scenario>",
            "agent.yaml:10: receivers.ethtool.replay[3].name: duplicate replay interface name 'eth1' (first given on line 8)",
            "agent.yaml:12: receivers.ethtool.replay[3].loop: expected true or false, found 'sometimes'");
  }

  @Test
  void badProtocolCompressionAndLogLevelListTheChoices() {
    List<ConfigProblem> problems =
        problems(
            """
            exporters:
              otlp:
                protocol: http/json
                compression: zstd
            service:
              telemetry:
                logs: {level: verbose}
            """);
    assertThat(problems)
        .extracting(ConfigProblem::format)
        .containsExactly(
            "agent.yaml:3: exporters.otlp.protocol: expected one of grpc, http/protobuf, found 'http/json'",
            "agent.yaml:4: exporters.otlp.compression: expected one of gzip, none, found 'zstd'",
            "agent.yaml:7: service.telemetry.logs.level: expected one of debug, info, warn, error, found 'verbose'");
  }

  @Test
  void badOtlpEndpointAndTimeout() {
    List<ConfigProblem> problems = problems("exporters:\n  otlp:\n    endpoint: localhost:4317\n    timeout: 0s\n");
    assertThat(problems).extracting(ConfigProblem::keyPath).containsExactly("exporters.otlp.endpoint", "exporters.otlp.timeout");
    assertThat(problems.get(0).message()).contains("expected an http or https URL such as http://localhost:4317");
    assertThat(problems.get(1).message()).isEqualTo("must be longer than 0s");
  }

  @Test
  void tlsFilesMustExistAndComeInPairs() {
    List<ConfigProblem> problems = problems("exporters:\n  otlp:\n    tls:\n      ca_file: missing-ca.pem\n      cert_file: missing.crt\n");
    assertThat(problems).extracting(ConfigProblem::keyPath)
        .containsExactly("exporters.otlp.tls.ca_file", "exporters.otlp.tls.cert_file", "exporters.otlp.tls.key_file");
    assertThat(problems.get(0).message()).isEqualTo("no such file: " + dir.resolve("missing-ca.pem"));
    assertThat(problems.get(2).line()).isEqualTo(5);
    assertThat(problems.get(2).message()).startsWith("required when cert_file is given");
  }

  @Test
  void badHealthEndpoints() {
    Map<String, String> cases =
        Map.of(
            "localhost", "the port is missing",
            "::1:13133", "IPv6 address in brackets",
            "127.0.0.1:99999", "'99999' is not a port",
            "[nothex]:1", "'nothex' is not an IPv6 address",
            "bad host:1", "'bad host' is not a host name",
            "host:http", "'http' is not a port");
    cases.forEach(
        (endpoint, expected) -> {
          ConfigProblem problem = only("service:\n  telemetry:\n    health:\n      endpoint: \"" + endpoint + "\"\n");
          assertThat(problem.line()).isEqualTo(4);
          assertThat(problem.keyPath()).isEqualTo("service.telemetry.health.endpoint");
          assertThat(problem.message()).contains(expected).contains("expected host:port");
        });
  }

  @Test
  void duplicateKeysNameBothLines() {
    ConfigProblem problem =
        only(
            """
            receivers:
              ethtool:
                collection_interval: 15s
                collection_interval: 30s
            """);
    assertThat(problem.line()).isEqualTo(4);
    assertThat(problem.keyPath()).isEqualTo("receivers.ethtool.collection_interval");
    assertThat(problem.message()).isEqualTo("duplicate key (first given on line 3)");
  }

  @Test
  void invalidInterfacePatternIsAConfigError() {
    ConfigProblem problem = only("receivers:\n  ethtool:\n    interfaces:\n      include: [\"eth[0\"]\n");
    assertThat(problem.keyPath()).isEqualTo("receivers.ethtool.interfaces.include[0]");
    assertThat(problem.message()).contains("'eth[0'").contains("without a closing ']'");
  }

  @Test
  void emptyExportersSectionIsRefused() {
    ConfigProblem problem = only("exporters: {}\n");
    assertThat(problem.keyPath()).isEqualTo("exporters");
    assertThat(problem.message()).contains("expected at least one exporter");
  }

  @Test
  void mergeKeysAreRefusedClearly() {
    List<ConfigProblem> problems = problems("base: &b {collection_interval: 15s}\nreceivers:\n  ethtool:\n    <<: *b\n");
    assertThat(problems).extracting(ConfigProblem::message)
        .anySatisfy(m -> assertThat(m).contains("merge keys (<<) are not supported"));
  }

  @Test
  void topLevelScalarIsNotAConfig() {
    ConfigProblem problem = only("just some words\n");
    assertThat(problem.line()).isEqualTo(1);
    assertThat(problem.message()).contains("expected a mapping with receivers, exporters and service");
  }

  @Test
  void allProblemsAreReportedTogetherInFileOrder() {
    List<ConfigProblem> problems =
        problems(
            """
            service:
              telemetry:
                logs: {level: loud}
            receivers:
              ethtool:
                sampling_interval: 100ms
            exporters:
              otlp: {protocol: udp}
            """);
    assertThat(problems).extracting(ConfigProblem::line).containsExactly(3, 6, 8);
  }
}
