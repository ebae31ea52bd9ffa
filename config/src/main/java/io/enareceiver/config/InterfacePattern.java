package io.enareceiver.config;

import java.util.regex.Pattern;

/**
 * A shell-style glob on a name (an interface name such as {@code veth*}, or an ethtool stat
 * name such as {@code queue_*_rx_cnt}): {@code *} matches any run of characters, {@code ?} one
 * character, {@code [abc]} / {@code [a-z]} one of a set and {@code [!abc]} one outside it;
 * {@code \} makes the next character literal. The whole name must match.
 */
public final class InterfacePattern {
  private final String glob;
  private final Pattern regex;

  private InterfacePattern(String glob, Pattern regex) {
    this.glob = glob;
    this.regex = regex;
  }

  /**
   * @throws IllegalArgumentException saying what is wrong with the pattern (the config loader
   *     reports it with the file, line and key)
   */
  public static InterfacePattern compile(String glob) {
    if (glob == null || glob.isEmpty()) {
      throw new IllegalArgumentException("expected a name pattern such as eth*, found an empty value");
    }
    StringBuilder regex = new StringBuilder(glob.length() + 8);
    int i = 0;
    while (i < glob.length()) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        case '[' -> i = appendSet(glob, i, regex);
        case '\\' -> {
          if (i + 1 == glob.length()) {
            throw new IllegalArgumentException("pattern '" + glob + "' ends with a lone \\");
          }
          i++;
          regex.append(Pattern.quote(String.valueOf(glob.charAt(i))));
        }
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
      i++;
    }
    try {
      return new InterfacePattern(glob, Pattern.compile(regex.toString(), Pattern.DOTALL));
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new IllegalArgumentException("pattern '" + glob + "' is not a valid glob", e);
    }
  }

  /** Appends a character set starting at {@code open}; returns the index of its closing ']'. */
  private static int appendSet(String glob, int open, StringBuilder regex) {
    int i = open + 1;
    boolean negated = i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^');
    if (negated) {
      i++;
    }
    StringBuilder set = new StringBuilder();
    boolean first = true;
    while (i < glob.length() && (glob.charAt(i) != ']' || first)) {
      char from = glob.charAt(i);
      if (i + 2 < glob.length() && glob.charAt(i + 1) == '-' && glob.charAt(i + 2) != ']') {
        char to = glob.charAt(i + 2);
        if (to < from) {
          throw new IllegalArgumentException(
              "pattern '" + glob + "' has a backwards range [" + from + "-" + to + "]");
        }
        set.append(escapeInSet(from)).append('-').append(escapeInSet(to));
        i += 3;
      } else {
        set.append(escapeInSet(from));
        i++;
      }
      first = false;
    }
    if (i >= glob.length()) {
      throw new IllegalArgumentException("pattern '" + glob + "' has a '[' without a closing ']'");
    }
    regex.append('[').append(negated ? "^" : "").append(set).append(']');
    return i;
  }

  private static String escapeInSet(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        ? String.valueOf(c)
        : String.format("\\x{%x}", (int) c);
  }

  public boolean matches(String name) {
    return regex.matcher(name).matches();
  }

  /** The pattern as written. */
  public String glob() {
    return glob;
  }

  @Override
  public String toString() {
    return glob;
  }
}
