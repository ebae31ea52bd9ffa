package io.enareceiver.resource;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.ethtool.NetInterface;
import io.enareceiver.testing.RandomInputs;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.resources.Resource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

class ResourceFactoryTest {
  private static final InstanceIdentity IDENTITY = new InstanceIdentity("i-0123456789abcdef0", "m6i.large",
      "ip-10-0-1-23.ec2.internal", "us-east-1", "us-east-1a", "123456789012",
      Map.of("0e:aa:bb:cc:dd:01", new EniInfo("eni-0aaaaaaaaaaaaaaa1", 0),
          "0e:aa:bb:cc:dd:02", new EniInfo("eni-0bbbbbbbbbbbbbbb2", 1)));
  private static final NetInterface ETH0 = new NetInterface("eth0", 2, "0e:aa:bb:cc:dd:01", "ena", "up");
  private static final NetInterface ETH1 = new NetInterface("eth1", 3, "0E:AA:BB:CC:DD:02", "ena", "up");

  private final AtomicReference<IdentitySnapshot> snapshot = new AtomicReference<>(new IdentitySnapshot(1, IDENTITY));
  private final Map<String, String> env = new HashMap<>();

  private ResourceFactory factory() {
    return new ResourceFactory(snapshot::get, env::get, "os-host");
  }

  private static String attr(Resource r, String key) {
    return r.getAttribute(AttributeKey.stringKey(key));
  }

  @Test
  void theCacheStaysBoundedWhileInterfacesComeAndGoAndStillServesTheLiveOnes() {
    ResourceFactory factory = factory();
    Resource eth0 = factory.resourceFor(ETH0);
    for (int i = 0; i < 5_000; i++) {
      factory.resourceFor(new NetInterface("veth" + i, 100 + i, "", "", "up"));
      if (i % 100 == 0) {
        assertThat(factory.resourceFor(ETH0)).isSameAs(eth0);
      }
    }
    assertThat(factory.cachedResources()).isLessThanOrEqualTo(ResourceFactory.CACHE_LIMIT);
    assertThat(factory.resourceFor(ETH0)).isSameAs(eth0);
  }

  @Test
  void processInstanceIdsAreVersion4UuidsFromTheKernelsRandomness(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.util.Set<java.util.UUID> seen = new java.util.HashSet<>();
    for (int i = 0; i < 1000; i++) {
      java.util.UUID id = ResourceFactory.ProcessInstance.randomUuid(java.nio.file.Path.of("/dev/urandom"));
      assertThat(id.version()).isEqualTo(4);
      assertThat(id.variant()).isEqualTo(2);
      seen.add(id);
    }
    assertThat(seen).hasSize(1000);

    // The bits are the source's, with only the version and variant bits forced.
    java.nio.file.Path zeros = dir.resolve("zeros");
    java.nio.file.Files.write(zeros, new byte[16]);
    assertThat(ResourceFactory.ProcessInstance.randomUuid(zeros))
        .hasToString("00000000-0000-4000-8000-000000000000");
    // A source that is missing or too short falls back to the JDK's generator.
    java.nio.file.Files.write(zeros, new byte[3]);
    assertThat(ResourceFactory.ProcessInstance.randomUuid(zeros).version()).isEqualTo(4);
    assertThat(ResourceFactory.ProcessInstance.randomUuid(dir.resolve("absent")).version()).isEqualTo(4);
  }

