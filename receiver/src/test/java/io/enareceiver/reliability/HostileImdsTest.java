package io.enareceiver.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.enareceiver.agent.Agent;
import io.enareceiver.resource.ImdsClient;
import io.enareceiver.resource.ImdsException;
import io.enareceiver.resource.ImdsSettings;
import io.enareceiver.testing.imds.FakeImds;
import io.enareceiver.testing.otlp.OtlpHttpTestReceiver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IMDS at its worst never holds up collection, and every call to it is bounded in time and
 * size. What {@code resource/ImdsClientTest} and {@code IdentityServiceTest} already prove (slow
 * answers, 500s, garbage, expired tokens, 1 MiB bodies, last good identity kept through errors)
 * is not repeated here; this adds the agent-level proof and the two bounds they lack: a 10 MB
 * answer without a length (cut off at the limit while streaming; the client hangs up before the server can write it all) and an
 * answer trickling in a byte at a time forever.
 */
class HostileImdsTest {

  @Test
  void aSlowImdsDelaysNeitherTheFirstExportNorTheCadenceAndItsIdentityArrivesLater(@TempDir Path dir) throws Exception {
    try (FakeImds imds = FakeImds.start(FakeImds.Instance.sample());
        OtlpHttpTestReceiver collector = OtlpHttpTestReceiver.start()) {
      imds.delay(Duration.ofSeconds(3)); // every call times out (1 s), retries time out too
      long start = System.nanoTime();
      Agent agent = AgentRun.start(dir, collector.port(), "2s", "2s",
          Map.of(ImdsSettings.ENDPOINT_ENV, imds.endpoint().toString()));
      try {
        double startSeconds = (System.nanoTime() - start) / 1e9;
        ExportMetricsServiceRequest first = collector.awaitRequests(1, Duration.ofSeconds(3)).getFirst();
        double firstExportSeconds = (System.nanoTime() - start) / 1e9;
        assertThat(AgentRun.resourceAttribute(first, "host.id")).as("no identity yet: IMDS is stuck").isEmpty();
        assertThat(AgentRun.point(first, "aws.ena.allowance.exceeded", "linklocal")).as("but the metrics are there").isPresent();

        Thread.sleep(6_000);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long passes = agent.self().passes();
        assertThat(agent.self().missedSamples()).as("missed samples while IMDS hangs").isZero();
        assertThat(passes).as("one pass per second while IMDS hangs (%.1f s)", elapsed)
            .isBetween((long) elapsed - 1, (long) elapsed + 1);

        imds.delay(Duration.ZERO); // IMDS heals: the identity comes with the next retry (backoff 2 s, 4 s, ...)
        String hostId = awaitIdentity(collector, Duration.ofSeconds(25));
        System.out.printf("hostile IMDS: Agent.start took %.2f s, first export at %.2f s, %d passes in %.1f s,"
                + " missed %d; identity %s after IMDS healed%n",
            startSeconds, firstExportSeconds, passes, elapsed, agent.self().missedSamples(), hostId);
        assertThat(hostId).isEqualTo(FakeImds.Instance.sample().instanceId());
        assertThat(agent.self().missedSamples()).isZero();
      } finally {
        agent.close();
      }
    }
  }

