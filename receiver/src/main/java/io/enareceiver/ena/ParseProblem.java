package io.enareceiver.ena;

import java.util.Objects;

/**
 * A line of a capture that is not a statistic and was skipped.
 *
 * @param line 1-based line number in the capture
 * @param text the line as read, shortened to {@link #MAX_TEXT} characters so a hostile line
 *             cannot blow up log messages
 * @param why  what was wrong, in words, e.g. {@code value above 2^64-1}
 */
public record ParseProblem(int line, String text, String why) {
  /** Longest excerpt of the offending line kept for messages. */
  public static final int MAX_TEXT = 120;

  public ParseProblem {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(why, "why");
    if (text.length() > MAX_TEXT) {
      text = text.substring(0, MAX_TEXT) + "...";
    }
  }

  /** {@code source:line: why: "text"}, the form an editor can jump to. */
  public String format(String source) {
    return source + ":" + line + ": " + why + (text.isEmpty() ? "" : ": \"" + text + "\"");
  }
}
