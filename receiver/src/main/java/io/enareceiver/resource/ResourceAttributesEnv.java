package io.enareceiver.resource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses {@code OTEL_RESOURCE_ATTRIBUTES}: {@code key=value} pairs separated by commas, values
 * percent-encoded. As the OpenTelemetry SDK configuration spec asks, a value with any malformed
 * entry is discarded whole (a half-applied list is harder to notice than none), and the error
 * names the entry. Entries with an empty key or value are dropped, since no attribute may be an
 * empty string.
 */
final class ResourceAttributesEnv {
  static final String ENV = "OTEL_RESOURCE_ATTRIBUTES";
  static final int MAX_KEY_LENGTH = 255;

  private ResourceAttributesEnv() {}

  /** The parsed attributes in their written order; later duplicates win. */
  static Map<String, String> parse(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isBlank()) {
      return out;
    }
    for (String entry : raw.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(ENV + ": entry '" + entry.strip() + "' is not key=value");
      }
      String key = entry.substring(0, eq).strip();
      String value = decode(entry.substring(eq + 1).strip(), entry.strip());
      if (key.isEmpty()) {
        throw new IllegalArgumentException(ENV + ": entry '" + entry.strip() + "' has an empty key");
      }
      if (!isValidKey(key)) {
        // Resource.create throws on such a key; found by ResourceFactoryTest.noAttributeIsEverEmpty.
        throw new IllegalArgumentException(ENV + ": entry '" + entry.strip()
            + "' has a key that is not printable ASCII of at most " + MAX_KEY_LENGTH + " characters");
      }
      if (value.isEmpty()) {
        out.remove(key);
        continue;
      }
      out.put(key, value);
    }
    return out;
  }

  /** Percent-decoding as in the W3C Baggage format: {@code %XX} only; '+' stays '+'. */
  private static String decode(String text, String entry) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        int hi = i + 1 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
        int lo = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          throw badEscape(entry);
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else {
        int codePoint = text.codePointAt(i);
        bytes.writeBytes(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(codePoint) - 1;
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(ENV + ": entry '" + entry + "' does not decode to UTF-8 text");
    }
  }

  /** OpenTelemetry's rule for attribute keys: printable ASCII, 1 to 255 characters. */
  private static boolean isValidKey(String key) {
    if (key.length() > MAX_KEY_LENGTH) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < ' ' || c > '~') {
        return false;
      }
    }
    return true;
  }

  private static IllegalArgumentException badEscape(String entry) {
    return new IllegalArgumentException(
        ENV + ": entry '" + entry + "' has a '%' not followed by two hex digits (write %25 for a literal %)");
  }
}
