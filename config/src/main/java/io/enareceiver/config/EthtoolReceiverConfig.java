package io.enareceiver.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code receivers.ethtool}.
 *
 * @param collectionInterval how often metrics are exported (default 15s)
 * @param samplingInterval how often counters are read to find bursts (default 1s, at least 1s,
 *     never longer than the collection interval)
 * @param metrics every {@link KnownMetrics} name, in that order, with defaults filled in
 * @param replay simulated interfaces fed from recorded {@code ethtool -S} captures
 */
public record EthtoolReceiverConfig(
    Duration collectionInterval,
    Duration samplingInterval,
    InterfacesConfig interfaces,
    Map<String, MetricSettings> metrics,
    List<ReplayConfig> replay) {

  public EthtoolReceiverConfig {
    Objects.requireNonNull(collectionInterval, "collectionInterval");
    Objects.requireNonNull(samplingInterval, "samplingInterval");
    Objects.requireNonNull(interfaces, "interfaces");
    // Keep KnownMetrics' order: the receiver and docs list metrics in it.
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    replay = List.copyOf(replay);
  }
}
