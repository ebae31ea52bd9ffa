package io.enareceiver.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the end-to-end tests keep process logs and data: {@code target/e2e/<run>/} of the
 * integration-tests module (system property {@code e2e.workDir}, set by the Maven profile), so that
 * a failed CI run leaves every log behind next to the failsafe reports.
 */
public final class WorkDirs {
  private WorkDirs() {}

  /** Root of the end-to-end working files. */
  public static Path root() {
    String configured = System.getProperty("e2e.workDir");
    Path root = configured == null || configured.isBlank() ? Path.of("target", "e2e") : Path.of(configured);
    return root.toAbsolutePath().normalize();
  }

  /** A fresh directory {@code <root>/<name>-<n>} (numbered so reruns never mix logs). */
  public static Path fresh(String name) {
    Path root = root();
    try {
      Files.createDirectories(root);
      for (int n = 1; ; n++) {
        Path dir = root.resolve(name + "-" + n);
        try {
          return Files.createDirectory(dir);
        } catch (java.nio.file.FileAlreadyExistsException taken) {
          // next number
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a working directory under " + root, e);
    }
  }

  /** The repository root (system property {@code repo.root}; default: the parent of the module). */
  public static Path repositoryRoot() {
    String configured = System.getProperty("repo.root");
    Path root = configured == null || configured.isBlank() ? Path.of("..") : Path.of(configured);
    return root.toAbsolutePath().normalize();
  }
}
