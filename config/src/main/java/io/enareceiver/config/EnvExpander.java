package io.enareceiver.config;

import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Expands {@code ${env:NAME}} and {@code ${env:NAME:-default}} inside one scalar value, and
 * {@code $$} to a literal {@code $}, the way the OpenTelemetry Collector does.
 *
 * <p>It runs on scalar values after the YAML structure has been parsed, so a variable's value
 * is always text: it can never add keys, lists or anchors to the document. As in the
 * collector, the default applies only when the variable is unset (an empty variable stays
 * empty), and a {@code $} that does not start a reference is kept as it is.
 */
final class EnvExpander {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final String FORMS =
      "expected ${env:NAME} or ${env:NAME:-default} (write $$ for a literal $)";

  private final Function<String, String> env;

  EnvExpander(Function<String, String> env) {
    this.env = env;
  }

  /** A value after expansion; {@code referenced} tells whether any variable was read. */
  record Expansion(String value, boolean referenced) {}

  /**
   * @throws IllegalArgumentException naming the variable when it is unset and has no default,
   *     or describing a malformed reference
   */
  Expansion expand(String raw) {
    if (raw.indexOf('$') < 0) {
      return new Expansion(raw, false);
    }
    StringBuilder out = new StringBuilder(raw.length());
    boolean referenced = false;
    int i = 0;
    while (i < raw.length()) {
      char c = raw.charAt(i);
      char next = i + 1 < raw.length() ? raw.charAt(i + 1) : 0;
      if (c != '$' || (next != '$' && next != '{')) {
        out.append(c);
        i++;
      } else if (next == '$') {
        out.append('$');
        i += 2;
      } else {
        int close = raw.indexOf('}', i + 2);
        if (close < 0) {
          throw new IllegalArgumentException("unterminated '${' in '" + raw + "': " + FORMS);
        }
        out.append(resolve(raw.substring(i + 2, close)));
        referenced = true;
        i = close + 1;
      }
    }
    return new Expansion(out.toString(), referenced);
  }

  private String resolve(String reference) {
    if (!reference.startsWith("env:")) {
      throw new IllegalArgumentException(
          "unsupported reference '${" + reference + "}': " + FORMS);
    }
    String body = reference.substring("env:".length());
    int split = body.indexOf(":-");
    String name = split < 0 ? body : body.substring(0, split);
    String fallback = split < 0 ? null : body.substring(split + 2);
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "'" + name + "' in '${" + reference + "}' is not an environment variable name"
              + " (letters, digits and _, not starting with a digit)");
    }
    String value = env.apply(name);
    if (value != null) {
      return value;
    }
    if (fallback == null) {
      throw new IllegalArgumentException(
          "environment variable " + name + " is not set; set it, or give a default with ${env:"
              + name + ":-default}");
    }
    return fallback;
  }
}
