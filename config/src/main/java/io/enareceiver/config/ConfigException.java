package io.enareceiver.config;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration that cannot be used. Carries every problem found, not just the first, so a
 * user fixes the file in one round instead of one error per restart.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<ConfigProblem> problems;

  public ConfigException(List<ConfigProblem> problems) {
    super(render(sorted(problems)));
    this.problems = sorted(problems);
  }

  static ConfigException of(String file, int line, String keyPath, String message) {
    return new ConfigException(List.of(new ConfigProblem(file, line, keyPath, message)));
  }

  /** The problems in file order (whole-file problems first). */
  public List<ConfigProblem> problems() {
    return problems;
  }

  private static List<ConfigProblem> sorted(List<ConfigProblem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    // Stable sort: problems on the same line keep the order in which they were found.
    return problems.stream().sorted(Comparator.comparingInt(ConfigProblem::line)).toList();
  }

  private static String render(List<ConfigProblem> problems) {
    return problems.stream().map(ConfigProblem::format).collect(Collectors.joining("\n"));
  }
}