  @Test
  void describesServiceNodeInstanceAndEni() {
    env.put("K8S_NODE_NAME", "ip-10-0-1-23.ec2.internal");
    Resource r = factory().resourceFor(ETH1);

    assertThat(attr(r, "service.name")).isEqualTo("ena-receiver");
    assertThat(attr(r, "service.version")).matches("\\d+\\.\\d+\\.\\d+.*").doesNotContain("${");
    assertThat(attr(r, "service.instance.id")).isEqualTo(ResourceFactory.serviceInstanceId())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(attr(r, "k8s.node.name")).isEqualTo("ip-10-0-1-23.ec2.internal");
    assertThat(attr(r, "host.id")).isEqualTo("i-0123456789abcdef0");
    assertThat(attr(r, "host.name")).isEqualTo("ip-10-0-1-23.ec2.internal");
    assertThat(attr(r, "host.type")).isEqualTo("m6i.large");
    assertThat(attr(r, "cloud.provider")).isEqualTo("aws");
    assertThat(attr(r, "cloud.platform")).isEqualTo("aws_eks");
    assertThat(attr(r, "cloud.region")).isEqualTo("us-east-1");
    assertThat(attr(r, "cloud.availability_zone")).isEqualTo("us-east-1a");
    assertThat(attr(r, "cloud.account.id")).isEqualTo("123456789012");
    // Matched by MAC whatever its case.
    assertThat(attr(r, "aws.ec2.eni.id")).isEqualTo("eni-0bbbbbbbbbbbbbbb2");
    assertThat(r.getAttribute(AttributeKey.longKey("aws.ec2.eni.device_index"))).isEqualTo(1L);
    assertThat(attr(r, "telemetry.sdk.language")).isEqualTo("java");
  }

  @Test
  void eachInterfaceGetsItsOwnEni() {
    ResourceFactory f = factory();
    assertThat(attr(f.resourceFor(ETH0), "aws.ec2.eni.id")).isEqualTo("eni-0aaaaaaaaaaaaaaa1");
    assertThat(attr(f.resourceFor(ETH1), "aws.ec2.eni.id")).isEqualTo("eni-0bbbbbbbbbbbbbbb2");
    assertThat(attr(f.resourceFor(ETH0), "cloud.platform")).as("no K8S_NODE_NAME").isEqualTo("aws_ec2");
  }

  @Test
  void unknownThingsAreAbsentNotEmpty() {
    snapshot.set(IdentitySnapshot.EMPTY);
    Resource r = factory().resourceFor(new NetInterface("veth0", 9, "", "", "up"));
    assertThat(r.getAttributes().asMap().keySet()).extracting(AttributeKey::getKey)
        .contains("service.name", "service.instance.id", "host.name")
        .doesNotContain("host.id", "host.type", "cloud.provider", "cloud.platform", "cloud.region",
            "cloud.account.id", "k8s.node.name", "aws.ec2.eni.id", "aws.ec2.eni.device_index");
    assertThat(attr(r, "host.name")).isEqualTo("os-host");

    snapshot.set(new IdentitySnapshot(2, IDENTITY));
    Resource noEni = factory().resourceFor(new NetInterface("eth9", 9, "02:00:00:00:00:99", "ena", "up"));
    assertThat(attr(noEni, "host.id")).isEqualTo("i-0123456789abcdef0");
    assertThat(attr(noEni, "aws.ec2.eni.id")).isNull();
  }

  @Test
  void hostNameFallsBackToTheOsWhenImdsHasNone() {
    snapshot.set(new IdentitySnapshot(1, new InstanceIdentity("i-0123456789abcdef0", "m6i.large", null,
        "us-east-1", "us-east-1a", "123456789012", Map.of())));
    assertThat(attr(factory().resourceFor(ETH0), "host.name")).isEqualTo("os-host");
  }

  @Test
  void userAttributesOverrideDetectedOnesExceptPerInterfaceOnes() {
    env.put("OTEL_RESOURCE_ATTRIBUTES",
        "deployment.environment.name=prod,team=net%20ops%2Cedge,cloud.platform=aws_ec2,"
            + "service.instance.id=pod-123,aws.ec2.eni.id=eni-0fffffffffffffff0,empty=");
    env.put("K8S_NODE_NAME", "node-a");
    try (LogCapture log = new LogCapture(ResourceFactory.class)) {
      Resource r = factory().resourceFor(ETH0);
      assertThat(attr(r, "deployment.environment.name")).isEqualTo("prod");
      assertThat(attr(r, "team")).isEqualTo("net ops,edge");
      assertThat(attr(r, "cloud.platform")).isEqualTo("aws_ec2");
      assertThat(attr(r, "service.instance.id")).isEqualTo("pod-123");
      assertThat(attr(r, "aws.ec2.eni.id")).isEqualTo("eni-0aaaaaaaaaaaaaaa1");
      assertThat(attr(r, "empty")).isNull();
      assertThat(log.at(Level.WARNING)).singleElement()
          .satisfies(w -> assertThat(w.getMessage()).contains("ignoring aws.ec2.eni.id"));
    }
  }

