package io.enareceiver.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns a replay entry's {@code captures} into the capture files, sorted by file name (capture
 * files are named so that this is their recording order):
 *
 * <ul>
 *   <li>{@code builtin:<scenario>}: shipped inside the receiver; resolved there, so no files here;
 *   <li>a directory: every regular file in it whose name does not start with a dot;
 *   <li>a single file;
 *   <li>a glob such as {@code captures/dns/*.txt} ({@code *}, {@code ?}, {@code [..]},
 *       {@code {a,b}}, {@code **} across directories).
 * </ul>
 *
 * Relative paths are relative to the config file's directory, so a config and its captures can
 * be moved together.
 */
final class CaptureResolver {
  private CaptureResolver() {}

  private static final Pattern SCENARIO = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Comparator<Path> BY_FILE_NAME =
      Comparator.comparing((Path p) -> p.getFileName().toString()).thenComparing(Path::toString);
  /** Enough for any sensible layout; bounds the walk when a glob contains {@code **}. */
  private static final int MAX_GLOB_DEPTH = 8;

  /**
   * @throws IllegalArgumentException saying what does not exist or matched nothing
   */
  static List<Path> resolve(String captures, Path baseDir) {
    if (captures.startsWith(ReplayConfig.BUILTIN_PREFIX)) {
      String scenario = captures.substring(ReplayConfig.BUILTIN_PREFIX.length());
      if (!SCENARIO.matcher(scenario).matches()) {
        throw new IllegalArgumentException(
            "expected builtin:<scenario> such as builtin:dns-throttling, found '" + captures + "'");
      }
      return List.of();
    }
    try {
      return hasGlob(captures) ? glob(captures, baseDir) : fileOrDirectory(baseDir.resolve(captures));
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("'" + captures + "' is not a valid path: " + e.getReason());
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalArgumentException("cannot read captures '" + captures + "': " + e.getMessage());
    }
  }

  private static boolean hasGlob(String text) {
    return text.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }

  private static List<Path> fileOrDirectory(Path path) throws IOException {
    Path normalized = path.normalize();
    if (Files.isRegularFile(normalized)) {
      return List.of(normalized);
    }
    if (!Files.isDirectory(normalized)) {
      throw new IllegalArgumentException(
          Files.exists(normalized)
              ? normalized + " is neither a regular file nor a directory"
              : "no such file or directory: " + normalized);
    }
    try (Stream<Path> entries = Files.list(normalized)) {
      List<Path> files =
          entries
              .filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .sorted(BY_FILE_NAME)
              .toList();
      if (files.isEmpty()) {
        throw new IllegalArgumentException("directory " + normalized + " contains no capture files");
      }
      return files;
    }
  }

  private static List<Path> glob(String captures, Path baseDir) throws IOException {
    // Walk from the deepest directory that has no glob characters, matching the rest.
    String[] segments = captures.split("/", -1);
    int firstGlob = 0;
    while (!hasGlob(segments[firstGlob])) {
      firstGlob++;
    }
    String fixed = String.join("/", java.util.Arrays.copyOfRange(segments, 0, firstGlob));
    String rest = String.join("/", java.util.Arrays.copyOfRange(segments, firstGlob, segments.length));
    Path root = (captures.startsWith("/") ? Path.of("/" + fixed) : baseDir.resolve(fixed)).normalize();
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("no such directory: " + root + " (from '" + captures + "')");
    }
    PathMatcher matcher;
    try {
      matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("'" + captures + "' is not a valid glob: " + e.getMessage());
    }
    int depth = rest.contains("**") ? MAX_GLOB_DEPTH : segments.length - firstGlob;
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root, depth)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(p -> matcher.matches(root.relativize(p)))
              .sorted(BY_FILE_NAME)
              .toList();
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("'" + captures + "' matches no file (looked in " + root + ")");
    }
    return files;
  }
}
