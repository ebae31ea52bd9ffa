package io.enareceiver.metrics;

import io.enareceiver.ena.StatCatalog;
import io.enareceiver.ena.StatClass;
import io.enareceiver.ena.StatClassification;
import io.enareceiver.ena.StatGroup;
import io.enareceiver.ena.StatKind;
import io.enareceiver.ethtool.NetInterface;
import java.util.function.Predicate;

/**
 * The production {@link StatMapper}: the ENA catalog says what each statistic is, the
 * configuration says which metrics are on. Allowance counters are always tracked, because
 * throttled time and peak rate derive from them even when the raw counter metric is off; the
 * producer drops what is disabled. Per-queue and generic statistics are not tracked at all when
 * off, so they cost no memory.
 */
public final class CatalogStatMapper implements StatMapper {
  private static final System.Logger LOG = System.getLogger(CatalogStatMapper.class.getName());
  private final Predicate<String> metricEnabled;
  private final Predicate<String> genericStatIncluded;

  /**
   * @param metricEnabled       whether a metric (by name) is switched on
   * @param genericStatIncluded whether a statistic name passes the {@code ethtool.stat}
   *     include/exclude patterns
   */
  public CatalogStatMapper(Predicate<String> metricEnabled, Predicate<String> genericStatIncluded) {
    this.metricEnabled = metricEnabled;
    this.genericStatIncluded = genericStatIncluded;
  }

  @Override
  public StatRole[] map(NetInterface iface, String[] names, int count) {
    StatClassification classes = StatCatalog.classify(iface.driver(), names, count);
    // Once per change of the stat list (not per sample): an ENA too old for the allowance
    // counters gets no zeros, it gets this explanation.
    for (String missing : classes.missingStatsExplanations("")) {
      LOG.log(System.Logger.Level.WARNING, "{0}: {1}", iface.name(), missing);
    }
    StatRole[] roles = new StatRole[count];
    for (int i = 0; i < count; i++) {
      StatClass c = classes.get(i);
      boolean allowance = c.group() == StatGroup.ALLOWANCE;
      if (!allowance && !metricEnabled.test(c.metric())) {
        continue;
      }
      if (c.group() == StatGroup.GENERIC && !genericStatIncluded.test(c.statName())) {
        continue;
      }
      MetricDescriptor metric = MetricContract.statMetric(c.metric());
      if ((c.kind() == StatKind.COUNTER) != metric.isCounter()) {
        throw new IllegalStateException("catalog and contract disagree on the kind of " + c.metric());
      }
      roles[i] = new StatRole(metric,
          c.attributes().toBuilder().put(MetricContract.INTERFACE_NAME, iface.name()).build(), allowance);
    }
    return roles;
  }
}
