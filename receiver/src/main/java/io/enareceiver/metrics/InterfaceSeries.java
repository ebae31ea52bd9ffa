package io.enareceiver.metrics;

import io.enareceiver.ena.UnsignedLongs;
import io.enareceiver.ethtool.NetInterface;
import io.enareceiver.ethtool.StatSnapshot;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Series state of one monitored interface: for every emitted statistic its last raw value and
 * start time, and for the allowance counters the derived burst figures. Updated by the sampler
 * once per sampling interval, read by the producer once per collection interval; the caller
 * serialises the two (see {@link SeriesRegistry}).
 *
 * <p>State lives in parallel primitive arrays indexed by "slot" (one slot per emitted
 * statistic), rebuilt only when the driver's list of statistic names changes, so a steady-state
 * update allocates nothing.
 */
final class InterfaceSeries {
  private final NetInterface iface;
  private final StatMapper mapper;
  private final double samplingSeconds;
  /** Start time given to statistics already present on the first sample. */
  private final long firstStartNanos;

  private long planGeneration = -1;
  private int slots;
  private int[] statIndex = new int[0];
  private String[] slotKeys = new String[0];
  private StatRole[] roles = new StatRole[0];
  private MetricShape[] shapes = new MetricShape[0];
  private long[] lastRaw = new long[0];
  private long[] startNanos = new long[0];
  private boolean[] hasValue = new boolean[0];
  private long[] risingIntervals = new long[0];
  private long[] derivedStartNanos = new long[0];
  private double[] peakRate = new double[0];
  private List<MetricGroup> groups = List.of();

  private long lastSampleNanos;
  private long lastSampleMonoNanos;
  private boolean sampled;
  private long peakWindowStartNanos;
  private long resets;

  InterfaceSeries(NetInterface iface, StatMapper mapper, double samplingSeconds, long firstStartNanos) {
    this.iface = iface;
    this.mapper = mapper;
    this.samplingSeconds = samplingSeconds;
    this.firstStartNanos = firstStartNanos;
  }

  NetInterface iface() {
    return iface;
  }

  /** Number of emitted statistics (series fed directly by the driver). */
  int slotCount() {
    return slots;
  }

  /** Counter resets seen so far (a driver statistic that went down). */
  long resets() {
    return resets;
  }

  boolean hasSample() {
    return sampled;
  }

  long lastSampleNanos() {
    return lastSampleNanos;
  }

  /**
   * Folds one fresh reading into the series state.
   *
   * @param snap      the reading, names in driver order
   * @param monoNanos {@link System#nanoTime()} of the reading, for per-second rates
   */
  void update(StatSnapshot snap, long monoNanos) {
    long now = snap.epochNanos();
    if (snap.namesGeneration() != planGeneration) {
      replan(snap, now);
    }
    long[] values = snap.values();
    double elapsedSeconds = sampled ? (monoNanos - lastSampleMonoNanos) / 1e9 : 0;
    for (int s = 0; s < slots; s++) {
      long raw = values[statIndex[s]];
      if (!hasValue[s]) {
        hasValue[s] = true;
        lastRaw[s] = raw;
        continue;
      }
      MetricShape shape = shapes[s];
      if (shape != MetricShape.LONG_COUNTER) {
        lastRaw[s] = raw;
        continue;
      }
      long prev = lastRaw[s];
      long delta;
      if (Long.compareUnsigned(raw, prev) >= 0) {
        delta = raw - prev;
      } else {
        // The driver counter went down: a device reset or driver reload. Everything now counted
        // happened after the previous sample, so that is the new series' start time.
        startNanos[s] = lastSampleNanos;
        delta = raw;
        resets++;
      }
      lastRaw[s] = raw;
      if (delta != 0 && roles[s].allowance()) {
        risingIntervals[s]++;
        if (elapsedSeconds > 0) {
          double rate = UnsignedLongs.toDouble(delta) / elapsedSeconds;
          if (rate > peakRate[s]) {
            peakRate[s] = rate;
          }
        }
      }
    }
    lastSampleNanos = now;
    lastSampleMonoNanos = monoNanos;
    if (!sampled) {
      peakWindowStartNanos = now;
    }
    sampled = true;
  }

  /**
   * Rebuilds the slot arrays for a new list of statistic names, carrying the state of every
   * statistic whose name survived (keyed by name and occurrence, since some drivers repeat a
   * name) so counters keep their start times across a queue-count change.
   */
  private void replan(StatSnapshot snap, long now) {
    Map<String, Integer> oldSlots = new HashMap<>();
    for (int s = 0; s < slots; s++) {
      oldSlots.put(slotKeys[s], s);
    }
    int count = snap.count();
    String[] names = snap.names();
    StatRole[] mapped = mapper.map(iface, names, count);
    int n = 0;
    for (int i = 0; i < count; i++) {
      if (mapped[i] != null) {
        n++;
      }
    }
    int[] newIndex = new int[n];
    String[] newKeys = new String[n];
    StatRole[] newRoles = new StatRole[n];
    MetricShape[] newShapes = new MetricShape[n];
    long[] newLast = new long[n];
    long[] newStart = new long[n];
    boolean[] newHas = new boolean[n];
    long[] newRising = new long[n];
    long[] newDerivedStart = new long[n];
    double[] newPeak = new double[n];
    Map<String, Integer> occurrences = new HashMap<>();
    // Statistics present on the very first reading count from boot (or whatever start the
    // registry chose); statistics that show up later count from when they were first seen.
    long freshStart = planGeneration < 0 ? firstStartNanos : now;
    int s = 0;
    for (int i = 0; i < count; i++) {
      StatRole role = mapped[i];
      if (role == null) {
        continue;
      }
      int occurrence = occurrences.merge(names[i], 1, Integer::sum);
      String key = occurrence == 1 ? names[i] : names[i] + "#" + occurrence;
      newIndex[s] = i;
      newKeys[s] = key;
      newRoles[s] = role;
      newShapes[s] = role.metric().shape();
      Integer old = oldSlots.get(key);
      if (old != null && shapes[old] == newShapes[s]) {
        newLast[s] = lastRaw[old];
        newStart[s] = startNanos[old];
        newHas[s] = hasValue[old];
        newRising[s] = risingIntervals[old];
        newDerivedStart[s] = derivedStartNanos[old];
        newPeak[s] = peakRate[old];
      } else {
        newStart[s] = freshStart;
        newDerivedStart[s] = now;
      }
      s++;
    }
    statIndex = newIndex;
    slotKeys = newKeys;
    roles = newRoles;
    shapes = newShapes;
    lastRaw = newLast;
    startNanos = newStart;
    hasValue = newHas;
    risingIntervals = newRising;
    derivedStartNanos = newDerivedStart;
    peakRate = newPeak;
    slots = n;
    planGeneration = snap.namesGeneration();
    groups = buildGroups();
  }

