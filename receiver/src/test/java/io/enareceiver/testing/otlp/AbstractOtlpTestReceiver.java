package io.enareceiver.testing.otlp;

import io.enareceiver.testing.otlp.ReceivedRequest.Outcome;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Recording, waiting and failure knobs shared by the HTTP and gRPC receivers. */
abstract class AbstractOtlpTestReceiver implements OtlpTestReceiver {

  /** What to do with the request that just arrived. */
  record Decision(boolean fail, Duration delay) {
    static final Decision ACCEPT = new Decision(false, Duration.ZERO);
  }

  /** Runs delayed answers and re-listening after {@link #refuseFor}; daemon so a test can't hang the JVM. */
  protected final ScheduledExecutorService scheduler =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, getClass().getSimpleName() + "-scheduler");
            t.setDaemon(true);
            return t;
          });

  private final List<ReceivedRequest> received = new ArrayList<>();
  private int failNext;
  private long failUntilNanos = Long.MIN_VALUE;
  private int delayNext;
  private Duration delay = Duration.ZERO;
  private boolean closed;

  /** Called by the transport when a request arrives; consumes one unit of the knobs. */
  protected final synchronized Decision decide() {
    if (failNext > 0) {
      failNext--;
      return new Decision(true, Duration.ZERO);
    }
    if (failUntilNanos != Long.MIN_VALUE && System.nanoTime() - failUntilNanos < 0) {
      return new Decision(true, Duration.ZERO);
    }
    if (delayNext > 0) {
      delayNext--;
      return new Decision(false, delay);
    }
    return Decision.ACCEPT;
  }

  /** Called by the transport once it has answered. */
  protected final synchronized void record(ReceivedRequest request) {
    received.add(request);
    notifyAll();
  }

  protected final synchronized boolean isClosed() {
    return closed;
  }

  @Override
  public final synchronized List<ExportMetricsServiceRequest> requests() {
    return received.stream()
        .filter(r -> r.outcome() == Outcome.ACCEPTED)
        .map(ReceivedRequest::request)
        .toList();
  }

  @Override
  public final synchronized List<ReceivedRequest> received() {
    return List.copyOf(received);
  }

  @Override
  public final List<ExportMetricsServiceRequest> awaitRequests(int count, Duration timeout) {
    awaitCount(count, timeout, true);
    return requests();
  }

  @Override
  public final List<ReceivedRequest> awaitReceived(int count, Duration timeout) {
    awaitCount(count, timeout, false);
    return received();
  }

  private synchronized void awaitCount(int count, Duration timeout, boolean acceptedOnly) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count(acceptedOnly) < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "expected " + count + (acceptedOnly ? " accepted" : "") + " request(s) at " + endpoint()
                + " within " + timeout + ", got " + count(acceptedOnly) + "; outcomes: "
                + received.stream().map(r -> r.outcome() + (r.detail().isEmpty() ? "" : "(" + r.detail() + ")")).toList());
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for requests", e);
      }
    }
  }

  private int count(boolean acceptedOnly) {
    return acceptedOnly
        ? (int) received.stream().filter(r -> r.outcome() == Outcome.ACCEPTED).count()
        : received.size();
  }

  @Override
  public final synchronized void failNext(int count) {
    failNext = count;
  }

  @Override
  public final synchronized void failFor(Duration period) {
    failUntilNanos = System.nanoTime() + period.toNanos();
  }

  @Override
  public final synchronized void delayNext(int count, Duration delay) {
    this.delayNext = count;
    this.delay = delay;
  }

  @Override
  public final void refuseFor(Duration period) {
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("receiver is closed");
      }
      stopListening();
    }
    scheduler.schedule(
        () -> {
          synchronized (this) {
            if (closed) {
              return;
            }
            try {
              startListening();
            } catch (IOException e) {
              throw new UncheckedIOException("could not listen again on port " + port(), e);
            }
          }
        },
        period.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  @Override
  public final synchronized void reset() {
    received.clear();
    failNext = 0;
    failUntilNanos = Long.MIN_VALUE;
    delayNext = 0;
    delay = Duration.ZERO;
  }

  @Override
  public final void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      notifyAll();
    }
    scheduler.shutdownNow();
    stopListening();
  }

  /** Binds (again) to {@link #port()}, or to a free port the first time. */
  protected abstract void startListening() throws IOException;

  /** Stops accepting and drops open connections; idempotent. */
  protected abstract void stopListening();
}
