package io.enareceiver.ena;

import io.enareceiver.config.KnownMetrics;
import io.opentelemetry.api.common.Attributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which driver statistic becomes which metric (DESIGN.md §5).
 *
 * <p>Rules, in order:
 * <ol>
 *   <li>ENA names are recognised only when the interface's driver is exactly {@code ena}. Other
 *       drivers reuse short names with other meanings (bnx2x and mlx5 have their own
 *       {@code tx_timeout}-like counters), so for them every statistic is generic.</li>
 *   <li>A name that repeats within one set (drivers may print the same short name twice, e.g.
 *       a per-queue and a port total) keeps its class on the first occurrence; each later
 *       occurrence number n is generic with {@code ethtool.stat.name} = {@code name#n}, so
 *       exported series never collide. Positions stay as the driver gave them.</li>
 *   <li>Everything not in an ENA group, including ENA's other {@code queue_N_*},
 *       XDP queues ({@code queue_N_xdp_tx_*}), {@code ena_admin_q_*} and {@code phc_*}, is the
 *       generic {@code ethtool.stat} gauge with unit {@code {value}}.</li>
 * </ol>
 *
 * <p>The sampler classifies once per names generation, never per sample; the result is a
 * {@link StatClassification} indexed like the snapshot.
 */
public final class StatCatalog {
  /** The only driver whose names are read as ENA statistics. */
  public static final String ENA_DRIVER = "ena";

  /**
   * The ENA ENI allowance counters, always in this order: bw_in, bw_out, pps, conntrack,
   * linklocal (the driver's own order). Tools that show them side by side use this order.
   */
  public static final List<String> ALLOWANCE_STATS = List.of(
      "bw_in_allowance_exceeded",
      "bw_out_allowance_exceeded",
      "pps_allowance_exceeded",
      "conntrack_allowance_exceeded",
      "linklocal_allowance_exceeded");

  /** Allowance counter name to its {@code aws.ena.allowance} value: the name without the suffix. */
  private static final Map<String, String> ALLOWANCE_BY_STAT = ALLOWANCE_STATS.stream()
      .collect(Collectors.toUnmodifiableMap(Function.identity(),
          stat -> stat.substring(0, stat.length() - "_allowance_exceeded".length())));

  /** The gauge of connections that can still be tracked before the conntrack allowance is hit. */
  public static final String CONNTRACK_AVAILABLE_STAT = "conntrack_allowance_available";

  /**
   * ENA global ({@code ena_stats_global_strings}) counters across driver generations: 1.x
   * ({@code io_suspend}, {@code io_resume}), 2.x and the current amzn-drivers list.
   */
  static final Set<String> DEVICE_EVENT_STATS = Set.of(
      "tx_timeout", "suspend", "resume", "io_suspend", "io_resume", "wd_expired",
      "interface_up", "interface_down", "admin_q_pause", "reset_fail", "total_resets",
      "bad_tx_req_id", "bad_rx_req_id", "bad_rx_desc_num", "missing_intr",
      "suspected_poll_starvation", "missing_tx_cmpl", "rx_desc_malformed", "tx_desc_malformed",
      "invalid_state", "os_netdev_wd", "missing_admin_interrupt", "admin_to",
      "device_request_reset", "missing_first_intr");

  private static final Attributes NONE = Attributes.empty();

  private StatCatalog() {}

  /** Classifies the first {@code count} names of a snapshot of an interface with this driver. */
  public static StatClassification classify(String driver, String[] names, int count) {
    if (count < 0 || count > names.length) {
      throw new IllegalArgumentException("count " + count + " outside 0.." + names.length);
    }
    boolean ena = ENA_DRIVER.equals(driver);
    StatClass[] classes = new StatClass[count];
    Map<String, Integer> seen = new HashMap<>(count * 2);
    for (int i = 0; i < count; i++) {
      String name = names[i];
      int occurrence = seen.merge(name, 1, Integer::sum);
      classes[i] = occurrence == 1
          ? classifyFirst(ena, i, name)
          : generic(i, name, name + "#" + occurrence);
    }
    return new StatClassification(driver == null ? "" : driver, classes);
  }

  /** Convenience for captures and tests. */
  public static StatClassification classify(String driver, List<String> names) {
    return classify(driver, names.toArray(String[]::new), names.size());
  }

  private static StatClass classifyFirst(boolean ena, int index, String name) {
    if (!ena) {
      return generic(index, name, name);
    }
    String allowance = ALLOWANCE_BY_STAT.get(name);
    if (allowance != null) {
      return new StatClass(index, name, StatGroup.ALLOWANCE, KnownMetrics.ALLOWANCE_EXCEEDED,
          StatKind.COUNTER, "{packet}", Attributes.of(EnaAttributes.ALLOWANCE, allowance));
    }
    if (DEVICE_EVENT_STATS.contains(name)) {
      return new StatClass(index, name, StatGroup.DEVICE_EVENT, KnownMetrics.DEVICE_EVENTS,
          StatKind.COUNTER, "{event}", Attributes.of(EnaAttributes.EVENT, name));
    }
    StatClass special = switch (name) {
      case CONNTRACK_AVAILABLE_STAT -> new StatClass(index, name, StatGroup.CONNTRACK_AVAILABLE,
          KnownMetrics.CONNTRACK_AVAILABLE, StatKind.GAUGE, "{connection}", NONE);
      case "ena_srd_mode" -> new StatClass(index, name, StatGroup.SRD, KnownMetrics.SRD_MODE,
          StatKind.GAUGE, "{mode}", NONE);
      case "ena_srd_tx_pkts" -> srdPackets(index, name, KnownMetrics.SRD_PACKETS, EnaAttributes.TRANSMIT);
      case "ena_srd_rx_pkts" -> srdPackets(index, name, KnownMetrics.SRD_PACKETS, EnaAttributes.RECEIVE);
      case "ena_srd_eligible_tx_pkts" ->
          srdPackets(index, name, KnownMetrics.SRD_ELIGIBLE_PACKETS, EnaAttributes.TRANSMIT);
      case "ena_srd_resource_utilization" -> new StatClass(index, name, StatGroup.SRD,
          KnownMetrics.SRD_RESOURCE_UTILIZATION, StatKind.GAUGE, "%", NONE);
      default -> null;
    };
    if (special != null) {
      return special;
    }
    StatClass queue = queue(index, name);
    return queue != null ? queue : generic(index, name, name);
  }

  private static StatClass srdPackets(int index, String name, String metric, String direction) {
    return new StatClass(index, name, StatGroup.SRD, metric, StatKind.COUNTER, "{packet}",
        Attributes.of(EnaAttributes.DIRECTION, direction));
  }

  /** {@code queue_N_tx_cnt}, {@code queue_N_rx_cnt}, {@code queue_N_tx_bytes}, {@code queue_N_rx_bytes}; else null. */
  static StatClass queue(int index, String name) {
    final String prefix = "queue_";
    if (!name.startsWith(prefix)) {
      return null;
    }
    int digitsEnd = prefix.length();
    while (digitsEnd < name.length() && name.charAt(digitsEnd) >= '0'
        && name.charAt(digitsEnd) <= '9') {
      digitsEnd++;
    }
    int digits = digitsEnd - prefix.length();
    // ENA has at most a few hundred queues; 9 digits keeps the parse far from overflow.
    if (digits == 0 || digits > 9) {
      return null;
    }
    String rest = name.substring(digitsEnd);
    String direction;
    String metric;
    String unit;
    switch (rest) {
      case "_tx_cnt" -> { direction = EnaAttributes.TRANSMIT; metric = KnownMetrics.QUEUE_PACKETS; unit = "{packet}"; }
      case "_rx_cnt" -> { direction = EnaAttributes.RECEIVE; metric = KnownMetrics.QUEUE_PACKETS; unit = "{packet}"; }
      case "_tx_bytes" -> { direction = EnaAttributes.TRANSMIT; metric = KnownMetrics.QUEUE_BYTES; unit = "By"; }
      case "_rx_bytes" -> { direction = EnaAttributes.RECEIVE; metric = KnownMetrics.QUEUE_BYTES; unit = "By"; }
      default -> { return null; }
    }
    long queue = Long.parseLong(name, prefix.length(), digitsEnd, 10);
    return new StatClass(index, name, StatGroup.QUEUE, metric, StatKind.COUNTER, unit,
        Attributes.of(EnaAttributes.QUEUE, queue, EnaAttributes.DIRECTION, direction));
  }

  private static StatClass generic(int index, String name, String attributeName) {
    return new StatClass(index, name, StatGroup.GENERIC, KnownMetrics.ETHTOOL_STAT, StatKind.GAUGE,
        "{value}", Attributes.of(EnaAttributes.STAT_NAME, attributeName));
  }
}
