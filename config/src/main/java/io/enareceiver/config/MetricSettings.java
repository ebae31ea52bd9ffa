package io.enareceiver.config;

import java.util.List;

/**
 * {@code receivers.ethtool.metrics.<name>}.
 *
 * @param include stat-name globs to export; only {@link KnownMetrics#PATTERNED} takes them
 *     (default {@code ["*"]}), every other metric has an empty list
 * @param exclude stat-name globs to leave out (default empty)
 */
public record MetricSettings(boolean enabled, List<String> include, List<String> exclude) {

  public MetricSettings {
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
  }
}
