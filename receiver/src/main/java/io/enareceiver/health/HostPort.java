package io.enareceiver.health;

import java.net.InetSocketAddress;

/** Parses {@code host:port}, {@code [v6]:port} and {@code :port} (loopback) listen addresses. */
final class HostPort {
  private HostPort() {}

  static InetSocketAddress parse(String endpoint) {
    int colon = endpoint.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("health endpoint '" + endpoint + "': expected host:port, e.g. 127.0.0.1:13133");
    }
    String host = endpoint.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(endpoint.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("health endpoint '" + endpoint + "': port must be a number 0-65535");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("health endpoint '" + endpoint + "': port must be 0-65535");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    // An empty host means loopback: the receiver never listens on all interfaces by accident.
    return new InetSocketAddress(host.isEmpty() ? "127.0.0.1" : host, port);
  }
}
