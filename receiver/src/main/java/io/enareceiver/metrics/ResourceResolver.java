package io.enareceiver.metrics;

import io.enareceiver.ethtool.NetInterface;
import io.opentelemetry.sdk.resources.Resource;

/**
 * Gives each monitored interface its OpenTelemetry {@link Resource} (node, instance and ENI
 * identity), and the receiver itself a resource for its self-telemetry. Implementations cache:
 * the producer asks on every export.
 */
public interface ResourceResolver {
  Resource forInterface(NetInterface iface);

  Resource base();

  /** A resolver that knows nothing about the host: for tests and the {@code stats} command. */
  static ResourceResolver of(Resource base) {
    return new ResourceResolver() {
      @Override
      public Resource forInterface(NetInterface iface) {
        return base;
      }

      @Override
      public Resource base() {
        return base;
      }
    };
  }
}
