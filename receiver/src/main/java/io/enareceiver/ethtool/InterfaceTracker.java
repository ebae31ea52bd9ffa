package io.enareceiver.ethtool;


/**
 * Keeps the set of monitored interfaces current: the kernel's interfaces as they come and go,
 * or a fixed set of replayed ones. Called by the sampling thread at the start of every pass, so
 * an interface that appears is sampled within two sampling intervals.
 */
public interface InterfaceTracker extends AutoCloseable {

  /** Reports interfaces that appeared since the previous call and names that vanished. */
  void refresh(Listener listener);

  /**
   * Tells the tracker that reading {@code name} found no device (ENODEV): it is no longer
   * monitored, and the next {@link #refresh} offers it again if it still (or again) exists.
   * ENODEV also comes from a device that exists but is detached for a moment.
   */
  default void forget(String name) {}

  @Override
  void close();

  /** Receives the changes found by {@link #refresh}. */
  interface Listener {
    /** A new interface to monitor; the listener owns the source from now on. */
    void appeared(StatSource source);

    /**
     * An interface that no longer exists, or a selected one that was never readable and is no
     * longer there to retry; its series stop being reported.
     */
    void vanished(String name);

    /**
     * A selected interface whose statistics could not be read when it was looked at, for a
     * reason that may pass (EPERM under a seccomp policy, EIO, EBUSY): not monitored yet, looked
     * at again on the next pass, and reported again for as long as the problem lasts. To the
     * agent it is an interface that failed its read in this pass, so a policy that refuses
     * every ethtool call cannot pass for a node with nothing to monitor.
     */
    default void unreadable(String name, EthtoolException problem) {}
  }
}
