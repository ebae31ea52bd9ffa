package io.enareceiver.ena;

import io.opentelemetry.api.common.AttributeKey;

/** Attribute keys the catalog puts on ENA metrics (the interface name is added by the metrics layer). */
public final class EnaAttributes {
  private EnaAttributes() {}

  /** Which allowance was exceeded: {@code bw_in}, {@code bw_out}, {@code pps}, {@code conntrack}, {@code linklocal}. */
  public static final AttributeKey<String> ALLOWANCE = AttributeKey.stringKey("aws.ena.allowance");
  /** Device event counted, the driver's own stat name, e.g. {@code tx_timeout}. */
  public static final AttributeKey<String> EVENT = AttributeKey.stringKey("aws.ena.event");
  /** Queue number N of {@code queue_N_*}. */
  public static final AttributeKey<Long> QUEUE = AttributeKey.longKey("aws.ena.queue");
  /** OTel semantic convention: {@code transmit} or {@code receive}. */
  public static final AttributeKey<String> DIRECTION = AttributeKey.stringKey("network.io.direction");
  /** Name of a generic statistic exported through {@code ethtool.stat}. */
  public static final AttributeKey<String> STAT_NAME = AttributeKey.stringKey("ethtool.stat.name");
  /** Semantic-convention key of the interface; added by the metrics layer, not by the catalog. */
  public static final AttributeKey<String> INTERFACE_NAME = AttributeKey.stringKey("network.interface.name");

  public static final String TRANSMIT = "transmit";
  public static final String RECEIVE = "receive";
}
