package io.enareceiver.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthServerTest {

  /** Generous: these are functional checks, not timing targets. */
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(CLIENT_TIMEOUT).build();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose.reversed()) {
      c.close();
    }
    client.close();
  }

  @Test
  void answersVerdictsOnHealthzAndReadyz() throws Exception {
    HealthServer server = start(() -> HealthCheck.ok("sampling"), () -> HealthCheck.failing("no export yet"));

    HttpResponse<String> live = get(server, "/healthz");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body()).isEqualTo("ok: sampling\n");
    HttpResponse<String> ready = get(server, "/readyz");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).isEqualTo("failing: no export yet\n");
  }

  @Test
  void aThrowingCheckIsAFailingVerdictNotACrash() throws Exception {
    HealthServer server = start(() -> {
      throw new IllegalStateException("boom");
    }, () -> HealthCheck.ok("ready"));

    HttpResponse<String> live = get(server, "/healthz");
    assertThat(live.statusCode()).isEqualTo(503);
    assertThat(live.body()).isEqualTo("failing: health check failed: IllegalStateException\n");
  }

  @Test
  void otherPathsAreNotFound() throws Exception {
    HealthServer server = start(() -> HealthCheck.ok("x"), () -> HealthCheck.ok("x"));

    assertThat(get(server, "/").statusCode()).isEqualTo(404);
    assertThat(get(server, "/metrics").statusCode()).isEqualTo(404);
    // The JDK routes by prefix; the handler itself must reject what only starts like a probe.
    assertThat(get(server, "/healthz/extra").statusCode()).isEqualTo(404);
    assertThat(get(server, "/readyzz").statusCode()).isEqualTo(404);
  }

  @Test
  void postIsNotAllowed() throws Exception {
    HealthServer server = start(() -> HealthCheck.ok("x"), () -> HealthCheck.ok("x"));

    HttpResponse<String> post = client.send(
        HttpRequest.newBuilder(uri(server, "/healthz")).timeout(CLIENT_TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void anEmptyHostBindsToLoopback() throws Exception {
    HealthServer server = start(":0", () -> HealthCheck.ok("x"), () -> HealthCheck.ok("x"));

    assertThat(server.address().getAddress().isLoopbackAddress())
        .as("bound to %s", server.address()).isTrue();
    assertThat(server.address().getPort()).isPositive();
    assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void aClientStalledMidRequestDoesNotBlockProbes() throws Exception {
    HealthServer server = start(() -> HealthCheck.ok("alive"), () -> HealthCheck.ok("ready"));
    try (Socket stalled = sendPartialRequest(server.address())) {
      // The server has started reading the stalled request; with a single handler thread this
      // GET would queue behind it.
      HttpResponse<String> live = get(server, "/healthz");
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(live.body()).isEqualTo("ok: alive\n");
      assertThat(stalled.isClosed()).isFalse();
    }
  }

  /**
   * The JDK reads its request time limit once per process, when its server is first created;
   * other tests in this JVM may have created one before, so the server runs in a fresh JVM where
   * {@link HealthServer} is the first, as in the receiver.
   */
  @Test
  void aStalledConnectionIsClosedByTheServer() throws Exception {
    Process child = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        StandaloneServer.class.getName())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    toClose.add(() -> {
      child.destroy();
      if (!child.waitFor(10, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    });
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String portLine = out.readLine();
    assertThat(portLine).as("the child JVM prints its health port").isNotNull().matches("\\d+");
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", Integer.parseInt(portLine));

    try (Socket stalled = sendPartialRequest(address)) {
      stalled.setSoTimeout((int) CLIENT_TIMEOUT.toMillis());
      assertThat(get(URI.create("http://127.0.0.1:" + address.getPort() + "/healthz")).statusCode())
          .isEqualTo(200);
      assertThat(readUntilClosed(stalled.getInputStream()))
          .as("the server closes a connection whose request never completes").isTrue();
    }
  }

  /** Runs a health server in its own JVM; prints the port, exits when stdin closes. */
  public static final class StandaloneServer {
    public static void main(String[] args) throws IOException {
      try (HealthServer server = HealthServer.start("127.0.0.1:0",
          () -> HealthCheck.ok("alive"), () -> HealthCheck.ok("ready"))) {
        System.out.println(server.address().getPort());
        System.out.flush();
        while (System.in.read() >= 0) {
          // wait for the parent to go away
        }
      }
    }
  }

  /** Sends the request line and one header, but never the blank line that ends the headers. */
  private static Socket sendPartialRequest(InetSocketAddress address) throws IOException {
    Socket socket = new Socket(address.getAddress(), address.getPort());
    socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return socket;
  }

  /**
   * True when the peer closes the connection (end of stream or reset) before the socket's read
   * timeout; false when it times out.
   */
  private static boolean readUntilClosed(InputStream in) throws IOException {
    try {
      while (in.read() >= 0) {
        // a stalled request gets no answer bytes worth checking; only the close matters
      }
      return true;
    } catch (SocketException reset) {
      return true;
    } catch (SocketTimeoutException timeout) {
      return false;
    }
  }

  private HealthServer start(Supplier<HealthCheck> liveness,
      Supplier<HealthCheck> readiness) throws IOException {
    return start("127.0.0.1:0", liveness, readiness);
  }

  private HealthServer start(String endpoint, Supplier<HealthCheck> liveness,
      Supplier<HealthCheck> readiness) throws IOException {
    HealthServer server = HealthServer.start(endpoint, liveness, readiness);
    toClose.add(server);
    return server;
  }

  private HttpResponse<String> get(HealthServer server, String path) throws Exception {
    return get(uri(server, path));
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return client.send(HttpRequest.newBuilder(uri).timeout(CLIENT_TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(HealthServer server, String path) {
    return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
  }
}
