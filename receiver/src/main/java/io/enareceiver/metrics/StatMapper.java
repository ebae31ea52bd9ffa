package io.enareceiver.metrics;

import io.enareceiver.ethtool.NetInterface;

/**
 * Decides, for one interface and its current list of statistic names, which statistics are
 * emitted and as what. Called once per change of the name list, never per sample.
 */
@FunctionalInterface
public interface StatMapper {

  /**
   * @return an array of length {@code count}; entry {@code i} is the role of {@code names[i]},
   *     or null when that statistic is not emitted (disabled metric, filtered generic stat)
   */
  StatRole[] map(NetInterface iface, String[] names, int count);
}
