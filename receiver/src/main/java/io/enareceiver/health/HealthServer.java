package io.enareceiver.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Serves {@code /healthz} (liveness) and {@code /readyz} (readiness) for kubelet probes. Plain
 * text, GET only, nothing else on the port: it shows verdicts, never configuration (OTLP headers
 * carry tokens).
 */
public final class HealthServer implements AutoCloseable {
  /** Seconds a request may take to arrive, and a response to be sent; probes need milliseconds. */
  static final long TIME_LIMIT_SECONDS = 5;

  /** JDK {@code jdk.httpserver} settings, in seconds; see {@code sun.net.httpserver.ServerConfig}. */
  static final List<String> TIME_LIMIT_PROPERTIES =
      List.of("sun.net.httpserver.maxReqTime", "sun.net.httpserver.maxRspTime");

  private final HttpServer server;

  private HealthServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts listening on {@code host:port} ({@code :0} picks a free port; an empty host means
   * loopback, never all interfaces).
   */
  public static HealthServer start(String endpoint, Supplier<HealthCheck> liveness, Supplier<HealthCheck> readiness)
      throws IOException {
    InetSocketAddress address = HostPort.parse(endpoint);
    limitRequestAndResponseTime();
    HttpServer server = HttpServer.create(address, 8);
    server.createContext("/healthz", exchange -> answer(exchange, liveness));
    server.createContext("/readyz", exchange -> answer(exchange, readiness));
    // The JDK server reads a request's headers on the executor's thread, so a single thread would
    // let one client that sends half a request stall every probe behind it (and get the pod
    // killed by its liveness probe). A virtual thread per exchange keeps the probes independent;
    // each exchange is cheap and short-lived.
    server.setExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ena-health-", 0).factory()));
    server.start();
    return new HealthServer(server);
  }

  /**
   * Bounds how long the JDK server waits for a request to arrive and for its response to be sent
   * (both unlimited by default): a connection that stalls mid-request is closed after a few
   * seconds instead of holding a thread and a socket forever. The JDK reads these properties
   * once, when its server implementation is first initialised, so they must be set before the
   * first {@link HttpServer#create}; a value given on the command line ({@code -D}) wins. They
   * apply to every JDK HTTP server in the process; this is the receiver's only one.
   */
  private static void limitRequestAndResponseTime() {
    for (String property : TIME_LIMIT_PROPERTIES) {
      if (System.getProperty(property) == null) {
        System.setProperty(property, Long.toString(TIME_LIMIT_SECONDS));
      }
    }
  }

  /** The bound address, with the real port when {@code :0} was asked for. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private static void answer(HttpExchange exchange, Supplier<HealthCheck> check) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
        send(exchange, 405, "method not allowed\n");
        return;
      }
      if (!path.equals("/healthz") && !path.equals("/readyz")) {
        send(exchange, 404, "not found\n");
        return;
      }
      HealthCheck verdict;
      try {
        verdict = check.get();
      } catch (RuntimeException e) {
        verdict = HealthCheck.failing("health check failed: " + e.getClass().getSimpleName());
      }
      send(exchange, verdict.ok() ? 200 : 503, (verdict.ok() ? "ok: " : "failing: ") + verdict.detail() + "\n");
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    if (server.getExecutor() instanceof java.util.concurrent.ExecutorService es) {
      es.shutdownNow();
    }
  }
}
