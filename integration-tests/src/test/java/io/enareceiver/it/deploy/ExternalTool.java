package io.enareceiver.it.deploy;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool the deploy tests run (promtool, amtool, kustomize). When it is missing the
 * test skips with a message saying how to install it, or fails when CI insists
 * ({@code -Dena.requireRoot=true}, set by .ci/run after .ci/install-deploy-tools).
 */
record ExternalTool(String name, Path executable) {

  private static final String INSTALL_HINT = "run .ci/install-deploy-tools (as root)";

  /** Finds {@code name} in the extra locations, then on PATH; skips or fails when absent. */
  static ExternalTool require(String name, List<Path> extraLocations) {
    Optional<Path> found = extraLocations.stream().filter(Files::isExecutable).findFirst();
    if (found.isEmpty()) {
      String path = System.getenv().getOrDefault("PATH", "");
      for (String dir : path.split(File.pathSeparator)) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
        if (Files.isExecutable(candidate)) {
          found = Optional.of(candidate);
          break;
        }
      }
    }
    String message = name + " not found on PATH or in " + extraLocations + ": " + INSTALL_HINT;
    if (found.isEmpty() && Boolean.getBoolean("ena.requireRoot")) {
      fail(message + " (ena.requireRoot=true: CI must run this test)");
    }
    assumeTrue(found.isPresent(), message);
    return new ExternalTool(name, found.get());
  }

  static ExternalTool require(String name) {
    return require(name, List.of());
  }

  /** Runs the tool with a bounded wait; returns exit code and merged output. */
  Result run(Path workDir, String... args) {
    return run(workDir, Map.of(), args);
  }

  Result run(Path workDir, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(List.of(args));
    return exec(workDir, env, command);
  }

  static Result exec(Path workDir, Map<String, String> env, List<String> command) {
    try {
      // Output goes to a file, not a pipe, so a tool that hangs cannot block the read: the
      // bounded wait below is the only wait.
      Path log = Files.createTempFile("ena-deploy-tool", ".log");
      try {
        ProcessBuilder pb =
            new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        Process process = pb.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
          process.destroyForcibly();
          fail(command + " did not finish within 5 minutes");
        }
        return new Result(command, process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new AssertionError("could not run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    }
  }

  record Result(List<String> command, int exitCode, String output) {
    /** Fails with the command and its output unless it exited 0. */
    Result assertSuccess() {
      if (exitCode != 0) {
        fail(String.join(" ", command) + " exited " + exitCode + ":\n" + output);
      }
      return this;
    }
  }
}
