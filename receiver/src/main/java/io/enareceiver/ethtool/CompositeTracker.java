package io.enareceiver.ethtool;

import java.util.List;

/** Several trackers as one: the kernel's interfaces plus replayed ones. */
public final class CompositeTracker implements InterfaceTracker {
  private final List<InterfaceTracker> trackers;

  public CompositeTracker(List<InterfaceTracker> trackers) {
    this.trackers = List.copyOf(trackers);
  }

  @Override
  public void refresh(Listener listener) {
    for (InterfaceTracker t : trackers) {
      t.refresh(listener);
    }
  }

  @Override
  public void forget(String name) {
    trackers.forEach(t -> t.forget(name));
  }

  @Override
  public void close() {
    trackers.forEach(InterfaceTracker::close);
  }
}
