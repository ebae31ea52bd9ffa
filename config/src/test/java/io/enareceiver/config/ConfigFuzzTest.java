package io.enareceiver.config;

import io.enareceiver.testing.RandomInputs;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

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

  @Test
  void mutatedConfigsLoadOrFailWithPositionedProblems() {
    RandomInputs.forAll(300, random -> assertLoadsOrReportsProblems(mutatedConfig(random)));
  }

  @Test
  void randomTextLoadsOrFailsWithPositionedProblems() {
    RandomInputs.forAll(300, random -> assertLoadsOrReportsProblems(randomText(random)));
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

  private static String randomText(SplittableRandom random) {
    return random.nextBoolean()
        ? RandomInputs.string(random, YAML_CHARS, 400)
        : RandomInputs.anyString(random, 200);
  }

  /** One of the two base configs with one to six edits. */
  private static String mutatedConfig(SplittableRandom random) {
    String mutated = random.nextBoolean() ? REFERENCE : SMALL;
    int edits = random.nextInt(1, 7);
    for (int i = 0; i < edits; i++) {
      mutated = mutation(random).apply(mutated);
    }
    return mutated;
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

  private static final List<String> TOKENS =
      List.of(
          "&a ", "*a", "<<: ", "${env:", "${env:NOPE}", "$$", "}", "- ", "? ", "!!binary ",
          "\n  ", "\n", "15", "-1s", "0s", "ena", "true", "null", "[", "{", "\"", "'",
          "otlp/2", "\ufeff", "\u0000", "\t");

  private static Mutation mutation(SplittableRandom random) {
    String insert =
        random.nextBoolean()
            ? RandomInputs.string(random, YAML_CHARS, 12)
            : RandomInputs.pick(random, TOKENS);
    return new Mutation(random.nextInt(5), random.nextDouble(), random.nextDouble(), insert);
  }
}
