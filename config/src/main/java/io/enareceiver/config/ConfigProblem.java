package io.enareceiver.config;

/**
 * One thing wrong with a configuration file.
 *
 * @param file the file as the user named it (or the source name given to {@link ConfigLoader#parse})
 * @param line 1-based line of the offending node; 0 when the problem concerns the whole file
 * @param keyPath dotted key path such as {@code receivers.ethtool.replay[1].captures}; empty for
 *     the whole file
 * @param message what is wrong and what was expected
 */
public record ConfigProblem(String file, int line, String keyPath, String message) {

  /** {@code file:line: key.path: message}, leaving out the line and key path when there are none. */
  public String format() {
    StringBuilder text = new StringBuilder(file);
    if (line > 0) {
      text.append(':').append(line);
    }
    text.append(": ");
    if (keyPath != null && !keyPath.isEmpty()) {
      text.append(keyPath).append(": ");
    }
    return text.append(message).toString();
  }
}
