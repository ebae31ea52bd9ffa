package io.enareceiver.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The contract the fuzzers check for {@link ConfigLoader#parse}: any text gives a Config or a
 * ConfigException whose problems name the source; any other exception (or error) escapes and is
 * a finding.
 */
final class ConfigFuzzTarget {
  private ConfigFuzzTarget() {}

  static final String SOURCE = "fuzz.yaml";
  private static final Path BASE = Path.of("").toAbsolutePath();
  private static final Map<String, String> ENV = Map.of("H", "collector", "EMPTY", "");

  /** Fragments that steer mutations towards the loader's own syntax. */
  /**
   * The seed corpus: the configurations the project ships, read where they live (so the seeds
   * never go stale), plus the fuzz-only seeds in {@code fuzz/config/}. Tests run in the config
   * module's directory.
   */
  static List<byte[]> seedCorpus() {
    List<byte[]> seeds = new java.util.ArrayList<>();
    try {
      for (String shipped : List.of("ena-receiver.reference.yaml", "examples/dns-throttling-demo.yaml",
          "../deploy/kubernetes/config/receiver.yaml")) {
        seeds.add(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(shipped)));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("a shipped configuration is missing from the seed corpus", e);
    }
    seeds.addAll(io.enareceiver.testing.CorpusMutator.load("/fuzz/config"));
    return List.copyOf(seeds);
  }

  static final List<String> TOKENS =
      List.of(
          "&a ", "*a", "<<: *a", "${env:", "${env:H}", "${env:NOPE}", "${env:H:-x}", "$$", "- ",
          "? ", "!!binary ", "!!python/object ", "\n  ", "15s", "-1s", "0s", "1.5m", "ena", "true",
          "null", "~", "\"", "'", "otlp/2", "\ufeff", "\u0000", "\t", "receivers:", "exporters:",
          "service:", "ethtool:", "replay:", "captures: builtin:", "captures: ../*.txt",
          "include: [\"*\"]", "endpoint: [::1]:0", "endpoint: http://127.0.0.1:4317", "headers:",
          "tls: {insecure: true}", "sampling_interval: ", "collection_interval: ", "%YAML 1.2\n",
          "---\n", "...\n");

  static void check(byte[] input) {
    // Malformed UTF-8 becomes U+FFFD: ConfigLoader.load refuses such files itself, parse takes text.
    check(new String(input, StandardCharsets.UTF_8));
  }

  static void check(String text) {
    try {
      Config config = ConfigLoader.parse(text, SOURCE, BASE, ENV::get);
      assertThat(config.ethtool().samplingInterval()).isGreaterThanOrEqualTo(Defaults.MIN_SAMPLING_INTERVAL);
    } catch (ConfigException e) {
      assertThat(e.problems()).isNotEmpty();
      for (ConfigProblem problem : e.problems()) {
        assertThat(problem.file()).isEqualTo(SOURCE);
        assertThat(problem.message()).isNotBlank();
      }
    }
  }
}
