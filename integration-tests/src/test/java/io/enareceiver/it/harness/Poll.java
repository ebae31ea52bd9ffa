package io.enareceiver.it.harness;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for something asynchronous (a process becoming ready, a sample reaching Prometheus through
 * the collector's batch and remote-write queue) with a deadline, and when the deadline passes says
 * what was awaited, what was seen last and any context the caller supplies (a process's log tail).
 *
 * <pre>{@code
 * List<Sample> found = Poll.waitingFor("linklocal series in Prometheus")
 *     .atMost(Duration.ofSeconds(60))
 *     .context(collector::describe)
 *     .until(() -> prometheus.query(promql), samples -> !samples.isEmpty());
 * }</pre>
 *
 * <p>A probe that throws is retried: the exception is remembered and reported if the wait fails.
 * A {@link #failFastWhen fail-fast check} ends the wait at once, e.g. when the process died.
 */
public final class Poll {
  private final String description;
  private Duration timeout = Duration.ofSeconds(30);
  private Duration interval = Duration.ofMillis(250);
  private Supplier<String> context = () -> null;
  private Supplier<String> failFast = () -> null;

  private Poll(String description) {
    this.description = Objects.requireNonNull(description, "description");
  }

  /** Starts describing a wait; {@code description} completes "timed out waiting for ...". */
  public static Poll waitingFor(String description) {
    return new Poll(description);
  }

  public Poll atMost(Duration timeout) {
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    return this;
  }

  public Poll every(Duration interval) {
    this.interval = Objects.requireNonNull(interval, "interval");
    return this;
  }

  /** Extra text for the failure message, computed only when the wait fails. */
  public Poll context(Supplier<String> context) {
    this.context = Objects.requireNonNull(context, "context");
    return this;
  }

  /** A check run before every attempt: a non-null answer is why waiting longer is pointless. */
  public Poll failFastWhen(Supplier<String> reasonOrNull) {
    this.failFast = Objects.requireNonNull(reasonOrNull, "reasonOrNull");
    return this;
  }

  /** Polls {@code probe} until {@code accepted} holds for its result, and returns that result. */
  public <T> T until(Callable<T> probe, Predicate<? super T> accepted) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = null;
    boolean seen = false;
    Exception lastError = null;
    int attempts = 0;
    while (true) {
      String reason = failFast.get();
      if (reason != null) {
        throw failure("gave up waiting for " + description + ": " + reason, attempts, seen, last, lastError);
      }
      attempts++;
      try {
        last = probe.call();
        seen = true;
        lastError = null;
        if (accepted.test(last)) {
          return last;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failure("interrupted while waiting for " + description, attempts, seen, last, e);
      } catch (Exception e) {
        lastError = e;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw failure("timed out after " + human(timeout) + " waiting for " + description,
            attempts, seen, last, lastError);
      }
      sleep();
    }
  }

  /** Polls until {@code condition} is true. */
  public void until(Callable<Boolean> condition) {
    until(condition, Boolean.TRUE::equals);
  }

  private void sleep() {
    try {
      Thread.sleep(interval);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + description, e);
    }
  }

  private AssertionError failure(String headline, int attempts, boolean seen, Object last, Exception error) {
    StringBuilder message = new StringBuilder(headline).append(" (").append(attempts).append(" attempts)");
    message.append("\n  last seen: ").append(seen ? String.valueOf(last) : "nothing (no attempt answered)");
    if (error != null) {
      message.append("\n  last attempt failed: ").append(error);
    }
    String extra = context.get();
    if (extra != null && !extra.isBlank()) {
      message.append('\n').append(extra);
    }
    AssertionError failure = new AssertionError(message.toString());
    if (error != null) {
      failure.initCause(error);
    }
    return failure;
  }

  private static String human(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
  }
}
