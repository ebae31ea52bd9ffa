package io.enareceiver.resource;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Keeps the node's {@link InstanceIdentity} current, on a thread of its own, so that collection
 * never waits for instance metadata.
 *
 * <p>{@link #current()} returns immediately with whatever is known (possibly nothing). At
 * {@link #start()} one fetch runs right away; if it fails, one warning explains how to make IMDS
 * reachable and fetches are retried with capped exponential backoff; the arrival of an identity
 * is logged once. After that the identity is refreshed every {@link Timing#refreshInterval()} so
 * that an ENI attached later gets its id; a failed refresh keeps the last good identity.
 *
 * <p>{@code AWS_EC2_METADATA_DISABLED=true} switches IMDS off: no thread, no requests, no warnings.
 */
public final class IdentityService implements AutoCloseable {
  public static final String DISABLED_ENV = "AWS_EC2_METADATA_DISABLED";

  private static final Logger LOG = System.getLogger(IdentityService.class.getName());

  /**
   * Timing of fetches.
   *
   * @param fetchDeadline   bound on one whole identity fetch (all its metadata calls)
   * @param initialBackoff  pause after the first failure; doubles on each further failure
   * @param maxBackoff      cap on that pause
   * @param refreshInterval pause between successful fetches
   */
  public record Timing(Duration fetchDeadline, Duration initialBackoff, Duration maxBackoff, Duration refreshInterval) {
    public Timing {
      for (Duration d : List.of(fetchDeadline, initialBackoff, maxBackoff, refreshInterval)) {
        if (d.isNegative() || d.isZero()) {
          throw new IllegalArgumentException("identity timings must be positive, got " + d);
        }
      }
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException("maxBackoff " + maxBackoff + " < initialBackoff " + initialBackoff);
      }
    }

    /** 5 s per fetch, retry 2 s doubling to 60 s, refresh every 10 min. */
    public static Timing defaults() {
      return new Timing(Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofMinutes(10));
    }
  }

  private final ImdsSettings settings; // null when disabled
  private final Timing timing;
  private final String disabledReason;
  private final List<Consumer<IdentitySnapshot>> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService executor;
  private volatile IdentitySnapshot snapshot = IdentitySnapshot.EMPTY;

  // Touched only by the identity thread. The HTTP client is made there too: building the JDK
  // HttpClient (TLS defaults included) costs a few hundred ms of CPU that startup need not wait for.
  private volatile ImdsClient client;
  private IdentityFetcher fetcher;
  private int failureStreak;
  private boolean warnedUnreachable;
  private boolean everKnown;

  /** An enabled service reading IMDS as {@code settings} say; nothing is asked before {@link #start()}. */
  public IdentityService(ImdsSettings settings, Timing timing) {
    this(Objects.requireNonNull(settings, "settings"), timing, null);
  }

  private IdentityService(ImdsSettings settings, Timing timing, String disabledReason) {
    this.settings = settings;
    this.timing = Objects.requireNonNull(timing, "timing");
    this.disabledReason = disabledReason;
    this.executor = settings == null ? null : Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = Thread.ofPlatform().name("ena-identity").daemon(true).unstarted(r);
      return t;
    });
  }

  /** A service that never asks IMDS; {@link #current()} stays {@link IdentitySnapshot#EMPTY}. */
  public static IdentityService disabled(String reason) {
    return new IdentityService(null, Timing.defaults(), Objects.requireNonNull(reason, "reason"));
  }

  /**
   * The service the agent runs: disabled by {@code AWS_EC2_METADATA_DISABLED=true}, otherwise at
   * the endpoint of {@link ImdsSettings#fromEnv}. A malformed endpoint variable is reported once
   * and leaves IMDS off rather than stopping collection.
   */
  public static IdentityService fromEnv(Function<String, String> env) {
    if (ImdsSettings.isTrue(env.apply(DISABLED_ENV))) {
      return disabled(DISABLED_ENV + "=true");
    }
    ImdsSettings settings;
    try {
      settings = ImdsSettings.fromEnv(env);
    } catch (IllegalArgumentException e) {
      LOG.log(Level.WARNING, e.getMessage() + "; instance metadata is off, metrics carry no EC2 identity");
      return disabled(e.getMessage());
    }
    return new IdentityService(settings, Timing.defaults());
  }

  /** Starts the background fetching; returns at once. Idempotent. */
  public synchronized void start() {
    if (executor == null) {
      LOG.log(Level.INFO, "Instance metadata lookups are off (" + disabledReason
          + "): metrics carry no host.id, cloud.* or aws.ec2.eni.* attributes");
      return;
    }
    if (started) {
      return;
    }
    started = true;
    schedule(0);
  }

  private boolean started; // guarded by this

  /** The identity known now; never blocks, never null. */
  public IdentitySnapshot current() {
    return snapshot;
  }

  /** Whether this service asks IMDS at all. */
  public boolean enabled() {
    return executor != null;
  }

  /**
   * Calls {@code listener} on the identity thread after every change of identity. Keep it short:
   * it delays the next fetch, and exceptions are logged and ignored.
   */
  public void addListener(Consumer<IdentitySnapshot> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  private void schedule(long delayMillis) {
    try {
      executor.schedule(this::fetchOnce, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      // close() ran meanwhile: nothing more to do.
    }
  }

  private void fetchOnce() {
    InstanceIdentity identity;
    try {
      if (fetcher == null) {
        client = new ImdsClient(settings);
        fetcher = new IdentityFetcher(client);
      }
      identity = fetcher.fetch(timing.fetchDeadline());
    } catch (ImdsException e) {
      onFailure(e.getMessage());
      return;
    } catch (RuntimeException e) {
      // A bug must not end the refreshing for the life of the process.
      onFailure("unexpected " + e);
      return;
    }
    onSuccess(identity);
  }

  private void onSuccess(InstanceIdentity identity) {
    IdentitySnapshot old = snapshot;
    if (!identity.equals(old.identity())) {
      IdentitySnapshot next = new IdentitySnapshot(old.version() + 1, identity);
      snapshot = next;
      logArrival(identity, old.identity());
      for (Consumer<IdentitySnapshot> listener : listeners) {
        try {
          listener.accept(next);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "identity listener failed", e);
        }
      }
    } else if (failureStreak > 0) {
      LOG.log(Level.INFO, "Instance metadata answers again; identity unchanged (" + identity.instanceId() + ")");
    }
    failureStreak = 0;
    everKnown = true;
    schedule(timing.refreshInterval().toMillis());
  }

  private void logArrival(InstanceIdentity identity, InstanceIdentity previous) {
    String summary = identity.instanceId() + " (" + identity.instanceType() + ", " + identity.availabilityZone()
        + ", account " + identity.accountId() + "), ENIs " + identity.enisByMac();
    if (previous == null) {
      String after = failureStreak > 0 ? " after " + failureStreak + " failed attempt(s)" : "";
      LOG.log(Level.INFO, "Instance identity known" + after + ": " + summary);
    } else {
      LOG.log(Level.INFO, "Instance identity changed: " + summary);
    }
  }

  private void onFailure(String message) {
    failureStreak++;
    if (!everKnown) {
      if (!warnedUnreachable) {
        warnedUnreachable = true;
        LOG.log(Level.WARNING, unreachableAdvice(message));
      } else {
        LOG.log(Level.DEBUG, "Instance metadata still unavailable (attempt " + failureStreak + "): " + message);
      }
    } else if (failureStreak == 1) {
      LOG.log(Level.WARNING, "Instance identity refresh failed, keeping the last known identity: " + message);
    } else {
      LOG.log(Level.DEBUG, "Instance identity refresh failed again (attempt " + failureStreak + "): " + message);
    }
    schedule(backoff(failureStreak).toMillis());
  }

  /** {@code initialBackoff * 2^(failures-1)}, capped at {@code maxBackoff}. */
  Duration backoff(int failures) {
    Duration pause = timing.initialBackoff();
    for (int i = 1; i < failures && pause.compareTo(timing.maxBackoff()) < 0; i++) {
      pause = pause.multipliedBy(2);
    }
    return pause.compareTo(timing.maxBackoff()) > 0 ? timing.maxBackoff() : pause;
  }

  private String unreachableAdvice(String message) {
    return "EC2 instance metadata (IMDSv2) at " + settings.endpoint() + " gave no usable identity: "
        + message + ". Metrics are sent without host.id, cloud.* and aws.ec2.eni.* attributes until it does;"
        + " retrying in the background. To fix: run the pod with hostNetwork: true; or let IMDSv2 answers"
        + " reach containers by raising the hop limit to 2 (aws ec2 modify-instance-metadata-options"
        + " --instance-id <id> --http-put-response-hop-limit 2 --http-tokens required); or set "
        + ImdsSettings.ENDPOINT_ENV + " to a reachable metadata endpoint. Outside EC2, set " + DISABLED_ENV
        + "=true to switch this off.";
  }

  /** Stops fetching and releases the HTTP client; {@link #current()} keeps answering. */
  @Override
  public void close() {
    if (executor != null) {
      executor.shutdownNow();
      try {
        // Short: shutdown has a 5 s budget and the final export comes first; an IMDS call in
        // flight is interrupted and the daemon thread dies with the process anyway.
        executor.awaitTermination(300, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // Made and used only on the identity thread, which has ended (or is abandoned after 300 ms).
      ImdsClient made = client;
      if (made != null) {
        made.close();
      }
    }
  }
}
