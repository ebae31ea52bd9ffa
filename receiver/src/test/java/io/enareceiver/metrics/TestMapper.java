package io.enareceiver.metrics;

import io.opentelemetry.api.common.Attributes;

/** Maps allowance counters and conntrack_allowance_available the way the contract says. */
final class TestMapper {
  private TestMapper() {}

  static final StatMapper ENA = (iface, names, count) -> {
    StatRole[] roles = new StatRole[count];
    for (int i = 0; i < count; i++) {
      String n = names[i];
      if (n.endsWith("_allowance_exceeded")) {
        roles[i] = new StatRole(MetricContract.ALLOWANCE_EXCEEDED,
            Attributes.of(MetricContract.INTERFACE_NAME, iface.name(),
                MetricContract.ALLOWANCE, n.substring(0, n.length() - "_allowance_exceeded".length())),
            true);
      } else if (n.equals("conntrack_allowance_available")) {
        roles[i] = new StatRole(MetricContract.CONNTRACK_AVAILABLE,
            Attributes.of(MetricContract.INTERFACE_NAME, iface.name()), false);
      }
    }
    return roles;
  };
}
