package io.enareceiver.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The receiver as users run it: {@code java -jar ena-receiver.jar run --config FILE}, a separate
 * process with its own environment, optionally inside a network namespace
 * ({@code ip netns exec NS java ...}) so that it sees that namespace's interfaces.
 *
 * <p>IMDS is never left to its default address: the builder requires either a local endpoint
 * ({@link Builder#imds}) or {@link Builder#noImds()}, and starting without one is an error. Any
 * {@code AWS_EC2_METADATA_*} variable inherited from the test JVM is overridden.
 *
 * <p>For a single command line of the jar (any arguments, stdout and stderr apart), see
 * {@code io.enareceiver.it.process.ReceiverJarCommand}.
 */
public final class ReceiverProcess implements AutoCloseable {
  /** "... started: sampling every 1s, ...; health on http://127.0.0.1:34567/readyz" (RunCommand). */
  private static final Pattern STARTED = Pattern.compile("started: sampling every .*health on http://([^/\\s]+)/readyz");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final String name;
  private final Path configFile;
  private final ManagedProcess process;

  private ReceiverProcess(String name, Path configFile, ManagedProcess process) {
    this.name = name;
    this.configFile = configFile;
    this.process = process;
  }

  /** A receiver that will run {@code configYaml} (written to its own work directory). */
  public static Builder builder(String name, String configYaml) {
    return new Builder(name, configYaml);
  }

  public ManagedProcess process() {
    return process;
  }

  public Path configFile() {
    return configFile;
  }

  /** The log so far (stdout and stderr). */
  public String log() {
    try {
      return Files.readString(process.logFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + process.logFile(), e);
    }
  }

  /** Blocks until the process exits by itself and returns the exit code. */
  public int awaitExit(Duration timeout) {
    return process.awaitExit(timeout);
  }

  /** SIGTERM (final export), SIGKILL after 10 s; returns the exit code. */
  public int stop() {
    return process.stop();
  }

  public String describe() {
    return process.describe() + "\n  config " + configFile;
  }

  @Override
  public void close() {
    process.stop();
  }

  @Override
  public String toString() {
    return name + "[" + process + "]";
  }

  /** What to run. */
  public static final class Builder {
    private final String name;
    private final String configYaml;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> jvmArgs = new ArrayList<>();
    private String imdsChoice;
    private String netns;

    private Builder(String name, String configYaml) {
      this.name = Objects.requireNonNull(name, "name");
      this.configYaml = Objects.requireNonNull(configYaml, "configYaml");
    }

    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    /** IMDS is a local fake (e.g. FakeImds) at {@code endpoint}, which must be on loopback. */
    public Builder imds(URI endpoint) {
      if (!"127.0.0.1".equals(endpoint.getHost())) {
        throw new IllegalArgumentException("IMDS in tests must be a loopback fake, not " + endpoint);
      }
      imdsChoice = endpoint.toString();
      return this;
    }

    /** No IMDS at all: identity labels stay absent. */
    public Builder noImds() {
      imdsChoice = "";
      return this;
    }

    /** Runs the JVM inside network namespace {@code name} ({@code ip netns exec}). */
    public Builder inNamespace(String namespace) {
      this.netns = Objects.requireNonNull(namespace, "namespace");
      return this;
    }

    /** Starts the process and waits for its "started" log line (after the first export). */
    public ReceiverProcess start() {
      ReceiverProcess receiver = launch();
      try {
        receiver.process.awaitReady("the \"started\" log line", START_TIMEOUT,
            () -> STARTED.matcher(receiver.log()).find());
      } catch (RuntimeException | AssertionError notStarted) {
        receiver.process.stop();
        throw notStarted;
      }
      return receiver;
    }

    /** Starts the process without waiting: for runs that are expected to exit (bad input). */
    public ReceiverProcess launch() {
      if (imdsChoice == null) {
        throw new IllegalStateException("say where IMDS is: imds(local fake) or noImds(); a test must never "
            + "reach the real instance metadata service");
      }
      Path jar = Prerequisites.receiverJar();
      Path java = Prerequisites.javaExecutable();
      Path dir = WorkDirs.fresh(name);
      Path config = dir.resolve("receiver.yaml");
      try {
        Files.writeString(config, configYaml);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + config, e);
      }
      ManagedProcess.Builder b;
      if (netns == null) {
        b = ManagedProcess.builder(name, java);
      } else {
        b = ManagedProcess.builder(name, ip()).arg("netns").arg("exec").arg(netns).arg(java.toString());
      }
      b.arg("--enable-native-access=ALL-UNNAMED")
          .arg("-Xmx128m")
          .args(jvmArgs)
          .arg("-jar").arg(jar.toString())
          .arg("run").arg("--config").arg(config.toString())
          .workingDirectory(dir)
          .logFile(dir.resolve(name + ".log"))
          .env(env);
      if (imdsChoice.isEmpty()) {
        b.env("AWS_EC2_METADATA_DISABLED", "true").env("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1");
      } else {
        b.env("AWS_EC2_METADATA_DISABLED", "false").env("AWS_EC2_METADATA_SERVICE_ENDPOINT", imdsChoice);
      }
      return new ReceiverProcess(name, config, b.start());
    }

    private static Path ip() {
      for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
        Path candidate = Path.of(dir, "ip");
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
      Prerequisites.unavailable("'ip' (iproute2) is needed to run the receiver in a network namespace");
      throw new IllegalStateException("unreachable");
    }
  }

  /** The health endpoint the receiver logged at start (it binds 127.0.0.1:0 in tests), or null. */
  public String healthAddress() {
    Matcher m = STARTED.matcher(log());
    return m.find() ? m.group(1) : null;
  }
}
