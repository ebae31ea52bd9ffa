package io.enareceiver.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.enareceiver.resource.ImdsException.Reason;
import io.enareceiver.testing.imds.FakeImds;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ImdsClientTest {
  private static final String INSTANCE_ID = "/latest/meta-data/instance-id";

  private final FakeImds imds = FakeImds.start(FakeImds.Instance.sample());
  private ImdsClient client = new ImdsClient(ImdsSettings.defaults(imds.endpoint()).withCallTimeout(Duration.ofMillis(300)));

  @AfterEach
  void stop() {
    client.close();
    imds.close();
  }

  @Test
  void takesATokenFirstAndSendsItWithEveryRead() throws Exception {
    assertThat(client.get(INSTANCE_ID)).isEqualTo("i-0123456789abcdef0");
    assertThat(client.get("/latest/meta-data/instance-type")).isEqualTo("m6i.large");

    assertThat(imds.requests()).first().satisfies(r -> {
      assertThat(r.method()).isEqualTo("PUT");
      assertThat(r.path()).isEqualTo(FakeImds.TOKEN_PATH);
    });
    assertThat(imds.requests()).filteredOn(r -> r.method().equals("GET"))
        .hasSize(2).allSatisfy(r -> assertThat(r.validToken()).isTrue());
    assertThat(imds.count(FakeImds.TOKEN_PATH)).as("token reused").isEqualTo(1);
  }

  @Test
  void neverFallsBackToImdsV1WhenTheTokenIsRefused() {
    imds.failWith(403); // e.g. IMDS answers but refuses sessions
    assertThatThrownBy(() -> client.get(INSTANCE_ID))
        .isInstanceOfSatisfying(ImdsException.class, e -> {
          assertThat(e.path()).isEqualTo(FakeImds.TOKEN_PATH);
          assertThat(e.status()).isEqualTo(403);
        })
        .hasMessageContaining("does not fall back to IMDSv1");
    assertThat(imds.requests()).isNotEmpty().allSatisfy(r -> assertThat(r.method()).isEqualTo("PUT"));
  }

  @Test
  void anExpiredTokenIsReplacedTransparently() throws Exception {
    assertThat(client.get(INSTANCE_ID)).isEqualTo("i-0123456789abcdef0");
    imds.expireAllTokens();
    assertThat(client.get(INSTANCE_ID)).isEqualTo("i-0123456789abcdef0");

    assertThat(imds.count(FakeImds.TOKEN_PATH)).isEqualTo(2);
    assertThat(imds.requests()).extracting(FakeImds.Request::method, FakeImds.Request::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("PUT", 200), org.assertj.core.groups.Tuple.tuple("GET", 200),
            org.assertj.core.groups.Tuple.tuple("GET", 401), org.assertj.core.groups.Tuple.tuple("PUT", 200),
            org.assertj.core.groups.Tuple.tuple("GET", 200));
  }

  @Test
  void aTokenNearItsTtlIsRenewedBeforeUse() throws Exception {
    client.close();
    client = new ImdsClient(ImdsSettings.defaults(imds.endpoint()).withTokenTtl(Duration.ofSeconds(1)));
    client.get(INSTANCE_ID);
    client.get(INSTANCE_ID);
    // A 1 s token is renewed 0.1 s early; two reads in a row may share it or not, but none is refused.
    assertThat(imds.requests()).filteredOn(r -> r.method().equals("GET"))
        .allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
  }

  @Test
  void givesUpOnASlowServiceWithinTheCallTimeout() {
    imds.delay(Duration.ofSeconds(5));
    client.close();
    client = new ImdsClient(ImdsSettings.defaults(imds.endpoint()).withCallTimeout(Duration.ofMillis(200)).withRetries(1));
    long start = System.nanoTime();
    assertThatThrownBy(() -> client.get(INSTANCE_ID))
        .isInstanceOfSatisfying(ImdsException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TIMEOUT))
        .hasMessageContaining("within 200 ms");
    // 2 attempts x 200 ms + a pause; far below the 5 s the fake would have taken for one answer.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void theCallersDeadlineWinsOverRetries() {
    imds.delay(Duration.ofSeconds(5));
    long deadline = System.nanoTime() - 1;
    assertThatThrownBy(() -> client.get(INSTANCE_ID, deadline))
        .isInstanceOfSatisfying(ImdsException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TIMEOUT));
    assertThat(imds.requests()).isEmpty();
  }

  @Test
  void retriesServerErrorsABoundedNumberOfTimes() {
    imds.failWith(500);
    assertThatThrownBy(() -> client.get(INSTANCE_ID))
        .isInstanceOfSatisfying(ImdsException.class, e -> assertThat(e.status()).isEqualTo(500));
    assertThat(imds.count(FakeImds.TOKEN_PATH)).isEqualTo(3); // 1 + 2 retries
    assertThat(imds.count(INSTANCE_ID)).isZero();
  }

  @Test
  void refusesOversizedAnswers() {
    imds.oversizedBodies(true);
    assertThatThrownBy(() -> client.get(INSTANCE_ID))
        .isInstanceOfSatisfying(ImdsException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
          assertThat(e.path()).isEqualTo(INSTANCE_ID);
        })
        .hasMessageContaining("more than 65536 bytes");
  }

  @Test
  void notFoundIsNotRetried() {
    assertThatThrownBy(() -> client.get("/latest/meta-data/nothing-here"))
        .isInstanceOfSatisfying(ImdsException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThat(imds.count("/latest/meta-data/nothing-here")).isEqualTo(1);
  }

  @Test
  void reportsARefusedConnection() {
    imds.down();
    assertThatThrownBy(() -> client.get(INSTANCE_ID))
        .isInstanceOfSatisfying(ImdsException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE))
        .hasMessageContaining(imds.endpoint().toString());
  }

  @Test
  void endpointComesFromTheSdkEnvironmentVariable() throws Exception {
    ImdsSettings fromEnv = ImdsSettings.fromEnv(Map.of(ImdsSettings.ENDPOINT_ENV, imds.endpoint() + "/")::get);
    assertThat(fromEnv.endpoint()).isEqualTo(imds.endpoint());
    try (ImdsClient envClient = new ImdsClient(fromEnv)) {
      assertThat(envClient.get(INSTANCE_ID)).isEqualTo("i-0123456789abcdef0");
    }
    assertThat(ImdsSettings.fromEnv(Map.<String, String>of()::get).endpoint())
        .isEqualTo(URI.create("http://169.254.169.254"));
    assertThat(ImdsSettings.fromEnv(Map.of(ImdsSettings.ENDPOINT_MODE_ENV, "IPv6")::get).endpoint())
        .isEqualTo(URI.create("http://[fd00:ec2::254]"));
    assertThatThrownBy(() -> ImdsSettings.fromEnv(Map.of(ImdsSettings.ENDPOINT_ENV, "169.254.169.254")::get))
        .hasMessageContaining(ImdsSettings.ENDPOINT_ENV).hasMessageContaining("expected a URL");
  }

  @Test
  void settingsRefuseTimeoutsAboveOneSecond() {
    assertThatThrownBy(() -> ImdsSettings.defaults(imds.endpoint()).withCallTimeout(Duration.ofSeconds(2)))
        .hasMessageContaining("(0, 1s]");
  }
}
