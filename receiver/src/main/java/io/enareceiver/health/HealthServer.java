package io.enareceiver.health;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Serves {@code /healthz} (liveness) and {@code /readyz} (readiness) for kubelet probes. Plain
 * text, GET and HEAD only, nothing else on the port: it shows verdicts, never configuration
 * (OTLP headers carry tokens).
 *
 * <p>Costs nothing while no probe arrives: one platform thread blocks in {@code accept()} and
 * nothing else runs, no selector loop and no timer. (The JDK's built-in HTTP server, used
 * before, woke its dispatcher every second and, with request time limits set, two timer threads
 * as well: about 205 µs of CPU per second on a Firecracker VM, more than the whole receiver's
 * budget.) Each connection gets a virtual thread, so a client that sends half a request cannot
 * stall the probes behind it (kubelet would then kill the pod); request deadlines are socket
 * read timeouts of that thread, which cost nothing until a read actually waits.
 */
public final class HealthServer implements AutoCloseable {
  /** Seconds a request may take to arrive, and a response to be sent; probes need milliseconds. */
  static final long TIME_LIMIT_SECONDS = 5;

  /** Name of the thread that accepts connections; each connection's thread is this plus "-N". */
  static final String THREAD_NAME = "ena-health";

  /** Pending connections the kernel queues; probes come one every few seconds. */
  private static final int BACKLOG = 16;

  /**
   * Connections served at once; more are closed as soon as they are accepted. Kubelet has a
   * liveness and a readiness probe in flight at most, but the port is on the node's address
   * (host network), so anyone on the network can open connections: unbounded, each one's buffers
   * and thread would eventually exhaust the 32 MB heap and the agent would exit.
   */
  static final int MAX_CONNECTIONS = 16;

  /** Wait after a failed accept (say, out of file descriptors) so the loop does not spin. */
  private static final Duration ACCEPT_BACKOFF = Duration.ofMillis(250);

  /** Request bytes read and thrown away after the response before the connection is cut. */
  private static final int MAX_DISCARDED_BYTES = 64 * 1024;

  private static final System.Logger LOG = System.getLogger(HealthServer.class.getName());

  private final ServerSocket listener;
  private final InetSocketAddress address;
  private final Supplier<HealthCheck> liveness;
  private final Supplier<HealthCheck> readiness;
  private final ThreadFactory connectionThreads = Thread.ofVirtual().name(THREAD_NAME + "-", 0).factory();
  private final Thread acceptor;
  /** Connections being served, so that close() can cut them. Guarded by itself, as is closed. */
  private final Set<Socket> connections = new HashSet<>();
  private volatile boolean closed;

  private HealthServer(ServerSocket listener, Supplier<HealthCheck> liveness, Supplier<HealthCheck> readiness) {
    this.listener = listener;
    this.address = new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    this.liveness = liveness;
    this.readiness = readiness;
    // Daemon: a server left open must not keep the JVM alive after main returns.
    this.acceptor = Thread.ofPlatform().name(THREAD_NAME).daemon(true).unstarted(this::acceptConnections);
  }

  /**
   * Starts listening on {@code host:port} ({@code :0} picks a free port; an empty host means
   * loopback, never all interfaces).
   */
  public static HealthServer start(String endpoint, Supplier<HealthCheck> liveness, Supplier<HealthCheck> readiness)
      throws IOException {
    InetSocketAddress address = HostPort.parse(endpoint);
    ServerSocket listener = new ServerSocket();
    try {
      // A restarted receiver must be able to bind while its predecessor's connections linger in
      // TIME_WAIT.
      listener.setReuseAddress(true);
      listener.bind(address, BACKLOG);
    } catch (IOException e) {
      listener.close();
      throw e;
    }
    HealthServer server = new HealthServer(listener, liveness, readiness);
    server.acceptor.start();
    return server;
  }

  /** The bound address, with the real port when {@code :0} was asked for. */
  public InetSocketAddress address() {
    return address;
  }

