package io.enareceiver.it.harness;

import io.enareceiver.ethtool.NetNamespaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Makes a loopback port of this (the host's) network namespace reachable on the loopback of
 * another one: a receiver run with {@code ip netns exec} sees the namespace's interfaces but also
 * only the namespace's loopback, and the collector and Prometheus stay where the test can query
 * them.
 *
 * <p>The listening socket is created with the thread inside the namespace ({@link NetNamespaces}:
 * a socket keeps the namespace it was made in); the connections to the target are made from
 * ordinary threads, in the host namespace. Bytes are copied both ways, one platform thread per
 * direction, which is plenty for one OTLP/gRPC connection.
 */
public final class NetnsPortForward implements AutoCloseable {
  private final ServerSocketChannel server;
  private final InetSocketAddress target;
  private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
  private final Thread acceptor;
  private volatile boolean closed;

  private NetnsPortForward(ServerSocketChannel server, InetSocketAddress target) {
    this.server = server;
    this.target = target;
    this.acceptor = Thread.ofPlatform().daemon().name("netns-forward-" + port()).start(this::acceptLoop);
  }

  /**
   * Listens on 127.0.0.1:{@code port} inside the namespace file {@code netns} (e.g.
   * {@code /var/run/netns/NAME}) and forwards every connection to {@code targetPort} on this
   * namespace's 127.0.0.1.
   */
  public static NetnsPortForward open(Path netns, int port, int targetPort) {
    ServerSocketChannel server;
    try {
      server = NetNamespaces.callIn(netns, () -> {
        ServerSocketChannel s = ServerSocketChannel.open();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + " in " + netns, e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot enter " + netns + " to listen on port " + port + ": " + e, e);
    }
    return new NetnsPortForward(server, new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
  }

  public int port() {
    return server.socket().getLocalPort();
  }

  private void acceptLoop() {
    while (!closed) {
      SocketChannel inside;
      try {
        inside = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      SocketChannel outside;
      try {
        outside = SocketChannel.open(target);
      } catch (IOException e) {
        // Target down (the collector outage): refuse like the target would.
        closeQuietly(inside);
        continue;
      }
      open.add(inside);
      open.add(outside);
      Thread.ofPlatform().daemon().name("netns-forward-in").start(() -> pump(inside, outside));
      Thread.ofPlatform().daemon().name("netns-forward-out").start(() -> pump(outside, inside));
    }
  }

  private void pump(SocketChannel from, SocketChannel to) {
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    try {
      while (from.read(buffer) >= 0) {
        buffer.flip();
        while (buffer.hasRemaining()) {
          to.write(buffer);
        }
        buffer.clear();
      }
    } catch (IOException e) {
      // one side went away: close both below
    } finally {
      closeQuietly(from);
      closeQuietly(to);
      open.remove(from);
      open.remove(to);
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    open.forEach(NetnsPortForward::closeQuietly);
    acceptor.interrupt();
  }
}