  /** Slots grouped by the metric they feed, in first-seen order, derived metrics included. */
  private List<MetricGroup> buildGroups() {
    Map<MetricDescriptor, List<Integer>> byMetric = new LinkedHashMap<>();
    List<Integer> allowanceSlots = new ArrayList<>();
    for (int s = 0; s < slots; s++) {
      byMetric.computeIfAbsent(roles[s].metric(), k -> new ArrayList<>()).add(s);
      if (roles[s].allowance()) {
        allowanceSlots.add(s);
      }
    }
    List<MetricGroup> result = new ArrayList<>();
    byMetric.forEach((metric, list) -> result.add(new MetricGroup(metric, Derived.NONE, toArray(list))));
    if (!allowanceSlots.isEmpty()) {
      int[] a = toArray(allowanceSlots);
      result.add(new MetricGroup(MetricContract.ALLOWANCE_THROTTLED_TIME, Derived.THROTTLED_TIME, a));
      result.add(new MetricGroup(MetricContract.ALLOWANCE_PEAK_RATE, Derived.PEAK_RATE, a));
    }
    return List.copyOf(result);
  }

  private static int[] toArray(List<Integer> list) {
    return list.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Appends this interface's points to {@code sink}, grouped per metric. The peak-rate window
   * restarts afterwards: peak rate is "since the previous export".
   *
   * @param enabled whether a metric is switched on; the mapper keeps the allowance counters even
   *     when their own metric is off, because the derived metrics are computed from them
   */
  void collect(PointSink sink, Predicate<MetricDescriptor> enabled) {
    if (!sampled) {
      return;
    }
    long t = lastSampleNanos;
    for (MetricGroup g : groups) {
      if (!enabled.test(g.metric())) {
        continue;
      }
      switch (g.derived()) {
        case NONE -> collectDirect(sink, g, t);
        case THROTTLED_TIME -> {
          List<DoublePointData> points = new ArrayList<>(g.slots().length);
          for (int s : g.slots()) {
            points.add(DoublePointData.create(
                derivedStartNanos[s], t, roles[s].attributes(), risingIntervals[s] * samplingSeconds, List.of()));
          }
          sink.doublePoints(g.metric(), points);
        }
        case PEAK_RATE -> {
          List<DoublePointData> points = new ArrayList<>(g.slots().length);
          for (int s : g.slots()) {
            points.add(DoublePointData.create(peakWindowStartNanos, t, roles[s].attributes(), peakRate[s], List.of()));
          }
          sink.doublePoints(g.metric(), points);
        }
      }
    }
    Arrays.fill(peakRate, 0, slots, 0.0);
    peakWindowStartNanos = t;
  }

  private void collectDirect(PointSink sink, MetricGroup g, long t) {
    MetricShape shape = g.metric().shape();
    if (shape == MetricShape.DOUBLE_GAUGE) {
      List<DoublePointData> points = new ArrayList<>(g.slots().length);
      for (int s : g.slots()) {
        if (hasValue[s]) {
          points.add(DoublePointData.create(t, t, roles[s].attributes(), UnsignedLongs.toDouble(lastRaw[s]), List.of()));
        }
      }
      sink.doublePoints(g.metric(), points);
      return;
    }
    List<LongPointData> points = new ArrayList<>(g.slots().length);
    for (int s : g.slots()) {
      // A value at or above 2^63 does not fit an OTLP int64: such a point is left out rather
      // than sent negative (no ENA counter comes near it).
      if (!hasValue[s] || lastRaw[s] < 0) {
        continue;
      }
      long start = shape == MetricShape.LONG_COUNTER ? startNanos[s] : t;
      points.add(LongPointData.create(start, t, roles[s].attributes(), lastRaw[s]));
    }
    sink.longPoints(g.metric(), points);
  }


  /** Receives the points of one interface, one call per metric. */
  interface PointSink {
    void longPoints(MetricDescriptor metric, List<LongPointData> points);

    void doublePoints(MetricDescriptor metric, List<DoublePointData> points);
  }

  private enum Derived {
    NONE,
    THROTTLED_TIME,
    PEAK_RATE
  }

  private record MetricGroup(MetricDescriptor metric, Derived derived, int[] slots) {}

  /** For tests and diagnostics: the attributes of every slot. */
  List<Attributes> slotAttributes() {
    List<Attributes> out = new ArrayList<>(slots);
    for (int s = 0; s < slots; s++) {
      out.add(roles[s].attributes());
    }
    return out;
  }
}