  private void acceptConnections() {
    boolean failing = false;
    while (!closed) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        if (closed) {
          return; // close() closed the listener under us: the normal way out
        }
        if (!failing) { // once per run of failures, not once per retry
          LOG.log(System.Logger.Level.WARNING, "health endpoint " + address
              + ": cannot accept connections, retrying every " + ACCEPT_BACKOFF.toMillis() + " ms: " + e);
          failing = true;
        }
        try {
          Thread.sleep(ACCEPT_BACKOFF);
        } catch (InterruptedException interrupted) {
          return; // close() interrupts a sleeping acceptor
        }
        continue;
      }
      failing = false;
      // The deadline starts at accept, not when the connection's thread first runs.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIME_LIMIT_SECONDS);
      if (track(socket)) {
        connectionThreads.newThread(() -> serve(socket, deadline)).start();
      }
    }
  }

  /** Answers one request and closes the connection, whatever happens. */
  private void serve(Socket socket, long deadline) {
    try (socket) {
      byte[] response;
      try {
        response = answer(ProbeHttp.readRequest(socket, deadline));
      } catch (ProbeHttp.BadRequest e) {
        response = ProbeHttp.response(e.status(), e.getMessage() + "\n", true);
      }
      // A few hundred bytes always fit the socket's send buffer, so this write does not wait for
      // the client to read; were it ever to block, close() still cuts it.
      socket.getOutputStream().write(response);
      closeGracefully(socket, deadline);
    } catch (IOException e) {
      // The client went away, reset, or missed the deadline. The socket is closed (try above) and
      // nothing else is affected. Not logged: a port scanner must not be able to fill the log.
    } finally {
      untrack(socket);
    }
  }

  private byte[] answer(ProbeHttp.Request request) {
    Supplier<HealthCheck> check = switch (request.path()) {
      case "/healthz" -> liveness;
      case "/readyz" -> readiness;
      default -> null;
    };
    boolean withBody = !request.isHead();
    if (check == null) {
      return ProbeHttp.response(404, "not found\n", withBody);
    }
    if (!request.method().equals("GET") && !request.isHead()) {
      return ProbeHttp.response(405, "method not allowed\n", true);
    }
    HealthCheck verdict = verdict(check);
    return verdict.ok()
        ? ProbeHttp.response(200, "ok: " + verdict.detail() + "\n", withBody)
        : ProbeHttp.response(503, "failing: " + verdict.detail() + "\n", withBody);
  }

  /** A check that throws is a failing verdict, not a dropped connection: the probe gets a reason. */
  private static HealthCheck verdict(Supplier<HealthCheck> check) {
    try {
      return Objects.requireNonNull(check.get(), "verdict");
    } catch (RuntimeException e) {
      return HealthCheck.failing("health check failed: " + e.getClass().getSimpleName());
    }
  }

  /**
   * Ends the response with FIN, then reads and discards what the client still sends (a request
   * body, the rest of an over-long head) until it closes its side. Closing a socket with unread
   * input makes the kernel send a reset instead, which can destroy the response before the client
   * has read it.
   */
  private static void closeGracefully(Socket socket, long deadline) throws IOException {
    socket.shutdownOutput();
    InputStream in = socket.getInputStream();
    byte[] discard = new byte[1024];
    int discarded = 0;
    while (discarded < MAX_DISCARDED_BYTES) {
      socket.setSoTimeout(ProbeHttp.remainingMillis(deadline));
      int n = in.read(discard);
      if (n < 0) {
        return;
      }
      discarded += n;
    }
  }

  /**
   * Registers a connection; false (and the socket closed) when the server is closed already or
   * serves {@link #MAX_CONNECTIONS} connections.
   */
  private boolean track(Socket socket) {
    synchronized (connections) {
      if (closed || connections.size() >= MAX_CONNECTIONS) {
        closeQuietly(socket);
        return false;
      }
      connections.add(socket);
      return true;
    }
  }

  private void untrack(Socket socket) {
    synchronized (connections) {
      connections.remove(socket);
    }
  }

  /**
   * Stops listening, cuts the connections being served and waits (briefly) for the accepting
   * thread to end. Idempotent.
   */
  @Override
  public void close() {
    List<Socket> open;
    synchronized (connections) {
      if (closed) {
        return;
      }
      closed = true;
      open = List.copyOf(connections);
      connections.clear();
    }
    closeQuietly(listener); // wakes the acceptor out of accept()
    acceptor.interrupt(); // or out of its back-off sleep
    open.forEach(HealthServer::closeQuietly); // wakes each connection's thread out of its read
    if (Thread.currentThread() != acceptor) {
      try {
        acceptor.join(Duration.ofSeconds(TIME_LIMIT_SECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // Closing to release it; there is nothing left to do if that fails.
    }
  }
}
