package io.enareceiver;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The receiver's version, from the jar (filtered {@code version.properties}, else the manifest). */
public final class ReceiverVersion {
  private static final String VERSION = load();

  private ReceiverVersion() {}

  /** The version, or {@code unknown} when the build did not record one (running from classes). */
  public static String get() {
    return VERSION;
  }

  /** The version, or null when unknown: for attributes, which must never be placeholders. */
  public static String orNull() {
    return VERSION.equals("unknown") ? null : VERSION;
  }

  private static String load() {
    try (InputStream in = ReceiverVersion.class.getResourceAsStream("/io/enareceiver/version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version", "").strip();
        if (!v.isEmpty() && !v.startsWith("${")) {
          return v;
        }
      }
    } catch (IOException e) {
      // fall through to the manifest
    }
    String fromManifest = ReceiverVersion.class.getPackage().getImplementationVersion();
    return fromManifest != null ? fromManifest : "unknown";
  }

  /** What {@code --version} prints: {@code ena-receiver 0.1.0 (Java 25+36-LTS)}. */
  public static String versionLine() {
    return "ena-receiver " + get() + " (Java " + Runtime.version() + ")";
  }
}
