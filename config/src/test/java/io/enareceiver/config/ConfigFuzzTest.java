package io.enareceiver.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever text a config file holds, loading ends in a Config or a ConfigException with
 * positioned problems: never another exception, never a hang. Inputs are bounded (a few KiB)
 * so every try is quick; the file-size limit itself is tested in YamlSafetyTest.
 */
class ConfigFuzzTest {
  private static final Path BASE = Path.of("").toAbsolutePath();
  private static final String REFERENCE = read("ena-receiver.reference.yaml");
  private static final String SMALL =
      """
      receivers:
        ethtool:
          collection_interval: 15s
          sampling_interval: 1s
          interfaces: {include: ["eth*"], exclude: [lo], drivers: [ena]}
          metrics:
            ethtool.stat: {enabled: true, include: ["*"]}
          replay:
            - {name: eth1, mac: 0a:1b:2c:3d:4e:5f, captures: "builtin:x", loop: true}
      exporters:
        otlp: {endpoint: "http://${env:H:-localhost}:4317", protocol: grpc, timeout: 5s, headers: {a: b}}
        console:
      service:
        pipelines: {metrics: {receivers: [ethtool], exporters: [otlp, console]}}
        telemetry: {logs: {level: info}, health: {endpoint: "[::1]:0"}}
      """;
  private static final String YAML_CHARS = " \n\t:-[]{},#&*!|>'\"%@`?$~.<=0123456789abcdeslmnotx/\\";

  private static String read(String name) {
    try {
      return Files.readString(BASE.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Property(tries = 300)
  void mutatedConfigsLoadOrFailWithPositionedProblems(@ForAll("mutatedConfigs") String yaml) {
    assertLoadsOrReportsProblems(yaml);
  }

  @Property(tries = 300)
  void randomTextLoadsOrFailsWithPositionedProblems(@ForAll("randomText") String yaml) {
    assertLoadsOrReportsProblems(yaml);
  }

  private static void assertLoadsOrReportsProblems(String yaml) {
    long lines = yaml.lines().count();
    try {
      Config config = ConfigLoader.parse(yaml, "fuzz.yaml", BASE, Map.of("H", "collector")::get);
      assertThat(config.ethtool().samplingInterval()).isGreaterThanOrEqualTo(Defaults.MIN_SAMPLING_INTERVAL);
      assertThat(config.ethtool().collectionInterval()).isGreaterThanOrEqualTo(config.ethtool().samplingInterval());
    } catch (ConfigException e) {
      assertThat(e.problems()).isNotEmpty();
      assertThat(e.problems())
          .allSatisfy(
              problem -> {
                assertThat(problem.file()).isEqualTo("fuzz.yaml");
                assertThat(problem.line()).isBetween(0, (int) lines + 1);
                assertThat(problem.message()).isNotBlank();
              });
    }
  }

  @Provide
  Arbitrary<String> randomText() {
    Arbitrary<String> yamlish = Arbitraries.strings().withChars(YAML_CHARS).ofMaxLength(400);
    Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(200);
    return Arbitraries.oneOf(yamlish, anything);
  }

  @Provide
  Arbitrary<String> mutatedConfigs() {
    Arbitrary<String> base = Arbitraries.of(REFERENCE, SMALL);
    Arbitrary<List<Mutation>> mutations = mutation().list().ofMinSize(1).ofMaxSize(6);
    return Combinators.combine(base, mutations)
        .as(
            (text, list) -> {
              String mutated = text;
              for (Mutation m : list) {
                mutated = m.apply(mutated);
              }
              return mutated;
            });
  }

  /** One edit at a relative position (0..1) of the text, so it works for any length. */
  record Mutation(int kind, double at, double to, String insert) {
    String apply(String text) {
      if (text.isEmpty()) {
        return insert;
      }
      int i = (int) (at * text.length());
      int j = Math.min(text.length(), i + 1 + (int) (to * 40));
      return switch (kind) {
        case 0 -> text.substring(0, i) + text.substring(j); // delete a run
        case 1 -> text.substring(0, i) + insert + text.substring(i); // insert YAML-ish text
        case 2 -> text.substring(0, i) + insert + text.substring(j); // replace a run
        case 3 -> text.substring(0, j) + text.substring(i, j) + text.substring(j); // duplicate a run
        default -> text.substring(0, i) + " " + text.substring(i); // shift indentation
      };
    }
  }

  private static Arbitrary<Mutation> mutation() {
    Arbitrary<String> insert =
        Arbitraries.oneOf(
            Arbitraries.strings().withChars(YAML_CHARS).ofMaxLength(12),
            Arbitraries.of(
                "&a ", "*a", "<<: ", "${env:", "${env:NOPE}", "$$", "}", "- ", "? ", "!!binary ",
                "\n  ", "\n", "15", "-1s", "0s", "ena", "true", "null", "[", "{", "\"", "'",
                "otlp/2", "\ufeff", "\u0000", "\t"));
    return Combinators.combine(
            Arbitraries.integers().between(0, 4),
            Arbitraries.doubles().between(0, 1),
            Arbitraries.doubles().between(0, 1),
            insert)
        .as(Mutation::new);
  }
}
