package io.enareceiver.it.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the external programs the end-to-end tests run. A missing one skips the test with a message
 * that says how to get it; with {@code -Dena.requireRoot=true} (CI, which must run everything) it
 * fails the test instead, so a broken CI setup can never pass by skipping.
 */
public final class Prerequisites {
  /** System property CI sets so that anything missing fails rather than skips. */
  public static final String REQUIRE_PROPERTY = "ena.requireRoot";

  private Prerequisites() {}

  /** True when the run must not skip (CI). */
  public static boolean required() {
    return Boolean.getBoolean(REQUIRE_PROPERTY);
  }

  /**
   * Resolves an executable named by a system property (a path, or a bare name looked up on PATH).
   *
   * @param property   system property naming the executable
   * @param fallback   value when the property is unset or blank
   * @param howToGetIt what to run to provide it, quoted in the skip or failure message
   */
  public static Path executable(String property, String fallback, String howToGetIt) {
    String configured = System.getProperty(property);
    String name = configured == null || configured.isBlank() ? fallback : configured.strip();
    Optional<Path> found = resolve(name);
    if (found.isEmpty()) {
      unavailable(name + " (system property " + property + ") is not an executable file; " + howToGetIt);
    }
    return found.orElseThrow();
  }

  /**
   * The receiver's runnable jar (system property {@code receiver.jar}, set by the Maven profile e2e),
   * or a skip/failure that says how to build it.
   */
  public static Path receiverJar() {
    String configured = System.getProperty("receiver.jar");
    Path jar = configured == null || configured.isBlank()
        ? WorkDirs.repositoryRoot().resolve("receiver/target/ena-receiver.jar")
        : Path.of(configured).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      unavailable(jar + " (system property receiver.jar) does not exist; build it with "
          + "./mvnw -B -pl receiver -am package -DskipTests");
    }
    return jar;
  }

  /** The java launcher of this JVM (JDK 25), to run the receiver jar as a child process. */
  public static Path javaExecutable() {
    return ProcessHandle.current().info().command().map(Path::of)
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java"));
  }

  /** Skips the calling test with {@code why}, or fails it when the run must not skip. */
  public static void unavailable(String why) {
    if (required()) {
      throw new AssertionError(why + " [failing instead of skipping: -D" + REQUIRE_PROPERTY + "=true]");
    }
    Assumptions.abort(why);
  }

  static Optional<Path> resolve(String name) {
    if (name.contains("/")) {
      Path path = Path.of(name).toAbsolutePath().normalize();
      return Files.isRegularFile(path) && Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
    }
    String pathVariable = System.getenv("PATH");
    if (pathVariable == null) {
      return Optional.empty();
    }
    for (String dir : pathVariable.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
