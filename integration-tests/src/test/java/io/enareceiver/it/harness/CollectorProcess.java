package io.enareceiver.it.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The test collector ({@code integration-tests/target/collector/otelcol}, built by
 * {@code .ci/build-collector}) running one config file.
 *
 * <p>The config takes its ports from environment variables ({@code ${env:NAME}}), which the test
 * allocates with {@link FreePorts} and passes with {@link Builder#env}. The collector must enable
 * the {@code health_check} extension on the port given to {@link Builder#healthPort}: start waits
 * until it answers 200. Its own telemetry listens on {@code :8888} unless the config moves or
 * disables it ({@code service.telemetry.metrics.level: none}); other agents on a node, and other
 * tests here, may hold that port.
 *
 * <p>{@link #stop()} and {@link #start()} can alternate: the same config, environment and ports are
 * reused and the log file continues, which is what an outage scenario needs.
 */
public final class CollectorProcess implements AutoCloseable {
  /** System property naming the binary; the Maven profile e2e sets it. */
  public static final String BINARY_PROPERTY = "collector.binary";

  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(60);

  private final Path binary;
  private final Path config;
  private final String name;
  private final List<String> extraArgs;
  private final Map<String, String> env;
  private final int healthPort;
  private final Path logFile;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private ManagedProcess process;
  private int starts;

  private CollectorProcess(Builder b, Path binary) {
    this.binary = binary;
    this.config = b.config.toAbsolutePath().normalize();
    this.name = b.name;
    this.extraArgs = List.copyOf(b.extraArgs);
    this.env = Map.copyOf(b.env);
    this.healthPort = b.healthPort;
    this.logFile = WorkDirs.fresh(b.name).resolve(b.name + ".log");
  }

  /**
   * The collector binary, or a skip (a failure under {@code -Dena.requireRoot=true}) that says to
   * build it.
   */
  public static Path binary() {
    Path fallback = WorkDirs.repositoryRoot().resolve("integration-tests/target/collector/otelcol");
    return Prerequisites.executable(BINARY_PROPERTY, fallback.toString(),
        "build the test collector first with .ci/build-collector (needs Go; minutes when cold, "
            + "cached afterwards)");
  }

  /** Describes a collector running {@code config}. */
  public static Builder builder(Path config) {
    return new Builder(config);
  }

  /** Starts (or restarts after {@link #stop()}) and waits for the health check to answer 200. */
  public synchronized CollectorProcess start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
    }
    starts++;
    List<String> args = new ArrayList<>();
    args.add("--config=" + config);
    args.addAll(extraArgs);
    process = ManagedProcess.builder(name, binary).args(args).env(env).logFile(logFile).start();
    try {
      process.awaitReady("health check on " + healthUrl() + " (start #" + starts + ")", HEALTH_TIMEOUT,
          this::healthy);
    } catch (RuntimeException | AssertionError notReady) {
      process.stop(); // the caller never gets a handle to close: do not leave it running
      throw notReady;
    }
    return this;
  }

  /** SIGTERM (the collector drains its pipelines), SIGKILL after 10 s; returns the exit code. */
  public synchronized int stop() {
    if (process == null) {
      throw new IllegalStateException(name + " was never started");
    }
    return process.stop();
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** True when the health check answers 200 now. */
  public boolean healthy() {
    try {
      HttpResponse<Void> response = http.send(
          HttpRequest.newBuilder(URI.create(healthUrl())).timeout(Duration.ofSeconds(2)).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public String healthUrl() {
    return "http://" + FreePorts.loopback(healthPort) + "/";
  }

  public Path config() {
    return config;
  }

  public Path logFile() {
    return logFile;
  }

  /** The whole log so far (all starts), for assertions on what the debug exporter printed. */
  public String log() {
    try {
      return Files.readString(logFile);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + logFile, e);
    }
  }

  /** State and log tail, for failure messages ({@link Poll#context}). */
  public synchronized String describe() {
    return process == null ? name + " (never started), config " + config
        : process.describe() + "\n  config: " + config;
  }

  /** A {@link Poll} whose failure message shows this collector's state and log. */
  public Poll poll(String what) {
    return Poll.waitingFor(what).context(this::describe);
  }

  @Override
  public synchronized void close() {
    if (process != null) {
      process.stop();
    }
  }

  @Override
  public String toString() {
    return name + "(" + config.getFileName() + ", health " + healthPort + ")";
  }

  /** What to run; {@link #start()} checks the binary and starts it. */
  public static final class Builder {
    private final Path config;
    private final List<String> extraArgs = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private String name = "collector";
    private int healthPort = -1;

    private Builder(Path config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** Environment variable for the config's {@code ${env:KEY}}. */
    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    /** Extra command-line arguments, e.g. {@code --set=processors::batch::timeout=1s}. */
    public Builder arg(String arg) {
      extraArgs.add(arg);
      return this;
    }

    /** Port of the health_check extension (loopback), polled until it answers 200. */
    public Builder healthPort(int port) {
      this.healthPort = port;
      return this;
    }

    /** Name used for the log directory and in messages (default "collector"). */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Finds the binary (skipping or failing when absent), starts it and waits until healthy. */
    public CollectorProcess start() {
      if (healthPort <= 0) {
        throw new IllegalStateException("healthPort is required: the collector is ready when its "
            + "health_check extension answers");
      }
      if (!Files.isRegularFile(config)) {
        throw new IllegalArgumentException("collector config " + config.toAbsolutePath() + " does not exist");
      }
      return new CollectorProcess(this, binary()).start();
    }
  }
}
