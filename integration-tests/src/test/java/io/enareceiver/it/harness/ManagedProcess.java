package io.enareceiver.it.harness;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A child process a test owns: started with its own arguments and environment, its stdout and
 * stderr appended to one log file, waited on with a deadline, and stopped with SIGTERM then SIGKILL.
 *
 * <p>Every failure message carries the process state and the tail of its log, because "timed out"
 * alone says nothing about why a collector did not come up. Processes still running when the JVM
 * exits (a test that forgot to close, an aborted run) are killed by a shutdown hook, so no stray
 * collector or Prometheus outlives the build.
 */
public final class ManagedProcess implements AutoCloseable {
  /** Lines of log shown in failure messages. */
  public static final int TAIL_LINES = 40;

  private static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
  private static final int TAIL_BYTES = 64 * 1024;
  private static final Set<ManagedProcess> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ManagedProcess::killNow),
        "managed-process-reaper"));
  }

  private final String name;
  private final List<String> command;
  private final Path logFile;
  private final Process process;

  private ManagedProcess(String name, List<String> command, Path logFile, Process process) {
    this.name = name;
    this.command = command;
    this.logFile = logFile;
    this.process = process;
  }

  /** Describes a process to start; {@code name} appears in messages. */
  public static Builder builder(String name, Path executable) {
    return new Builder(name, executable);
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public Path logFile() {
    return logFile;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** A {@link Poll} that gives up as soon as this process exits and shows its log on failure. */
  public Poll poll(String what) {
    return Poll.waitingFor(what + " from " + name)
        .failFastWhen(() -> process.isAlive() ? null : name + " exited with code " + process.exitValue())
        .context(this::describe);
  }

  /** Waits until {@code ready} answers true, failing early if the process exits. */
  public void awaitReady(String what, Duration timeout, Callable<Boolean> ready) {
    poll(what).atMost(timeout).until(ready);
  }

  /**
   * Stops the process: SIGTERM, up to {@code grace} to exit, then SIGKILL (for it and anything it
   * spawned). Returns the exit code; safe to call more than once.
   */
  public int stop(Duration grace) {
    try {
      if (process.isAlive()) {
        process.destroy(); // SIGTERM: lets the collector flush and Prometheus close its TSDB
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          note("did not exit within " + grace.toSeconds() + "s of SIGTERM; sending SIGKILL");
          killNow();
        }
      }
      int code = process.waitFor();
      if (LIVE.remove(this)) {
        note("stopped, exit code " + code);
      }
      return code;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      killNow();
      throw new IllegalStateException("interrupted while stopping " + name, e);
    }
  }

  /**
   * Waits for the process to exit by itself and returns its exit code; fails with the log tail
   * when it is still running after {@code timeout} (and kills it, so nothing outlives the test).
   */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        String state = describe();
        killNow();
        throw new AssertionError(name + " did not exit within " + timeout.toSeconds() + " s\n" + state);
      }
      LIVE.remove(this);
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      killNow();
      throw new IllegalStateException("interrupted while waiting for " + name + " to exit", e);
    }
  }

  /** Stops with the default grace period (10 s). */
  public int stop() {
    return stop(DEFAULT_GRACE);
  }

  @Override
  public void close() {
    stop();
  }

  /** The last {@code lines} lines of the log (reads at most the last 64 KiB). */
  public String logTail(int lines) {
    return tail(logFile, lines);
  }

  /** State, command and log tail: what a person needs to see when something about it went wrong. */
  public String describe() {
    String state = process.isAlive() ? "running" : "exited with code " + process.exitValue();
    return name + " (pid " + process.pid() + ", " + state + ")\n  command: " + String.join(" ", command)
        + "\n  last " + TAIL_LINES + " lines of " + logFile + ":\n" + indent(logTail(TAIL_LINES));
  }

  @Override
  public String toString() {
    return name + "[pid " + process.pid() + "]";
  }

  private void killNow() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private void note(String line) {
    appendMarker(logFile, "stopping " + name + ": " + line);
  }

  static String tail(Path file, int lines) {
    if (!Files.exists(file)) {
      return "(no log file " + file + ")";
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      int size = (int) Math.min(length, TAIL_BYTES);
      byte[] bytes = new byte[size];
      raf.seek(length - size);
      raf.readFully(bytes);
      String[] all = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
      int end = all.length > 0 && all[all.length - 1].isEmpty() ? all.length - 1 : all.length;
      int start = Math.max(0, end - lines);
      return end == 0 ? "(log is empty)" : String.join("\n", java.util.Arrays.asList(all).subList(start, end));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  private static String indent(String text) {
    return "    " + text.replace("\n", "\n    ");
  }

  private static void appendMarker(Path logFile, String text) {
    try {
      Files.writeString(logFile, "### " + Instant.now() + " " + text + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to " + logFile, e);
    }
  }

  /** What to start. Arguments and environment are copied at {@link #start()}. */
  public static final class Builder {
    private final String name;
    private final Path executable;
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private Path workingDirectory;
    private Path logFile;

    private Builder(String name, Path executable) {
      this.name = Objects.requireNonNull(name, "name");
      this.executable = Objects.requireNonNull(executable, "executable");
    }

    public Builder arg(String arg) {
      args.add(Objects.requireNonNull(arg, "arg"));
      return this;
    }

    public Builder args(List<String> more) {
      more.forEach(this::arg);
      return this;
    }

    /** Adds or replaces an environment variable (the child inherits the rest of this JVM's). */
    public Builder env(String key, String value) {
      env.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value of " + key));
      return this;
    }

    public Builder env(Map<String, String> more) {
      more.forEach(this::env);
      return this;
    }

    public Builder workingDirectory(Path dir) {
      this.workingDirectory = dir;
      return this;
    }

    /** Log file for stdout and stderr, appended to (a restarted process keeps one log). */
    public Builder logFile(Path file) {
      this.logFile = file;
      return this;
    }

    public ManagedProcess start() {
      List<String> command = new ArrayList<>();
      command.add(executable.toString());
      command.addAll(args);
      Path log = logFile != null ? logFile : WorkDirs.fresh(name).resolve(name + ".log");
      try {
        Files.createDirectories(log.toAbsolutePath().getParent());
        appendMarker(log, "starting " + name + ": " + String.join(" ", command)
            + (env.isEmpty() ? "" : "\n### env: " + env));
        ProcessBuilder builder = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (workingDirectory != null) {
          builder.directory(workingDirectory.toFile());
        }
        builder.environment().putAll(env);
        ManagedProcess started = new ManagedProcess(name, List.copyOf(command), log, builder.start());
        LIVE.add(started);
        return started;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command)
            + " (log " + log + ")", e);
      }
    }
  }
}
