package io.enareceiver.resource;

import io.enareceiver.ethtool.NetInterface;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Builds the OpenTelemetry {@link Resource} of one monitored interface: who sends (service.*),
 * on which node and instance (k8s.node.name, host.*, cloud.*), and which ENI (aws.ec2.eni.*).
 *
 * <p>Rules:
 * <ul>
 *   <li>An attribute that is not known is absent, never an empty string; missing identity never
 *       stops anything.
 *   <li>{@code OTEL_RESOURCE_ATTRIBUTES} overrides detected values, as the OpenTelemetry SDK's
 *       environment detector does, including {@code service.instance.id} (some deployments set it
 *       to the pod UID). {@code OTEL_SERVICE_NAME} overrides both for {@code service.name}.
 *       The exceptions are {@code aws.ec2.eni.id} and {@code aws.ec2.eni.device_index}: one
 *       process-wide value cannot describe several ENIs, so user values for them are ignored.
 *   <li>{@code cloud.platform} is {@code aws_eks} when {@code K8S_NODE_NAME} is set (the agent runs
 *       as a DaemonSet on a Kubernetes node on EC2, which for this product means EKS), otherwise
 *       {@code aws_ec2}; self-managed clusters can set {@code cloud.platform=aws_ec2} in
 *       {@code OTEL_RESOURCE_ATTRIBUTES}. {@code cloud.*} appears only once IMDS has answered.
 * </ul>
 *
 * <p>Resources are cached per interface (name and MAC) and identity version, so producing metrics
 * does not rebuild them every export. Thread-safe.
 */
public final class ResourceFactory {
  public static final String SERVICE_NAME = "ena-receiver";

  static final AttributeKey<String> SERVICE_NAME_KEY = AttributeKey.stringKey("service.name");
  static final AttributeKey<String> SERVICE_VERSION = AttributeKey.stringKey("service.version");
  static final AttributeKey<String> SERVICE_INSTANCE_ID = AttributeKey.stringKey("service.instance.id");
  static final AttributeKey<String> K8S_NODE_NAME = AttributeKey.stringKey("k8s.node.name");
  static final AttributeKey<String> HOST_ID = AttributeKey.stringKey("host.id");
  static final AttributeKey<String> HOST_NAME = AttributeKey.stringKey("host.name");
  static final AttributeKey<String> HOST_TYPE = AttributeKey.stringKey("host.type");
  static final AttributeKey<String> CLOUD_PROVIDER = AttributeKey.stringKey("cloud.provider");
  static final AttributeKey<String> CLOUD_PLATFORM = AttributeKey.stringKey("cloud.platform");
  static final AttributeKey<String> CLOUD_REGION = AttributeKey.stringKey("cloud.region");
  static final AttributeKey<String> CLOUD_ZONE = AttributeKey.stringKey("cloud.availability_zone");
  static final AttributeKey<String> CLOUD_ACCOUNT = AttributeKey.stringKey("cloud.account.id");
  static final AttributeKey<String> ENI_ID = AttributeKey.stringKey("aws.ec2.eni.id");
  static final AttributeKey<Long> ENI_DEVICE_INDEX = AttributeKey.longKey("aws.ec2.eni.device_index");

  private static final Set<String> PER_INTERFACE_KEYS = Set.of(ENI_ID.getKey(), ENI_DEVICE_INDEX.getKey());
  private static final Logger LOG = System.getLogger(ResourceFactory.class.getName());

