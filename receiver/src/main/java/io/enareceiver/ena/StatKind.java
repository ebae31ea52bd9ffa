package io.enareceiver.ena;

/** How a statistic's value behaves, which decides the OTel instrument it feeds. */
public enum StatKind {
  /** Only grows while the device lives; a decrease is a reset. Exported as a monotonic Sum. */
  COUNTER,
  /** A level that moves both ways (or a bitmap). Exported as a Gauge. */
  GAUGE
}
