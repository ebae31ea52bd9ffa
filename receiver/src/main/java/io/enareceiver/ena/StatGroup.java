package io.enareceiver.ena;

/** The groups of DESIGN.md §4/§5 a statistic can belong to. */
public enum StatGroup {
  /** The five ENA {@code *_allowance_exceeded} counters. */
  ALLOWANCE,
  /** ENA {@code conntrack_allowance_available} gauge. */
  CONNTRACK_AVAILABLE,
  /** ENA Express {@code ena_srd_*}. */
  SRD,
  /** ENA global device counters: resets, timeouts, watchdog, suspend/resume, link up/down. */
  DEVICE_EVENT,
  /** ENA per-queue packet and byte counters {@code queue_N_{tx,rx}_{cnt,bytes}}. */
  QUEUE,
  /** Everything else, any driver: the opt-in {@code ethtool.stat} gauge. */
  GENERIC
}
