package io.enareceiver.resource;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Who this node is, as EC2 instance metadata says: the instance, where it runs, and which ENI
 * sits behind each MAC address. Immutable; values are validated by {@link IdentityFetcher}.
 *
 * @param instanceId       e.g. {@code i-0123456789abcdef0}
 * @param instanceType     e.g. {@code m6i.large}
 * @param hostname         {@code local-hostname}, or {@code null} when the instance has none
 * @param region           e.g. {@code us-east-1}
 * @param availabilityZone e.g. {@code us-east-1a}
 * @param accountId        12-digit AWS account id
 * @param enisByMac        ENI per MAC address; keys are lower-case {@code aa:bb:cc:dd:ee:ff}
 */
public record InstanceIdentity(
    String instanceId,
    String instanceType,
    String hostname,
    String region,
    String availabilityZone,
    String accountId,
    Map<String, EniInfo> enisByMac) {

  public InstanceIdentity {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(instanceType, "instanceType");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(availabilityZone, "availabilityZone");
    Objects.requireNonNull(accountId, "accountId");
    TreeMap<String, EniInfo> normalized = new TreeMap<>();
    enisByMac.forEach((mac, eni) -> normalized.put(mac.toLowerCase(Locale.ROOT), Objects.requireNonNull(eni)));
    enisByMac = java.util.Collections.unmodifiableMap(normalized);
  }

  /** The ENI whose MAC is {@code mac} (any case); empty when the MAC is unknown or empty. */
  public Optional<EniInfo> eniForMac(String mac) {
    if (mac == null || mac.isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(enisByMac.get(mac.toLowerCase(Locale.ROOT)));
  }

  /** {@link #hostname()} as an optional. */
  public Optional<String> hostnameIfKnown() {
    return Optional.ofNullable(hostname);
  }
}
