package io.enareceiver.agent;

import io.enareceiver.config.Config;
import io.enareceiver.config.ConfigException;
import io.enareceiver.config.ConfigLoader;
import io.enareceiver.testing.otlp.OtlpTestReceiver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Starts the real {@link Agent} the way {@code run} does, from YAML written into a temp directory,
 * with simulated interfaces replaying captures derived from a real ENA {@code ethtool -S} output.
 * The environment is a map, never the test JVM's: IMDS is either off or a local fake.
 */
final class AgentFixture {
  /** The real capture every derived capture starts from (ENA 2.x, kernel 5.4, 2 queues). */
  static final String REAL_CAPTURE = "/captures/ena-2.x-kernel5.4-2queues-qmar1.txt";

  private AgentFixture() {}

  /** Environment with instance metadata switched off: no request can leave the machine. */
  static Map<String, String> imdsOff() {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    return env;
  }

  /** Environment pointing instance metadata at a local fake. */
  static Map<String, String> imdsAt(java.net.URI fakeEndpoint) {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", fakeEndpoint.toString());
    return env;
  }

  /**
   * YAML for an agent with no real interfaces, the given replay entries, one OTLP exporter and a
   * health endpoint on a free loopback port.
   *
   * @param replay the list items under {@code replay:}, already indented by six spaces
   */
  static String yaml(String protocol, OtlpTestReceiver receiver, String collectionInterval, String replay) {
    return """
        receivers:
          ethtool:
            collection_interval: %s
            sampling_interval: 1s
            interfaces:
              include: []
            replay:
        %s
        exporters:
          otlp:
            endpoint: %s
            protocol: %s
            timeout: 5s
        service:
          pipelines:
            metrics:
              receivers: [ethtool]
              exporters: [otlp]
          telemetry:
            health:
              endpoint: 127.0.0.1:0
        """.formatted(collectionInterval, replay.stripTrailing(), receiver.endpoint(), protocol);
  }

  /** One replay list item. */
  static String replayEntry(String name, String mac, String captures, boolean loop) {
    return "      - name: %s\n        mac: \"%s\"\n        captures: %s\n        loop: %s\n"
        .formatted(name, mac, captures, loop);
  }

  /** Writes {@code config.yaml} into {@code dir} and loads it as {@code run --config} would. */
  static Config load(Path dir, String yaml, Map<String, String> env) throws IOException, ConfigException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, yaml);
    return ConfigLoader.load(file, env::get);
  }

  static Agent start(Config config, Map<String, String> env) throws Exception {
    if (!"true".equals(env.get("AWS_EC2_METADATA_DISABLED"))
        && !String.valueOf(env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT")).startsWith("http://127.0.0.1:")) {
      throw new IllegalArgumentException("tests must switch IMDS off or point it at a local fake: " + env);
    }
    return Agent.start(config, Set.of(), env::get, new PrintStream(OutputStream.nullOutputStream()));
  }

  /**
   * Writes one capture per value into {@code dir} ({@code 000.txt}, {@code 001.txt}, ...): the real
   * capture with {@code pps_allowance_exceeded} set to that value and a
   * {@code conntrack_allowance_available} line added (a driver gauge the real capture predates).
   *
   * @return the directory, to name as {@code captures:}
   */
  static Path ppsCaptures(Path dir, long... ppsValues) throws IOException {
    String real = realCapture();
    if (!real.contains("     pps_allowance_exceeded: 0\n") || !real.contains("     linklocal_allowance_exceeded: 0\n")) {
      throw new IllegalStateException(REAL_CAPTURE + " no longer has the lines this fixture edits");
    }
    Files.createDirectories(dir);
    for (int i = 0; i < ppsValues.length; i++) {
      String text = real
          .replace("     pps_allowance_exceeded: 0\n", "     pps_allowance_exceeded: " + ppsValues[i] + "\n")
          .replace("     linklocal_allowance_exceeded: 0\n",
              "     linklocal_allowance_exceeded: 0\n     conntrack_allowance_available: " + (50_000 - i) + "\n");
      Files.writeString(dir.resolve("%03d.txt".formatted(i)), text);
    }
    return dir;
  }

  static String realCapture() throws IOException {
    try (InputStream in = AgentFixture.class.getResourceAsStream(REAL_CAPTURE)) {
      if (in == null) {
        throw new IOException("test resource " + REAL_CAPTURE + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
