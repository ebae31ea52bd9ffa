package io.enareceiver.ena;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The catalog's verdict on one set of statistic names, index-aligned with the snapshot it was
 * computed from. Immutable; computed once per names generation.
 */
public final class StatClassification {
  /** First ENA driver with the five {@code *_allowance_exceeded} counters. */
  public static final String ALLOWANCE_MIN_VERSION = "2.2.10";
  /** First ENA driver with {@code conntrack_allowance_available}. */
  public static final String CONNTRACK_AVAILABLE_MIN_VERSION = "2.8.1";

  private final String driver;
  private final StatClass[] classes;
  private final List<StatClass> view;
  private final int allowanceCount;
  private final boolean conntrackAvailable;
  private final boolean srd;

  StatClassification(String driver, StatClass[] classes) {
    this.driver = driver;
    this.classes = classes;
    this.view = Collections.unmodifiableList(Arrays.asList(classes));
    int allowance = 0;
    boolean conntrack = false;
    boolean anySrd = false;
    for (StatClass c : classes) {
      switch (c.group()) {
        case ALLOWANCE -> allowance++;
        case CONNTRACK_AVAILABLE -> conntrack = true;
        case SRD -> anySrd = true;
        default -> { }
      }
    }
    this.allowanceCount = allowance;
    this.conntrackAvailable = conntrack;
    this.srd = anySrd;
  }

  public String driver() {
    return driver;
  }

  public boolean isEna() {
    return StatCatalog.ENA_DRIVER.equals(driver);
  }

  public int size() {
    return classes.length;
  }

  /** The class of the statistic at this snapshot index. */
  public StatClass get(int index) {
    return classes[index];
  }

  /** All classes in snapshot order. */
  public List<StatClass> all() {
    return view;
  }

  /** Classes of one group, in snapshot order (for wiring instruments; not for the sampling loop). */
  public List<StatClass> group(StatGroup group) {
    List<StatClass> out = new ArrayList<>();
    for (StatClass c : classes) {
      if (c.group() == group) {
        out.add(c);
      }
    }
    return List.copyOf(out);
  }

  /**
   * True when the driver reports at least one {@code *_allowance_exceeded} counter (drivers
   * 2.2.10+ report all five; newer devices list only those they support).
   */
  public boolean hasAllowanceStats() {
    return allowanceCount > 0;
  }

  public boolean hasConntrackAvailable() {
    return conntrackAvailable;
  }

  public boolean hasSrdStats() {
    return srd;
  }

  /**
   * Plain-language reasons why ENA metrics an operator expects are missing, for a log line or
   * the {@code stats} command; empty when nothing is missing or the driver is not ENA. Absent
   * statistics are never exported as zeros, so this is the only trace they leave.
   *
   * @param driverVersion the version from {@code ETHTOOL_GDRVINFO}; null or blank when unknown
   */
  public List<String> missingStatsExplanations(String driverVersion) {
    if (!isEna()) {
      return List.of();
    }
    String who = "ena driver "
        + (driverVersion == null || driverVersion.isBlank() ? "(version unknown)" : driverVersion.strip());
    if (!hasAllowanceStats()) {
      return List.of(who + " has no allowance counters (they need ENA " + ALLOWANCE_MIN_VERSION
          + " or later)");
    }
    if (!hasConntrackAvailable()) {
      return List.of(who + " has no conntrack_allowance_available gauge (needs "
          + CONNTRACK_AVAILABLE_MIN_VERSION + " or later)");
    }
    return List.of();
  }
}
