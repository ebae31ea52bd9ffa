package io.enareceiver.metrics;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link Sampler#sampleOnce()} every sampling interval on one dedicated platform thread.
 * A platform thread, not a virtual one: kernel reads may switch the thread's network namespace
 * ({@code setns} moves only the calling OS thread), and the pass must not share a carrier.
 */
public final class SamplingLoop implements AutoCloseable {
  private static final Logger LOG = System.getLogger(SamplingLoop.class.getName());

  private final Sampler sampler;
  private final long intervalNanos;
  private final ScheduledExecutorService executor;
  private ScheduledFuture<?> task;
  private long lastStartMono;

  public SamplingLoop(Sampler sampler, Duration interval) {
    this.sampler = sampler;
    this.intervalNanos = interval.toNanos();
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = Thread.ofPlatform().name("ena-sampler").daemon(true).unstarted(r);
      t.setPriority(Thread.NORM_PRIORITY);
      return t;
    });
  }

  /** Takes the first sample now, then one every interval. */
  public synchronized void start() {
    if (task == null) {
      task = executor.scheduleAtFixedRate(this::pass, 0, intervalNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void pass() {
    long now = System.nanoTime();
    if (lastStartMono != 0 && (now - lastStartMono) * 2 < intervalNanos) {
      // A fixed-rate schedule runs the passes it fell behind on back to back after a stall. Such
      // a catch-up pass would read counters milliseconds after the previous one and turn a
      // one-second increase into a per-second peak rate many times too high; the late pass
      // before it already counted the missed samples.
      return;
    }
    if (lastStartMono != 0) {
      // A gap of more than one and a half intervals between two passes means at least one
      // sample did not happen when it should have (a stalled thread, a slow read).
      long gap = now - lastStartMono;
      if (gap * 2 > intervalNanos * 3) {
        sampler.self().missedSample(Math.max(1, Math.round((double) gap / intervalNanos) - 1));
      }
    }
    lastStartMono = now;
    try {
      sampler.sampleOnce();
    } catch (Throwable t) {
      // Never let an exception cancel the periodic task: the next pass may well succeed.
      LOG.log(Level.ERROR, "sampling pass failed", t);
    }
  }

  /** Stops sampling; waits briefly for a running pass to end. */
  @Override
  public void close() {
    stop(java.time.Duration.ofSeconds(1));
  }

  /**
   * Stops sampling and waits at most {@code max} for a running pass to end.
   *
   * @return true when no pass runs any more (the sources may then be closed safely)
   */
  public synchronized boolean stop(java.time.Duration max) {
    if (task != null) {
      task.cancel(false);
    }
    executor.shutdown();
    try {
      return executor.awaitTermination(max.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