  private static String awaitIdentity(OtlpHttpTestReceiver collector, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      List<ExportMetricsServiceRequest> all = collector.requests();
      for (ExportMetricsServiceRequest r : all) {
        var id = AgentRun.resourceAttribute(r, "host.id");
        if (id.isPresent()) {
          return id.get();
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no export carried host.id within " + timeout);
  }

  @Test
  void aTenMegabyteAnswerWithoutLengthIsCutOffAtTheLimitWithoutReadingIt() throws Exception {
    try (RawImds server = new RawImds(RawImds.Behaviour.HUGE_CHUNKED);
        ImdsClient client = new ImdsClient(ImdsSettings.defaults(server.endpoint()).withRetries(0))) {
      ImdsException e = catchThrowableOfType(ImdsException.class, () -> client.get("/latest/meta-data/instance-id"));
      long written = server.awaitBodyBytesWritten();
      System.out.printf("hostile IMDS: 10 MB chunked answer refused (%s) after the server wrote %d bytes%n",
          e.reason(), written);
      assertThat(e.reason()).isEqualTo(ImdsException.Reason.TOO_LARGE);
      assertThat(e.getMessage()).contains("/latest/meta-data/instance-id").contains("65536");
      // The client stopped at 64 KiB and hung up: the server could not write the 10 MB (what it
      // did write went into loopback socket buffers, not into the client's memory).
      assertThat(server.bodyComplete()).as("the server wrote all 10 MB (%d bytes): the client read it all", written).isFalse();
      assertThat(written).isLessThan(10_000_000);
    }
  }

  @Test
  void anAnswerTricklingForeverIsBoundedByTheCallTimeout() throws Exception {
    Duration callTimeout = Duration.ofMillis(500);
    try (RawImds server = new RawImds(RawImds.Behaviour.TRICKLE);
        ImdsClient client = new ImdsClient(ImdsSettings.defaults(server.endpoint()).withCallTimeout(callTimeout))) {
      long start = System.nanoTime();
      ImdsException e = catchThrowableOfType(ImdsException.class, () -> client.get("/latest/meta-data/instance-id"));
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("hostile IMDS: trickling answer gave up after %.2f s (%s, 3 attempts of 0.5 s)%n", seconds, e.reason());
      assertThat(e.reason()).isEqualTo(ImdsException.Reason.TIMEOUT);
      // 1 try + 2 retries of 0.5 s each, 100 + 200 ms pauses: about 1.8 s; never the endless answer.
      assertThat(seconds).isLessThan(3.0);
      assertThat(server.bodyBytesWritten()).as("bytes trickled before the client gave up").isPositive();
    }
  }

  /**
   * A raw HTTP/1.1 IMDS that answers token PUTs properly and metadata GETs badly: 10 MB of
   * chunked body, or a body announced as 60,000 bytes (under the limit) that arrives one byte every 50 ms forever.
   */
  private static final class RawImds implements AutoCloseable {
    enum Behaviour { HUGE_CHUNKED, TRICKLE }

    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final Behaviour behaviour;
    private final AtomicLong bodyBytes = new AtomicLong();
    private volatile boolean bodyDone;
    private volatile boolean bodyComplete;

    RawImds(Behaviour behaviour) throws IOException {
      this.behaviour = behaviour;
      Thread.ofPlatform().daemon().start(this::serve);
    }

    URI endpoint() {
      return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Whether the whole hostile body could be written: the client did not hang up on it. */
    boolean bodyComplete() {
      return bodyComplete;
    }

    long bodyBytesWritten() {
      return bodyBytes.get();
    }

    long awaitBodyBytesWritten() throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!bodyDone && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      return bodyBytes.get();
    }

    private void serve() {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          Thread.ofPlatform().daemon().start(() -> handle(s));
        } catch (IOException e) {
          return;
        }
      }
    }

    private void handle(Socket s) {
      try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
        while (true) {
          String head = readHead(in);
          if (head == null) {
            return;
          }
          if (head.startsWith("PUT")) {
            byte[] token = "AQAEtokentokentoken".getBytes(StandardCharsets.US_ASCII);
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + token.length
                + "\r\nX-aws-ec2-metadata-token-ttl-seconds: 21600\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(token);
            out.flush();
            continue;
          }
          try {
            if (behaviour == Behaviour.HUGE_CHUNKED) {
              out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
              byte[] chunk = new byte[16 * 1024];
              java.util.Arrays.fill(chunk, (byte) 'x');
              byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
              for (int sent = 0; sent < 10_000_000; sent += chunk.length) {
                out.write(size);
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                bodyBytes.addAndGet(chunk.length);
              }
              out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
              out.flush();
              bodyComplete = true;
            } else {
              out.write("HTTP/1.1 200 OK\r\nContent-Length: 60000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
              out.flush();
              while (true) {
                out.write('x');
                out.flush();
                bodyBytes.incrementAndGet();
                Thread.sleep(50);
              }
            }
          } finally {
            bodyDone = true;
          }
          return;
        }
      } catch (IOException | InterruptedException e) {
        // the client went away: that is the point
      }
    }

    /** Reads request line and headers; null at end of stream. */
    private static String readHead(InputStream in) throws IOException {
      StringBuilder head = new StringBuilder();
      int c;
      while ((c = in.read()) >= 0) {
        head.append((char) c);
        if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
          return head.toString();
        }
      }
      return null;
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
