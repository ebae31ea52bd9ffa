package io.enareceiver.metrics;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The receiver's own health as metrics under {@code ena_receiver.}: how long a sampling pass
 * takes, which reads fail and why, which exports fail. Also the source of the readiness
 * verdict of the health endpoint.
 */
public final class SelfTelemetry {
  private final long startNanos;
  private final Map<Attributes, long[]> readErrors = new LinkedHashMap<>();
  private final Map<String, long[]> exportFailures = new LinkedHashMap<>();
  private double maxSampleSeconds;
  private long passesAtLastCollect; // guarded by this
  private final AtomicLong passes = new AtomicLong();
  private final AtomicLong missedSamples = new AtomicLong();
  private volatile long lastPassEpochNanos;
  private volatile long lastPassMonoNanos;
  /** Reads of the last pass: successful ones in the high 32 bits, failed ones in the low 32; one field so a probe never sees half a pass. */
  private volatile long lastPassReads;
  private volatile boolean lastExportOk;
  private volatile boolean anyExport;

  public SelfTelemetry(long startEpochNanos) {
    this.startNanos = startEpochNanos;
  }

  /**
   * Records a finished pass; called by the sampler only.
   *
   * @param readsOk interfaces read successfully in this pass
   * @param readsFailed interfaces whose read failed for a reason other than the interface vanishing
   */
  public synchronized void samplePass(long durationNanos, long epochNanos, long monoNanos, int readsOk, int readsFailed) {
    lastPassMonoNanos = monoNanos;
    double seconds = durationNanos / 1e9;
    if (seconds > maxSampleSeconds) {
      maxSampleSeconds = seconds;
    }
    // The reads before the pass count: a probe that sees the new count sees this pass's reads.
    lastPassReads = ((long) readsOk << 32) | (readsFailed & 0xffff_ffffL);
    lastPassEpochNanos = epochNanos;
    passes.incrementAndGet();
  }

  /** Counts a sampling pass that started later than one interval after the previous one. */
  void missedSample(long count) {
    missedSamples.addAndGet(count);
  }

  /**
   * Counts a failed read. Each (interface, error) series starts when its first error happens,
   * so a series dropped with its interface and started again later never goes down under one
   * start time.
   */
  synchronized void readError(String interfaceName, String errorType, long nowEpochNanos) {
    Attributes key = Attributes.of(MetricContract.INTERFACE_NAME, interfaceName, MetricContract.ERROR_TYPE, errorType);
    readErrors.computeIfAbsent(key, k -> new long[] {0, nowEpochNanos})[0]++;
  }

  /** Drops the error counts of an interface that is gone: its series stop like all its others. */
  synchronized void forgetInterface(String interfaceName) {
    readErrors.keySet().removeIf(a -> interfaceName.equals(a.get(MetricContract.INTERFACE_NAME)));
  }

  /** Records the outcome of one export by the named exporter. */
  public synchronized void exportResult(String exporter, boolean ok) {
    anyExport = true;
    lastExportOk = ok;
    if (!ok) {
      exportFailures.computeIfAbsent(exporter, k -> new long[1])[0]++;
    } else {
      exportFailures.computeIfAbsent(exporter, k -> new long[1]);
    }
  }

  public long passes() {
    return passes.get();
  }

  public long missedSamples() {
    return missedSamples.get();
  }

  public long lastPassEpochNanos() {
    return lastPassEpochNanos;
  }

  /** {@link System#nanoTime()} (the sampler clock's) when the last pass ended; 0 before the first. */
  public long lastPassMonoNanos() {
    return lastPassMonoNanos;
  }

  /** What the last pass read; both 0 before the first pass and while nothing is monitored. */
  public PassReads lastPassReads() {
    long packed = lastPassReads;
    return new PassReads((int) (packed >>> 32), (int) packed);
  }

  /** The interfaces one pass read ({@code ok}) and failed to read ({@code failed}). */
  public record PassReads(int ok, int failed) {}

  /** True once any export has completed, successfully or not. */
  public boolean anyExport() {
    return anyExport;
  }

  /** True once an export ran and the most recent one succeeded. */
  public boolean lastExportOk() {
    return anyExport && lastExportOk;
  }

  public synchronized long readErrorCount() {
    long total = 0;
    for (long[] v : readErrors.values()) {
      total += v[0];
    }
    return total;
  }

  synchronized void collect(InterfaceSeries.PointSink sink, long now, java.util.function.Predicate<MetricDescriptor> enabled) {
    // Only when a pass ran since the previous collection: otherwise there is no longest pass to
    // report (a 0 s point would claim a pass that took no time, e.g. in the final export on stop).
    long passesNow = passes.get();
    if (enabled.test(MetricContract.SELF_SAMPLE_DURATION) && passesNow > passesAtLastCollect) {
      sink.doublePoints(MetricContract.SELF_SAMPLE_DURATION,
          List.of(DoublePointData.create(startNanos, now, Attributes.empty(), maxSampleSeconds, List.of())));
      maxSampleSeconds = 0;
      passesAtLastCollect = passesNow;
    }
    if (enabled.test(MetricContract.SELF_READ_ERRORS) && !readErrors.isEmpty()) {
      List<LongPointData> points = new ArrayList<>(readErrors.size());
      readErrors.forEach((attrs, v) -> points.add(LongPointData.create(v[1], now, attrs, v[0])));
      sink.longPoints(MetricContract.SELF_READ_ERRORS, points);
    }
    if (enabled.test(MetricContract.SELF_EXPORT_FAILURES) && !exportFailures.isEmpty()) {
      List<LongPointData> points = new ArrayList<>(exportFailures.size());
      exportFailures.forEach((name, v) ->
          points.add(LongPointData.create(startNanos, now, Attributes.of(MetricContract.EXPORTER, name), v[0])));
      sink.longPoints(MetricContract.SELF_EXPORT_FAILURES, points);
    }
  }
}
