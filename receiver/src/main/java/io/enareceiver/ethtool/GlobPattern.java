package io.enareceiver.ethtool;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A shell-style glob over a whole name: {@code *} any run of characters, {@code ?} one
 * character, {@code [abc]}, {@code [a-z]} and {@code [!a]} one character of (not of) a set.
 * Stand-in until the config module's {@code InterfacePattern} exists.
 */
final class GlobPattern {
  private final String glob;
  private final Pattern regex;

  private GlobPattern(String glob, Pattern regex) {
    this.glob = glob;
    this.regex = regex;
  }

  /** @throws IllegalArgumentException for an unclosed {@code [} or an empty pattern */
  static GlobPattern compile(String glob) {
    Objects.requireNonNull(glob, "glob");
    if (glob.isEmpty()) {
      throw new IllegalArgumentException("empty interface pattern");
    }
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        case '[' -> {
          int close = glob.indexOf(']', i + 2);
          if (close < 0) {
            throw new IllegalArgumentException("pattern \"" + glob + "\": '[' at position " + i
                + " has no closing ']'");
          }
          String set = glob.substring(i + 1, close);
          re.append('[');
          int start = 0;
          if (set.charAt(0) == '!' || set.charAt(0) == '^') {
            re.append('^');
            start = 1;
          }
          for (int j = start; j < set.length(); j++) {
            char s = set.charAt(j);
            if (s == '-' && j > start && j < set.length() - 1) {
              re.append('-');
            } else {
              // Letters and digits as they are; anything else by code point so no character
              // can mean something to the regex engine inside a class.
              re.append(Character.isLetterOrDigit(s) ? String.valueOf(s) : "\\x{" + Integer.toHexString(s) + "}");
            }
          }
          re.append(']');
          i = close;
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new GlobPattern(glob, Pattern.compile(re.toString(), Pattern.DOTALL));
  }

  boolean matches(String name) {
    return regex.matcher(name).matches();
  }

  @Override
  public String toString() {
    return glob;
  }
}
