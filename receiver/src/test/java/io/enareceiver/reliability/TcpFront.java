package io.enareceiver.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback TCP endpoint in front of a real test server that can turn hostile: in
 * {@link Mode#BLACKHOLE} it accepts connections and never reads from or answers them (a
 * collector whose process hangs, a half-dead load balancer); in {@link Mode#FORWARD} it pipes
 * bytes both ways to the server behind it. Counts how many connections it holds at once.
 */
final class TcpFront implements AutoCloseable {
  enum Mode { BLACKHOLE, FORWARD }

  private final ServerSocket server;
  private final int targetPort;
  private final List<Socket> held = new ArrayList<>();
  private final List<Socket> forwarded = new ArrayList<>();
  private volatile Mode mode;
  private int maxHeld;
  private int accepted;

  TcpFront(int targetPort, Mode initial) throws IOException {
    this.targetPort = targetPort;
    this.mode = initial;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon().name("tcp-front").start(this::acceptLoop);
  }

  int port() {
    return server.getLocalPort();
  }

  /**
   * Switches mode for new connections; open ones are dropped, so a client's pooled keep-alive
   * connection cannot carry it past the switch.
   */
  synchronized void mode(Mode newMode) {
    mode = newMode;
    closeAll(held);
    closeAll(forwarded);
  }

  /** Most connections held open unanswered at one time (blackhole mode). */
  synchronized int maxHeld() {
    return maxHeld;
  }

  synchronized int accepted() {
    return accepted;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        return;
      }
      synchronized (this) {
        accepted++;
        if (mode == Mode.BLACKHOLE) {
          held.add(s);
          maxHeld = Math.max(maxHeld, held.size());
          swallow(s);
          continue;
        }
        forwarded.add(s);
      }
      try {
        Socket up = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        synchronized (this) {
          forwarded.add(up);
        }
        pump(s, up);
        pump(up, s);
      } catch (IOException e) {
        closeQuietly(s);
      }
    }
  }

  /**
   * Swallows what the client sends and never answers; notices when the client gives up (end of
   * stream), so {@link #maxHeld()} counts requests really in flight.
   */
  private void swallow(Socket s) {
    Thread.ofPlatform().daemon().name("tcp-front-blackhole").start(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = s.getInputStream()) {
        while (in.read(buffer) >= 0) {
          // never answered
        }
      } catch (IOException e) {
        // closed by mode() or close()
      } finally {
        closeQuietly(s);
        synchronized (TcpFront.this) {
          held.remove(s);
        }
      }
    });
  }

  private void pump(Socket from, Socket to) {
    Thread.ofPlatform().daemon().name("tcp-front-pump").start(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side went away: close both below
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    });
  }

  private static void closeAll(List<Socket> sockets) {
    List.copyOf(sockets).forEach(TcpFront::closeQuietly);
    sockets.clear();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  @Override
  public synchronized void close() throws IOException {
    server.close();
    closeAll(held);
    closeAll(forwarded);
  }

  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
  }
}
