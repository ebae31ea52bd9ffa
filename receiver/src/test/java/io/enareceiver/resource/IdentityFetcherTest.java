package io.enareceiver.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.enareceiver.resource.ImdsException.Reason;
import io.enareceiver.testing.RandomInputs;
import io.enareceiver.testing.imds.FakeImds;
import io.enareceiver.testing.imds.FakeImds.Eni;
import io.enareceiver.testing.imds.FakeImds.Instance;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IdentityFetcherTest {
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  private final FakeImds imds = FakeImds.start(Instance.sample());
  private final ImdsClient client = new ImdsClient(ImdsSettings.defaults(imds.endpoint()).withCallTimeout(Duration.ofMillis(500)));
  private final IdentityFetcher fetcher = new IdentityFetcher(client);

  @AfterEach
  void stop() {
    client.close();
    imds.close();
  }

  @Test
  void mapsTheIdentityDocumentAndEveryEniByMac() throws Exception {
    imds.instance(Instance.sample().withEnis(List.of(
        new Eni("0E:AA:BB:CC:DD:01", "eni-0aaaaaaaaaaaaaaa1", 0),
        new Eni("0e:aa:bb:cc:dd:03", "eni-0ccccccccccccccc3", 2))));

    InstanceIdentity id = fetcher.fetch(DEADLINE);

    assertThat(id.instanceId()).isEqualTo("i-0123456789abcdef0");
    assertThat(id.instanceType()).isEqualTo("m6i.large");
    assertThat(id.hostname()).isEqualTo("ip-10-0-1-23.ec2.internal");
    assertThat(id.region()).isEqualTo("us-east-1");
    assertThat(id.availabilityZone()).isEqualTo("us-east-1a");
    assertThat(id.accountId()).isEqualTo("123456789012");
    assertThat(id.enisByMac()).containsOnlyKeys("0e:aa:bb:cc:dd:01", "0e:aa:bb:cc:dd:03");
    assertThat(id.eniForMac("0e:aa:bb:cc:dd:01")).contains(new EniInfo("eni-0aaaaaaaaaaaaaaa1", 0));
    assertThat(id.eniForMac("0E:AA:BB:CC:DD:03")).contains(new EniInfo("eni-0ccccccccccccccc3", 2));
    assertThat(id.eniForMac("0e:aa:bb:cc:dd:99")).isEmpty();
    assertThat(id.eniForMac("")).isEmpty();
  }

  @Test
  void anInstanceWithoutHostnameHasNone() throws Exception {
    Instance s = Instance.sample();
    imds.instance(new Instance(s.instanceId(), s.instanceType(), s.region(), s.availabilityZone(), s.accountId(), null, s.enis()));
    assertThat(fetcher.fetch(DEADLINE).hostname()).isNull();
  }

  @Test
  void garbageIsRefusedNamingThePath() {
    imds.garbage(true);
    assertThatThrownBy(() -> fetcher.fetch(DEADLINE))
        .isInstanceOfSatisfying(ImdsException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.BAD_ANSWER);
          assertThat(e.path()).isEqualTo(IdentityFetcher.DOCUMENT_PATH);
        })
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void aBadInstanceIdIsRefused() {
    Instance s = Instance.sample();
    imds.instance(new Instance("instance-1", s.instanceType(), s.region(), s.availabilityZone(), s.accountId(), s.hostname(), s.enis()));
    assertThatThrownBy(() -> fetcher.fetch(DEADLINE))
        .hasMessageContaining(IdentityFetcher.DOCUMENT_PATH)
        .hasMessageContaining("'instanceId' should be an instance id such as i-0123456789abcdef0, got 'instance-1'");
  }

  @Test
  void aZoneOutsideTheRegionIsRefused() {
    Instance s = Instance.sample();
    imds.instance(new Instance(s.instanceId(), s.instanceType(), s.region(), "eu-west-1a", s.accountId(), s.hostname(), s.enis()));
    assertThatThrownBy(() -> fetcher.fetch(DEADLINE)).hasMessageContaining("'availabilityZone' should be an availability zone of region us-east-1");
  }

  @Test
  void aBadEniIdIsRefusedNamingItsPath() {
    imds.instance(Instance.sample().withEnis(List.of(new Eni("0e:aa:bb:cc:dd:01", "interface-7", 0))));
    assertThatThrownBy(() -> fetcher.fetch(DEADLINE))
        .isInstanceOfSatisfying(ImdsException.class, e ->
            assertThat(e.path()).isEqualTo(FakeImds.MACS_PATH + "0e:aa:bb:cc:dd:01/interface-id"))
        .hasMessageContaining("expected an ENI id such as eni-0123456789abcdef0, got 'interface-7'");
  }

  @Test
  void aBadMacIsRefused() {
    imds.instance(Instance.sample().withEnis(List.of(new Eni("not-a-mac", "eni-0aaaaaaaaaaaaaaa1", 0))));
    assertThatThrownBy(() -> fetcher.fetch(DEADLINE))
        .hasMessageContaining(FakeImds.MACS_PATH).hasMessageContaining("expected one MAC address");
  }

  @Test
  void validDocumentFieldsAreTheTopLevelStrings() throws Exception {
    var doc = IdentityFetcher.parseDocument("""
        {"accountId":"123456789012","billingProducts":null,"marketplaceProductCodes":["x"],
         "nested":{"instanceId":"i-bad"},"instanceId":"i-0123456789abcdef0"}""");
    assertThat(doc).containsEntry("instanceId", "i-0123456789abcdef0").doesNotContainKey("billingProducts");
    assertThatThrownBy(() -> IdentityFetcher.parseDocument("{\"a\":\"1\",\"a\":\"2\"}"))
        .hasMessageContaining("not valid JSON").hasMessageContaining("Duplicate");
    assertThatThrownBy(() -> IdentityFetcher.parseDocument("{} {}"))
        .hasMessageContaining("nothing after it");
  }

  /** Whatever IMDS sends, the parser either answers or says what is wrong; nothing else escapes. */
  @Test
  void anyDocumentParsesOrFailsWithImdsException() {
    RandomInputs.forAll(300, random -> {
      String body = random.nextBoolean()
          ? RandomInputs.anyString(random, 200)
          : RandomInputs.string(random, "{}[]\":,0123456789.-+eEtrufalsn \\u", 200);
      try {
        IdentityFetcher.parseDocument(body);
      } catch (ImdsException e) {
        assertThat(e.getMessage()).contains(IdentityFetcher.DOCUMENT_PATH);
      }
    });
  }
}
