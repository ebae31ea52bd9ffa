package io.enareceiver.it.process;

import io.enareceiver.it.harness.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One command line of the built jar, exactly as a user types it: {@code java -jar ena-receiver.jar}
 * with any arguments (a command, {@code --version}, a config file of the test's choosing) and no
 * JVM option of ours, its stdout and stderr kept apart so a test can tell which one a line went to.
 * The environment is our own: no OTEL_* or AWS_* variable of the test JVM leaks in, and instance
 * metadata is always off, so the process can never reach 169.254.169.254. Output goes to files,
 * shown when a test fails.
 *
 * <p>Not {@link io.enareceiver.it.harness.ReceiverProcess}: that one is the receiver agent of the
 * end-to-end tests, always {@code run} on a config it writes, started in the background and waited
 * for, optionally in a network namespace, its output in one log.
 */
final class ReceiverJarCommand implements AutoCloseable {
  private final Process process;
  private final Path stdout;
  private final Path stderr;

  private ReceiverJarCommand(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  static ReceiverJarCommand start(Path workDir, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Prerequisites.javaExecutable().toString());
    command.add("-jar");
    command.add(Prerequisites.receiverJar().toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("AWS_") || k.equals("K8S_NODE_NAME"));
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    Path out = Files.createTempFile(workDir, "receiver", ".out");
    Path err = Files.createTempFile(workDir, "receiver", ".err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    return new ReceiverJarCommand(pb.start(), out, err);
  }

  /** Runs to completion (bounded) and returns the exit code. */
  int exitCode(Duration within) throws InterruptedException {
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("receiver did not exit within " + within + "\n" + output());
    }
    return process.exitValue();
  }

  Process process() {
    return process;
  }

  String stdout() {
    return read(stdout);
  }

  String stderr() {
    return read(stderr);
  }

  String output() {
    return "--- stdout ---\n" + stdout() + "\n--- stderr ---\n" + stderr();
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
