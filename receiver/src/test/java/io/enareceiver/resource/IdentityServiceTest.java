package io.enareceiver.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.enareceiver.ethtool.NetInterface;
import io.enareceiver.testing.imds.FakeImds;
import io.enareceiver.testing.imds.FakeImds.Eni;
import io.enareceiver.testing.imds.FakeImds.Instance;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IdentityServiceTest {
  /** Fast timings so the retry and refresh paths run in a test: same logic, shorter pauses. */
  private static final IdentityService.Timing FAST = new IdentityService.Timing(
      Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(100));
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final FakeImds imds = FakeImds.start(Instance.sample());
  private final LogCapture log = new LogCapture(IdentityService.class);
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    log.close();
    imds.close();
  }

  private IdentityService service(Duration callTimeout) {
    IdentityService s = new IdentityService(ImdsSettings.defaults(imds.endpoint()).withCallTimeout(callTimeout), FAST);
    toClose.add(s);
    return s;
  }

  @Test
  void currentAnswersAtOnceWhileImdsIsSlow() {
    imds.delay(Duration.ofSeconds(3));
    IdentityService s = service(Duration.ofMillis(200));
    s.start();
    // The fetch is stuck on the fake for seconds; the collection side still gets an answer.
    assertThat(s.current()).isEqualTo(IdentitySnapshot.EMPTY);
    await().atMost(WAIT).until(() -> !log.at(Level.WARNING).isEmpty());
    assertThat(s.current()).isEqualTo(IdentitySnapshot.EMPTY);
  }

  @Test
  void downAtStartWarnsOnceWithTheFixThenPicksUpTheIdentity() {
    imds.down();
    IdentityService s = service(Duration.ofMillis(300));
    ResourceFactory resources = new ResourceFactory(s::current, Map.<String, String>of()::get, "os-host");
    s.start();

    // Several failed attempts (50 ms doubling to 200 ms) before it comes up.
    await().atMost(WAIT).until(() -> log.at(Level.FINE).size() >= 3);
    assertThat(log.at(Level.WARNING)).singleElement().satisfies(r -> assertThat(r.getMessage())
        .contains(imds.endpoint().toString())
        .contains("hostNetwork: true")
        .contains("--http-put-response-hop-limit 2")
        .contains(ImdsSettings.ENDPOINT_ENV)
        .contains(IdentityService.DISABLED_ENV));
    assertThat(resources.resourceFor(eth0()).getAttribute(AttributeKey.stringKey("host.id"))).isNull();

    imds.up();
    await().atMost(WAIT).until(() -> s.current().identity() != null);

    assertThat(log.at(Level.WARNING)).hasSize(1);
    assertThat(log.at(Level.INFO)).anySatisfy(r -> assertThat(r.getMessage())
        .startsWith("Instance identity known after").contains("i-0123456789abcdef0"));
    Resource r = resources.resourceFor(eth0());
    assertThat(r.getAttribute(AttributeKey.stringKey("host.id"))).isEqualTo("i-0123456789abcdef0");
    assertThat(r.getAttribute(AttributeKey.stringKey("aws.ec2.eni.id"))).isEqualTo("eni-0aaaaaaaaaaaaaaa1");
    assertThat(r.getAttribute(AttributeKey.stringKey("host.name"))).isEqualTo("ip-10-0-1-23.ec2.internal");
  }

  @Test
  void keepsTheLastGoodIdentityThroughServerErrorsAndGarbage() {
    IdentityService s = service(Duration.ofMillis(300));
    s.start();
    await().atMost(WAIT).until(() -> s.current().identity() != null);
    IdentitySnapshot good = s.current();

    imds.failWith(500);
    int before = imds.requests().size();
    await().atMost(WAIT).until(() -> imds.requests().size() > before + 6);
    assertThat(s.current()).isSameAs(good);

    imds.failWith(0);
    imds.garbage(true);
    int later = imds.requests().size();
    await().atMost(WAIT).until(() -> imds.requests().size() > later + 3);
    assertThat(s.current()).isSameAs(good);

    // One warning for the whole failure streak, not one per attempt.
    assertThat(log.at(Level.WARNING)).singleElement()
        .satisfies(r -> assertThat(r.getMessage()).startsWith("Instance identity refresh failed, keeping the last known"));
  }

  @Test
  void aNewEniIsPickedUpByTheRefreshAndTellsListeners() {
    IdentityService s = service(Duration.ofMillis(300));
    List<IdentitySnapshot> seen = new CopyOnWriteArrayList<>();
    s.addListener(seen::add);
    s.start();
    await().atMost(WAIT).until(() -> s.current().identity() != null);
    long version = s.current().version();

    List<Eni> enis = new ArrayList<>(Instance.sample().enis());
    enis.add(new Eni("0e:aa:bb:cc:dd:03", "eni-0ccccccccccccccc3", 2));
    imds.instance(Instance.sample().withEnis(enis));

    await().atMost(WAIT).until(() -> s.current().version() == version + 1);
    assertThat(s.current().identity().eniForMac("0e:aa:bb:cc:dd:03")).contains(new EniInfo("eni-0ccccccccccccccc3", 2));
    assertThat(seen).extracting(IdentitySnapshot::version).containsExactly(version, version + 1);
  }

  @Test
  void tokenExpiryMidRunIsInvisible() {
    IdentityService s = service(Duration.ofMillis(300));
    s.start();
    await().atMost(WAIT).until(() -> s.current().identity() != null);
    IdentitySnapshot good = s.current();
    imds.expireAllTokens();
    await().atMost(WAIT).until(() -> imds.count(FakeImds.TOKEN_PATH) >= 2);
    int after = imds.count(FakeImds.DOCUMENT_PATH);
    await().atMost(WAIT).until(() -> imds.count(FakeImds.DOCUMENT_PATH) > after + 1);
    assertThat(s.current()).isSameAs(good);
    assertThat(log.at(Level.WARNING)).isEmpty();
  }

  @Test
  void disabledByEnvironmentAsksNothingAndWarnsNothing() {
    IdentityService s = IdentityService.fromEnv(Map.of(
        IdentityService.DISABLED_ENV, "TRUE", ImdsSettings.ENDPOINT_ENV, imds.endpoint().toString())::get);
    toClose.add(s);
    s.start();
    assertThat(s.enabled()).isFalse();
    assertThat(s.current()).isEqualTo(IdentitySnapshot.EMPTY);
    assertThat(log.at(Level.WARNING)).isEmpty();
    assertThat(log.at(Level.INFO)).singleElement().satisfies(r -> assertThat(r.getMessage()).contains("AWS_EC2_METADATA_DISABLED=true"));
    assertThat(imds.requests()).isEmpty();
  }

  @Test
  void fromEnvUsesTheEndpointVariable() {
    IdentityService s = IdentityService.fromEnv(Map.of(ImdsSettings.ENDPOINT_ENV, imds.endpoint().toString())::get);
    toClose.add(s);
    s.start();
    await().atMost(WAIT).until(() -> s.current().identity() != null);
    assertThat(s.current().identity().instanceId()).isEqualTo("i-0123456789abcdef0");
  }

  @Test
  void aMalformedEndpointVariableLeavesImdsOffWithOneWarning() {
    IdentityService s = IdentityService.fromEnv(Map.of(ImdsSettings.ENDPOINT_ENV, "ftp://x")::get);
    toClose.add(s);
    assertThat(s.enabled()).isFalse();
    assertThat(log.at(Level.WARNING)).singleElement().satisfies(r -> assertThat(r.getMessage()).contains(ImdsSettings.ENDPOINT_ENV + "='ftp://x'"));
  }

  @Test
  void backoffDoublesUpToTheCap() {
    IdentityService t = new IdentityService(ImdsSettings.defaults(imds.endpoint()), IdentityService.Timing.defaults());
    toClose.add(t);
    assertThat(List.of(1, 2, 3, 5, 6, 7, 50)).map(t::backoff).map(Duration::toSeconds)
        .containsExactly(2L, 4L, 8L, 32L, 60L, 60L, 60L);
  }

  private static NetInterface eth0() {
    return new NetInterface("eth0", 2, "0e:aa:bb:cc:dd:01", "ena", "up");
  }
}
