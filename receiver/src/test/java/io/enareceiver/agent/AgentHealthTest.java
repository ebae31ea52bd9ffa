package io.enareceiver.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.enareceiver.config.Config;
import io.enareceiver.testing.otlp.OtlpHttpTestReceiver;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /healthz and /readyz of a running agent follow the export path: not ready until an export has
 * succeeded, ready after, not ready (503 with a reason) while the endpoint fails, ready again
 * once it recovers. Liveness stays OK throughout: the sampling loop never stopped.
 */
class AgentHealthTest {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path dir;

  record Answer(int status, String body) {}

  private Answer get(InetSocketAddress at, String path) throws Exception {
    HttpResponse<String> r = http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at.getPort() + path)).timeout(Duration.ofSeconds(2)).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }

  @Test
  void readinessFollowsTheExportPath() throws Exception {
    try (OtlpHttpTestReceiver receiver = OtlpHttpTestReceiver.start()) {
      AgentFixture.ppsCaptures(dir.resolve("eth1"), 0, 1, 2);
      Config config = AgentFixture.load(dir, AgentFixture.yaml("http/protobuf", receiver, "2s",
          AgentFixture.replayEntry("eth1", "0e:aa:bb:cc:dd:01", "eth1", true)), AgentFixture.imdsOff());
      // Hold the first answer back so the agent is observably running without a successful export.
      receiver.delayNext(1, Duration.ofSeconds(3));

      try (Agent agent = AgentFixture.start(config, AgentFixture.imdsOff())) {
        InetSocketAddress health = agent.healthAddress();
        assertThat(health.getAddress().isLoopbackAddress()).isTrue();
        assertThat(health.getPort()).isPositive();

        Answer notYet = get(health, "/readyz");
        assertThat(receiver.requests()).as("no export answered yet").isEmpty();
        assertThat(notYet.status()).isEqualTo(503);
        assertThat(notYet.body()).startsWith("failing: ");
        assertThat(get(health, "/healthz").status()).isEqualTo(200);

        receiver.awaitRequests(1, Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
            .until(() -> get(health, "/readyz").status() == 200);
        assertThat(get(health, "/readyz").body()).startsWith("ok: ");

        receiver.failFor(Duration.ofSeconds(15));
        Answer failing = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
            .until(() -> get(health, "/readyz"), a -> a.status() == 503);
        assertThat(failing.body()).startsWith("failing: ").contains("export");
        assertThat(get(health, "/healthz").status()).as("liveness while exports fail").isEqualTo(200);

        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
            .until(() -> get(health, "/readyz").status() == 200);
        assertThat(agent.self().lastExportOk()).isTrue();
        assertThat(receiver.received()).extracting(r -> r.outcome().name()).contains("FAILED", "ACCEPTED");
      }
    }
  }
}