  @Test
  void serviceNameVariableWinsOverResourceAttributes() {
    env.put("OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attributes");
    assertThat(attr(factory().resourceFor(ETH0), "service.name")).isEqualTo("from-attributes");
    env.put("OTEL_SERVICE_NAME", "ena-prod");
    assertThat(attr(factory().resourceFor(ETH0), "service.name")).isEqualTo("ena-prod");
  }

  @Test
  void aMalformedAttributeListIsIgnoredWholeWithOneWarning() {
    env.put("OTEL_RESOURCE_ATTRIBUTES", "team=net,broken,env=%zz");
    try (LogCapture log = new LogCapture(ResourceFactory.class)) {
      Resource r = factory().resourceFor(ETH0);
      assertThat(attr(r, "team")).isNull();
      assertThat(log.at(Level.WARNING)).singleElement()
          .satisfies(w -> assertThat(w.getMessage()).contains("OTEL_RESOURCE_ATTRIBUTES: entry 'broken' is not key=value"));
    }
  }

  @Test
  void aKeyTheSdkWouldRefuseIsIgnoredWholeWithOneWarning() {
    // Regression: Resource.create threw IllegalArgumentException for these, failing resourceFor.
    for (String badKey : List.of("t\u00e9am", "a\tb", "k".repeat(256))) {
      env.put("OTEL_RESOURCE_ATTRIBUTES", "team=net," + badKey + "=x");
      try (LogCapture log = new LogCapture(ResourceFactory.class)) {
        Resource r = factory().resourceFor(ETH0);
        assertThat(attr(r, "team")).isNull();
        assertThat(log.at(Level.WARNING)).singleElement()
            .satisfies(w -> assertThat(w.getMessage()).contains("not printable ASCII of at most 255 characters"));
      }
    }
  }

  @Test
  void resourcesAreReusedUntilTheIdentityChanges() {
    ResourceFactory f = factory();
    Resource first = f.resourceFor(ETH0);
    assertThat(f.resourceFor(new NetInterface("eth0", 2, "0e:aa:bb:cc:dd:01", "ena", "down"))).isSameAs(first);

    snapshot.set(new IdentitySnapshot(2, new InstanceIdentity("i-0123456789abcdef0", "m6i.xlarge",
        IDENTITY.hostname(), "us-east-1", "us-east-1a", "123456789012", IDENTITY.enisByMac())));
    Resource second = f.resourceFor(ETH0);
    assertThat(second).isNotSameAs(first);
    assertThat(attr(second, "host.type")).isEqualTo("m6i.xlarge");
    assertThat(f.resourceFor(ETH0)).isSameAs(second);
  }

  /** Whatever the environment says, no attribute ends up an empty string. */
  @Test
  void noAttributeIsEverEmpty() {
    RandomInputs.forAll(200, random -> assertNoAttributeIsEmpty(
        attributeList(random), RandomInputs.anyString(random, 20), RandomInputs.anyString(random, 20)));
  }

  /** Arbitrary text half the time, else key=value lists with blanks, escapes and separators. */
  private static String attributeList(SplittableRandom random) {
    return random.nextBoolean()
        ? RandomInputs.anyString(random, 80)
        : RandomInputs.string(random, "ab.=, %20%2C%zz\t", 80);
  }

  private static void assertNoAttributeIsEmpty(String attributes, String serviceName, String node) {
    Map<String, String> e = Map.of("OTEL_RESOURCE_ATTRIBUTES", attributes, "OTEL_SERVICE_NAME", serviceName,
        "K8S_NODE_NAME", node);
    try (LogCapture log = new LogCapture(ResourceFactory.class).quiet()) {
      for (IdentitySnapshot s : new IdentitySnapshot[] {IdentitySnapshot.EMPTY, new IdentitySnapshot(1, IDENTITY)}) {
        Resource r = new ResourceFactory(() -> s, e::get, "").resourceFor(ETH0);
        r.getAttributes().forEach((k, v) -> assertThat(v.toString()).as(k.getKey()).isNotBlank());
        assertThat(attr(r, "service.name")).isNotBlank();
      }
    }
  }
}
