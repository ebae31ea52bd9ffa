package io.enareceiver.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/** Syntax checks for network endpoints; each returns null when fine, else what was expected. */
final class Endpoints {
  private Endpoints() {}

  private static final Pattern HOST_NAME =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,62})?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62})?)*\\.?");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");
  private static final String HOST_PORT = "expected host:port such as 127.0.0.1:13133, [::1]:13133 or :0";

  /**
   * {@code host:port}: host is a name, an IPv4 address, a bracketed IPv6 address or empty (every
   * address); port is 0 to 65535 (0 = any free port).
   */
  static String checkHostPort(String text) {
    String host;
    String port;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
        return HOST_PORT + ", found '" + NodeReader.abbreviate(text) + "'";
      }
      host = text.substring(1, close);
      port = text.substring(close + 2);
      if (!IPV6.matcher(host).matches() || !host.contains(":")) {
        return "'" + NodeReader.abbreviate(host) + "' is not an IPv6 address; " + HOST_PORT;
      }
    } else {
      int colon = text.lastIndexOf(':');
      if (colon < 0) {
        return HOST_PORT + " (the port is missing), found '" + NodeReader.abbreviate(text) + "'";
      }
      host = text.substring(0, colon);
      port = text.substring(colon + 1);
      if (host.contains(":")) {
        return "expected host:port with an IPv6 address in brackets, such as [::1]:13133, found '"
            + NodeReader.abbreviate(text) + "'";
      }
      if (!host.isEmpty() && !HOST_NAME.matcher(host).matches()) {
        return "'" + NodeReader.abbreviate(host) + "' is not a host name or address; " + HOST_PORT;
      }
    }
    if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) {
      return "'" + NodeReader.abbreviate(port) + "' is not a port (0 to 65535); " + HOST_PORT;
    }
    return null;
  }

  /** An OTLP endpoint: an http or https URL with a host, as the OpenTelemetry SDK expects. */
  static String checkUrl(String text) {
    String expected = "expected an http or https URL such as http://localhost:4317";
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme();
      if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
        return expected + ", found '" + NodeReader.abbreviate(text) + "'";
      }
      if (uri.getHost() == null) {
        return expected + " (the host is missing), found '" + NodeReader.abbreviate(text) + "'";
      }
      return null;
    } catch (URISyntaxException e) {
      return expected + ", found '" + NodeReader.abbreviate(text) + "' (" + e.getReason() + ")";
    }
  }
}
