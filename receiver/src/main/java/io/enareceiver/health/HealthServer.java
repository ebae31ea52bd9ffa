package io.enareceiver.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Serves {@code /healthz} (liveness) and {@code /readyz} (readiness) for kubelet probes. Plain
 * text, GET only, nothing else on the port: it shows verdicts, never configuration (OTLP headers
 * carry tokens).
 */
public final class HealthServer implements AutoCloseable {
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
    HttpServer server = HttpServer.create(address, 8);
    server.createContext("/healthz", exchange -> answer(exchange, liveness));
    server.createContext("/readyz", exchange -> answer(exchange, readiness));
    // One platform thread is plenty for probes every few seconds.
    server.setExecutor(Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name("ena-health").daemon(true).unstarted(r)));
    server.start();
    return new HealthServer(server);
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
