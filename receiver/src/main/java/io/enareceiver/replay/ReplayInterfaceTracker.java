package io.enareceiver.replay;

import io.enareceiver.ethtool.InterfaceTracker;
import io.enareceiver.ethtool.StatSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Offers a fixed set of simulated interfaces once: replayed interfaces never come and go (their
 * counters may still reset when a looping scenario starts over).
 */
public final class ReplayInterfaceTracker implements InterfaceTracker {
  private final List<StatSource> pending;

  public ReplayInterfaceTracker(List<? extends StatSource> sources) {
    this.pending = new ArrayList<>(sources);
  }

  @Override
  public void refresh(Listener listener) {
    if (pending.isEmpty()) {
      return;
    }
    pending.forEach(listener::appeared);
    pending.clear();
  }

  @Override
  public void close() {
    pending.forEach(StatSource::close);
    pending.clear();
  }
}
