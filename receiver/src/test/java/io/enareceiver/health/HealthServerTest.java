package io.enareceiver.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.Supplier;
import java.util.stream.Stream;
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
    // Exact paths: what only starts like a probe is not one.
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
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
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
  void stalledClientsDoNotBlockProbesAndAreCutAtTheDeadline() throws Exception {
    HealthServer server = start(() -> HealthCheck.ok("alive"), () -> HealthCheck.ok("ready"));
    try (Socket silent = new Socket(server.address().getAddress(), server.address().getPort());
        Socket stalled = sendPartialRequest(server.address())) {
      // Both connections are being read by the server; with a single handler thread this GET
      // would queue behind them.
      HttpResponse<String> live = get(server, "/healthz");
      assertThat(live.statusCode()).isEqualTo(200);
      assertThat(live.body()).isEqualTo("ok: alive\n");

      silent.setSoTimeout((int) CLIENT_TIMEOUT.toMillis());
      stalled.setSoTimeout((int) CLIENT_TIMEOUT.toMillis());
      assertThat(readUntilClosed(silent.getInputStream()))
          .as("the server closes a connection that never sends a request").isTrue();
      assertThat(readUntilClosed(stalled.getInputStream()))
          .as("the server closes a connection whose request never completes").isTrue();
    }
  }

  /** A read timeout alone would never fire here: the deadline covers the whole request. */
  @Test
  void aClientTricklingItsRequestIsCutAtTheDeadline() throws Exception {
    HealthServer server = start(() -> HealthCheck.ok("alive"), () -> HealthCheck.ok("ready"));
    try (Socket trickling = sendPartialRequest(server.address())) {
      OutputStream out = trickling.getOutputStream();
      out.write("X-Trickle: ".getBytes(StandardCharsets.US_ASCII));
      Thread writer = Thread.ofPlatform().daemon().start(() -> {
        try {
          while (!Thread.currentThread().isInterrupted()) {
            out.write('a');
            out.flush();
            Thread.sleep(250);
          }
        } catch (IOException | InterruptedException e) {
          // closed by the server, or the test is over
        }
      });
      try {
        trickling.setSoTimeout((int) CLIENT_TIMEOUT.toMillis());
        assertThat(readUntilClosed(trickling.getInputStream()))
            .as("the server closes a connection that sends a byte every 250 ms but never ends its request")
            .isTrue();
      } finally {
        writer.interrupt();
        writer.join();
      }
    }
  }

  @Test
  void malformedRequestLinesAreBadRequests() throws Exception {
    HealthServer server = start(() -> HealthCheck.ok("alive"), () -> HealthCheck.ok("ready"));

    for (String requestLine : List.of("GARBAGE", "GET /healthz", "GET /healthz HTTP/2.0", "GET /healthz HTTPS/1.1",
        "GET  /healthz HTTP/1.1", "GET /healthz HTTP/1.1 extra", "GET healthz HTTP/1.1", "G(T /healthz HTTP/1.1",
        "GET ftp://host/healthz HTTP/1.1")) {
      String response = exchange(server.address(), requestLine + "\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(response).as("answer to '%s'", requestLine).startsWith("HTTP/1.1 400 Bad Request\r\n")
          .contains("\r\nConnection: close\r\n");
    }
  }

  @Test
  void anOverLongRequestHeadIsRefusedAndTheConnectionClosed() throws Exception {
    HealthServer server = start(() -> HealthCheck.ok("alive"), () -> HealthCheck.ok("ready"));

    // exchange() reads to the end of the stream: it returns only once the server has closed.
    String response = exchange(server.address(),
        "GET /healthz HTTP/1.1\r\nX-Padding: " + "a".repeat(ProbeHttp.MAX_HEAD_BYTES + 2048) + "\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 431 ").doesNotContain("ok: alive");
  }

  @Test
  void answersHttp10AndAbsoluteFormRequests() throws Exception {
    HealthServer server = start(() -> HealthCheck.ok("alive"), () -> HealthCheck.ok("ready"));

    assertThat(exchange(server.address(), "GET /healthz HTTP/1.0\r\n\r\n"))
        .startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nok: alive\n");
    // Bare LF line ends, as some hand-written clients send.
    assertThat(exchange(server.address(), "GET /readyz HTTP/1.0\n\n"))
        .startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nok: ready\n");
    assertThat(exchange(server.address(), "GET http://127.0.0.1/readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
        .startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nok: ready\n");
  }

  @Test
  void headGetsTheHeadersOfGetWithoutTheBody() throws Exception {
    HealthServer server = start(() -> HealthCheck.ok("alive"), () -> HealthCheck.failing("no export yet"));

    String response = exchange(server.address(), "HEAD /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 503 Service Unavailable\r\n")
        .contains("\r\nContent-Type: text/plain; charset=utf-8\r\n")
        .contains("\r\nContent-Length: " + "failing: no export yet\n".length() + "\r\n")
        .endsWith("\r\n\r\n");
  }

  @Test
  void theQueryStringIsIgnored() throws Exception {
    HealthServer server = start(() -> HealthCheck.ok("alive"), () -> HealthCheck.ok("ready"));

    HttpResponse<String> ready = get(server, "/readyz?verbose=1");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("ok: ready\n");
    assertThat(get(server, "/metrics?x=/healthz").statusCode()).isEqualTo(404);
  }

  @Test
  void closeRefusesConnectionsCutsThoseInFlightAndEndsTheThread() throws Exception {
    Set<Thread> before = platformThreads();
    HealthServer server = start(() -> HealthCheck.ok("alive"), () -> HealthCheck.ok("ready"));
    Thread acceptor = onlyNewThreadNamed(HealthServer.THREAD_NAME, before);
    InetSocketAddress address = server.address();

    long connected = System.nanoTime();
    try (Socket inFlight = sendPartialRequest(address)) {
      // Accepted in order: once this probe is answered, the stalled connection is being served.
      assertThat(exchange(address, "GET /healthz HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 200 ");

      server.close();

      assertThat(acceptor.isAlive()).as("thread %s after close()", acceptor.getName()).isFalse();
      inFlight.setSoTimeout((int) CLIENT_TIMEOUT.toMillis());
      assertThat(readUntilClosed(inFlight.getInputStream())).as("the in-flight connection is closed").isTrue();
      // Generous bound: close() cuts it at once, the deadline would only after this many seconds.
      assertThat(Duration.ofNanos(System.nanoTime() - connected))
          .as("closed by close(), not by the request deadline")
          .isLessThan(Duration.ofSeconds(HealthServer.TIME_LIMIT_SECONDS));
    }
    assertThatThrownBy(() -> new Socket(address.getAddress(), address.getPort()).close())
        .as("connecting after close()").isInstanceOf(ConnectException.class);
    server.close(); // idempotent
  }

  /**
   * The JDK server started a dispatcher thread that woke every second, and timer threads; this
   * one starts a single thread that blocks in accept().
   */
  @Test
  void anIdleServerRunsOneThreadOnly() throws Exception {
    Set<Thread> before = platformThreads();
    start(() -> HealthCheck.ok("alive"), () -> HealthCheck.ok("ready"));

    assertThat(platformThreads().stream()
        .filter(t -> !before.contains(t))
        // The JDK's carriers of virtual threads, shared by the whole JVM: another test's last
        // connection may still be finishing on one.
        .filter(t -> !(t instanceof ForkJoinWorkerThread))
        .map(Thread::getName))
        .as("platform threads started by HealthServer.start")
        .containsExactly(HealthServer.THREAD_NAME);
  }

  /**
   * Counts the acceptor's switches onto a CPU (third field of its Linux schedstat) while no
   * request arrives: a server that polls or runs a timer is scheduled at least once a second.
   */
  @Test
  void anIdleServerIsNeverScheduled() throws Exception {
    Path tasks = Path.of("/proc/self/task");
    assumeTrue(Files.isDirectory(tasks), "needs Linux /proc/self/task to count a thread's wakeups");
    HealthServer server = start(() -> HealthCheck.ok("alive"), () -> HealthCheck.ok("ready"));
    assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);

    Path acceptor = onlyTaskNamed(tasks, HealthServer.THREAD_NAME);
    assumeTrue(Files.exists(acceptor.resolve("schedstat")), "needs a kernel with schedstat to count wakeups");
    // Back in accept() after serving the probe: asleep, the state field of its stat.
    await().atMost(CLIENT_TIMEOUT).until(() -> taskState(acceptor) == 'S');
    long before = runCount(acceptor);
    Thread.sleep(3_000);
    long after = runCount(acceptor);

    assertThat(after - before).as("times the idle acceptor ran in 3 s").isZero();
  }

  /** The one thread named {@code name} among those not in {@code before}. */
  private static Thread onlyNewThreadNamed(String name, Set<Thread> before) {
    List<Thread> matching = platformThreads().stream()
        .filter(t -> !before.contains(t) && t.getName().equals(name)).toList();
    assertThat(matching).as("new threads named %s", name).hasSize(1);
    return matching.getFirst();
  }

  /** Platform threads of this JVM (virtual threads are not listed). */
  private static Set<Thread> platformThreads() {
    return new HashSet<>(Thread.getAllStackTraces().keySet());
  }

  /** The /proc task directory of the one thread whose (kernel) name is {@code name}. */
  private static Path onlyTaskNamed(Path tasks, String name) throws IOException {
    List<Path> matching;
    try (Stream<Path> all = Files.list(tasks)) {
      matching = all.filter(task -> {
        try {
          return Files.readString(task.resolve("comm")).strip().equals(name);
        } catch (IOException gone) {
          return false; // the thread ended while listing
        }
      }).toList();
    }
    assertThat(matching).as("threads named %s in %s", name, tasks).hasSize(1);
    return matching.getFirst();
  }

  /** The state letter in /proc/PID/task/TID/stat, after the parenthesised name. */
  private static char taskState(Path task) throws IOException {
    String stat = Files.readString(task.resolve("stat"));
    return stat.charAt(stat.lastIndexOf(')') + 2);
  }

  /** Times the thread has been switched onto a CPU: schedstat is "run-ns wait-ns count". */
  private static long runCount(Path task) throws IOException {
    String[] fields = Files.readString(task.resolve("schedstat")).strip().split(" ");
    return Long.parseLong(fields[2]);
  }

  /** Writes {@code request} and reads the answer to the end of the stream, i.e. until the server closes. */
  private static String exchange(InetSocketAddress address, String request) throws IOException {
    try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
      socket.setSoTimeout((int) CLIENT_TIMEOUT.toMillis());
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
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

  @Test
  void connectionsBeyondTheLimitAreClosedAtOnceAndProbesWorkAgainWhenTheyGo() throws Exception {
    HealthServer server = start(() -> HealthCheck.ok("alive"), () -> HealthCheck.ok("ready"));
    List<Socket> silent = new ArrayList<>();
    try {
      for (int i = 0; i < HealthServer.MAX_CONNECTIONS; i++) {
        Socket s = new Socket();
        s.connect(server.address());
        silent.add(s);
      }
      // Accepted in order after the silent ones, which hold every slot for their 5 s deadline.
      try (Socket extra = new Socket()) {
        extra.connect(server.address());
        extra.setSoTimeout((int) CLIENT_TIMEOUT.toMillis());
        int first;
        try {
          // A whole, valid probe: served, it would be answered ("HTTP/1.1 200 ...").
          extra.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: node\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          first = extra.getInputStream().read();
        } catch (SocketException reset) {
          first = -1; // closed with the request unread: a reset is as good as an end of stream
        }
        assertThat(first).as("the connection over the limit is closed without an answer").isEqualTo(-1);
      }
    } finally {
      for (Socket s : silent) {
        s.close();
      }
    }
    // The server sees the silent clients go (end of stream) and frees their slots.
    await().atMost(CLIENT_TIMEOUT).ignoreExceptions()
        .until(() -> get(server, "/readyz").statusCode() == 200);
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
    return client.send(HttpRequest.newBuilder(uri(server, path)).timeout(CLIENT_TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(HealthServer server, String path) {
    return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
  }
}
