package io.enareceiver.testing.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.enareceiver.testing.otlp.ReceivedRequest.Outcome;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * OTLP/HTTP metrics receiver (protobuf encoding) on {@code 127.0.0.1}, built on the JDK's
 * {@code com.sun.net.httpserver}. Answers {@code POST /v1/metrics} like a collector: 200 with
 * an empty {@code ExportMetricsServiceResponse}; gzip bodies are inflated; a wrong path, method,
 * content type or body gets 404 / 405 / 415 / 400 and is recorded as REJECTED.
 */
public final class OtlpHttpTestReceiver extends AbstractOtlpTestReceiver {

  public static final String METRICS_PATH = "/v1/metrics";
  private static final String PROTOBUF = "application/x-protobuf";

  private final SSLContext tls;
  private final boolean needClientAuth;
  private final ExecutorService handlers =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "otlp-http-test-receiver");
            t.setDaemon(true);
            return t;
          });
  private volatile int port;
  private HttpServer server; // guarded by this

  private OtlpHttpTestReceiver(SSLContext tls, boolean needClientAuth) {
    this.tls = tls;
    this.needClientAuth = needClientAuth;
  }

  /** A plain-text receiver on a free loopback port. */
  public static OtlpHttpTestReceiver start() throws IOException {
    return start(null, false);
  }

  /**
   * A receiver speaking HTTPS with {@code tls}'s server certificate.
   *
   * @param needClientAuth require a client certificate trusted by {@code tls} (mutual TLS)
   */
  public static OtlpHttpTestReceiver start(SSLContext tls, boolean needClientAuth) throws IOException {
    OtlpHttpTestReceiver r = new OtlpHttpTestReceiver(tls, needClientAuth);
    synchronized (r) {
      r.startListening();
    }
    return r;
  }

  @Override
  public String endpoint() {
    return (tls == null ? "http" : "https") + "://127.0.0.1:" + port;
  }

  /** The full URL exporters post to. */
  public String metricsUrl() {
    return endpoint() + METRICS_PATH;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  protected synchronized void startListening() throws IOException {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    HttpServer s;
    if (tls == null) {
      s = HttpServer.create(address, 0);
    } else {
      HttpsServer https = HttpsServer.create(address, 0);
      https.setHttpsConfigurator(
          new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
              SSLParameters p = tls.getDefaultSSLParameters();
              p.setNeedClientAuth(needClientAuth);
              params.setSSLParameters(p);
            }
          });
      s = https;
    }
    s.createContext("/", this::handle);
    s.setExecutor(handlers);
    s.start();
    server = s;
    port = s.getAddress().getPort();
  }

  @Override
  protected synchronized void stopListening() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
    if (isClosed()) {
      handlers.shutdownNow(); // wakes handlers sleeping in a delayed answer
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, List<String>> headers = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
      String encoding = first(headers, "content-encoding");
      boolean gzip = encoding != null && encoding.equalsIgnoreCase("gzip");
      byte[] body;
      try (InputStream in = gzip ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
        body = in.readAllBytes();
      } catch (IOException e) {
        reject(exchange, headers, gzip, 400, "body unreadable: " + e.getMessage());
        return;
      }
      if (!exchange.getRequestURI().getPath().equals(METRICS_PATH)) {
        reject(exchange, headers, gzip, 404, "path " + exchange.getRequestURI().getPath());
        return;
      }
      if (!exchange.getRequestMethod().equals("POST")) {
        reject(exchange, headers, gzip, 405, "method " + exchange.getRequestMethod());
        return;
      }
      String contentType = first(headers, "content-type");
      if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(PROTOBUF)) {
        reject(exchange, headers, gzip, 415, "content-type " + contentType);
        return;
      }
      ExportMetricsServiceRequest request;
      try {
        request = ExportMetricsServiceRequest.parseFrom(body);
      } catch (InvalidProtocolBufferException e) {
        reject(exchange, headers, gzip, 400, "not an ExportMetricsServiceRequest: " + e.getMessage());
        return;
      }
      Decision decision = decide();
      if (decision.fail()) {
        record(new ReceivedRequest(request, headers, gzip, Outcome.FAILED, "told to answer 503"));
        exchange.sendResponseHeaders(503, -1);
        return;
      }
      if (decision.delay().isPositive()) {
        try {
          Thread.sleep(decision.delay());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return; // closing
        }
      }
      byte[] answer = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().set("Content-Type", PROTOBUF);
      // Record before answering: a client that saw 200 must find its request recorded.
      record(new ReceivedRequest(request, headers, gzip, Outcome.ACCEPTED, ""));
      exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    }
  }

  private void reject(
      HttpExchange exchange, Map<String, List<String>> headers, boolean gzip, int status, String why)
      throws IOException {
    record(new ReceivedRequest(null, headers, gzip, Outcome.REJECTED, status + " " + why));
    exchange.sendResponseHeaders(status, -1);
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> v = headers.getOrDefault(name, new ArrayList<>());
    return v.isEmpty() ? null : v.getFirst();
  }

  @Override
  public String toString() {
    return "OtlpHttpTestReceiver[" + endpoint() + "]";
  }
}