  private final Supplier<IdentitySnapshot> identity;
  private final Attributes processAttributes; // service.*, k8s.node.name: fixed for the process
  private final Attributes userAttributes;    // OTEL_RESOURCE_ATTRIBUTES + OTEL_SERVICE_NAME
  private final boolean onKubernetes;
  private final String osHostname;            // null when unknown
  /**
   * Bounded so that interfaces which come and go (pod churn, renames) cannot grow it for ever:
   * least recently used entries beyond {@link #CACHE_LIMIT} are dropped and simply rebuilt if
   * their interface shows up again.
   */
  private final Map<InterfaceKey, Cached> cache = java.util.Collections.synchronizedMap(
      new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InterfaceKey, Cached> eldest) {
          return size() > CACHE_LIMIT;
        }
      });

  static final int CACHE_LIMIT = 256;

  /** For tests: how many Resources are cached. */
  int cachedResources() {
    return cache.size();
  }
  private volatile Cached identityBase = new Cached(-1, null);

  private record InterfaceKey(String name, String mac) {}

  private record Cached(long version, Resource resource) {}

  /**
   * @param identity where the current identity comes from, normally {@link IdentityService#current}
   * @param env      environment lookup ({@code System::getenv} in production)
   */
  public ResourceFactory(Supplier<IdentitySnapshot> identity, Function<String, String> env) {
    this(identity, env, osHostname(env));
  }

  ResourceFactory(Supplier<IdentitySnapshot> identity, Function<String, String> env, String osHostname) {
    this.identity = Objects.requireNonNull(identity, "identity");
    this.osHostname = nonBlank(osHostname);
    String nodeName = nonBlank(env.apply("K8S_NODE_NAME"));
    this.onKubernetes = nodeName != null;

    AttributesBuilder process = Attributes.builder();
    process.put(SERVICE_NAME_KEY, SERVICE_NAME);
    putIfKnown(process, SERVICE_VERSION, io.enareceiver.ReceiverVersion.orNull());
    process.put(SERVICE_INSTANCE_ID, ProcessInstance.ID);
    putIfKnown(process, K8S_NODE_NAME, nodeName);
    this.processAttributes = process.build();

    AttributesBuilder user = Attributes.builder();
    try {
      for (Map.Entry<String, String> e : ResourceAttributesEnv.parse(env.apply(ResourceAttributesEnv.ENV)).entrySet()) {
        if (PER_INTERFACE_KEYS.contains(e.getKey())) {
          LOG.log(Level.WARNING, ResourceAttributesEnv.ENV + ": ignoring " + e.getKey()
              + ", which is detected per interface and cannot be set for the whole process");
        } else {
          user.put(e.getKey(), e.getValue());
        }
      }
    } catch (IllegalArgumentException e) {
      LOG.log(Level.WARNING, e.getMessage() + "; the whole variable is ignored");
    }
    putIfKnown(user, SERVICE_NAME_KEY, nonBlank(env.apply("OTEL_SERVICE_NAME")));
    this.userAttributes = user.build();
  }

  /** The Resource for {@code iface} under the identity known now. Cheap when nothing changed. */
  public Resource resourceFor(NetInterface iface) {
    IdentitySnapshot snap = identity.get();
    InterfaceKey key = new InterfaceKey(iface.name(), iface.mac().toLowerCase(Locale.ROOT));
    Cached cached = cache.get(key);
    if (cached != null && cached.version() == snap.version()) {
      return cached.resource();
    }
    Resource base = baseFor(snap);
    Resource resource = snap.identityIfKnown()
        .flatMap(id -> id.eniForMac(iface.mac()))
        .map(eni -> base.merge(Resource.create(Attributes.of(
            ENI_ID, eni.eniId(), ENI_DEVICE_INDEX, (long) eni.deviceIndex()))))
        .orElse(base);
    cache.put(key, new Cached(snap.version(), resource));
    return resource;
  }

  /** The Resource of the receiver itself (no interface), for its self-telemetry. */
  public Resource baseResource() {
    return baseFor(identity.get());
  }

  /** The random id of this process, the same in every Resource unless the user overrides it. */
  public static String serviceInstanceId() {
    return ProcessInstance.ID;
  }

  /** The attributes every interface shares under one identity; rebuilt only when it changes. */
  private Resource baseFor(IdentitySnapshot snap) {
    Cached base = identityBase;
    if (base.version() == snap.version()) {
      return base.resource();
    }
    AttributesBuilder detected = processAttributes.toBuilder();
    InstanceIdentity id = snap.identity();
    if (id != null) {
      detected.put(HOST_ID, id.instanceId());
      detected.put(HOST_TYPE, id.instanceType());
      detected.put(CLOUD_PROVIDER, "aws");
      detected.put(CLOUD_PLATFORM, onKubernetes ? "aws_eks" : "aws_ec2");
      detected.put(CLOUD_REGION, id.region());
      detected.put(CLOUD_ZONE, id.availabilityZone());
      detected.put(CLOUD_ACCOUNT, id.accountId());
    }
    putIfKnown(detected, HOST_NAME, id != null && id.hostname() != null ? id.hostname() : osHostname);
    // Resource.getDefault() contributes telemetry.sdk.*; ours, then the user's, win over it.
    Resource resource = Resource.getDefault()
        .merge(Resource.create(detected.build()))
        .merge(Resource.create(userAttributes));
    identityBase = new Cached(snap.version(), resource);
    return resource;
  }

  private static void putIfKnown(AttributesBuilder builder, AttributeKey<String> key, String value) {
    String v = nonBlank(value);
    if (v != null) {
      builder.put(key, v);
    }
  }

  private static String nonBlank(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  /**
   * The kernel's host name (in a hostNetwork pod: the node's). Read from procfs rather than through
   * {@link java.net.InetAddress#getLocalHost()}, which may wait on DNS.
   */
  private static String osHostname(Function<String, String> env) {
    try {
      String name = nonBlank(Files.readString(Path.of("/proc/sys/kernel/hostname")));
      if (name != null) {
        return name;
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or procfs hidden: fall through.
    }
    return nonBlank(env.apply("HOSTNAME"));
  }

  /**
   * One random (version 4) id per process, made on first use. The 122 random bits come straight
   * from {@code /dev/urandom}, the kernel's generator that {@link UUID#randomUUID()} ends up
   * reading too: going through {@code SecureRandom} would load and initialise the JCA provider
   * framework (about 120 classes, ~0.5 MB of metaspace for the life of the agent) for one id.
   */
  static final class ProcessInstance {
    static final String ID = randomUuid(Path.of("/dev/urandom")).toString();

    private ProcessInstance() {}

    static UUID randomUuid(Path randomSource) {
      byte[] b;
      try (InputStream in = Files.newInputStream(randomSource)) {
        b = in.readNBytes(16);
      } catch (IOException e) {
        b = new byte[0];
      }
      if (b.length < 16) {
        return UUID.randomUUID(); // not Linux as we know it: let the JDK find randomness
      }
      b[6] = (byte) ((b[6] & 0x0f) | 0x40); // version 4
      b[8] = (byte) ((b[8] & 0x3f) | 0x80); // IETF variant
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
      return new UUID(buf.getLong(), buf.getLong());
    }
  }
}
