package io.enareceiver.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free TCP ports on 127.0.0.1 for the processes a test starts.
 *
 * <p>The kernel picks a port that is free at the moment of the call; the socket is closed right
 * away so the child process can bind it. Another process on the machine could take it in between
 * (nothing can prevent that without passing the socket itself), but this JVM never hands out the
 * same port twice, so two processes of one test never collide with each other.
 */
public final class FreePorts {
  private static final Set<Integer> HANDED_OUT = new HashSet<>();
  private static final int MAX_TRIES = 50;

  private FreePorts() {}

  /** A loopback TCP port that was free just now and was not returned before by this JVM. */
  public static synchronized int next() {
    for (int i = 0; i < MAX_TRIES; i++) {
      int port = probe();
      if (HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException(
        "no new free loopback port after " + MAX_TRIES + " tries (" + HANDED_OUT.size() + " handed out)");
  }

  /** The address processes should listen on: loopback only (nothing else is a valid target here). */
  public static String loopback(int port) {
    return "127.0.0.1:" + port;
  }

  private static int probe() {
    try (ServerSocket socket = new ServerSocket()) {
      // No SO_REUSEADDR: a port with connections in TIME_WAIT is not offered, the child may bind it.
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind an ephemeral loopback port", e);
    }
  }
}
