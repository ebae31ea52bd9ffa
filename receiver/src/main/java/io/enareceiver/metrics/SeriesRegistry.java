package io.enareceiver.metrics;

import io.enareceiver.ethtool.NetInterface;
import io.enareceiver.ethtool.StatSnapshot;
import io.enareceiver.ethtool.StatSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The monitored interfaces and their series state, shared by the sampling thread (writes once
 * per sampling interval) and the metric reader's thread (reads once per collection interval).
 * One lock serialises the two; each holds it for microseconds.
 */
final class SeriesRegistry {
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  /**
   * The entries in insertion order, rebuilt only when the set changes: copying the map's values
   * made a new array on every sampling pass (the pass's only allocation). Guarded by the lock.
   */
  private Entry[] ordered = new Entry[0];

  /** One monitored interface: where its statistics come from and what has been seen. */
  static final class Entry {
    final StatSource source;
    /** Owned by the sampling thread: filled outside the lock, folded into {@link #series} under it. */
    final StatSnapshot snapshot = new StatSnapshot();
    final InterfaceSeries series;

    Entry(StatSource source, InterfaceSeries series) {
      this.source = source;
      this.series = series;
    }

    NetInterface iface() {
      return source.iface();
    }
  }

  ReentrantLock lock() {
    return lock;
  }

  /** Adds an interface; replaces (and closes) an older entry of the same name. */
  void add(Entry entry) {
    lock.lock();
    try {
      Entry old = entries.put(entry.iface().name(), entry);
      reindex();
      if (old != null && old != entry) {
        old.source.close();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Removes an interface and closes its source; its series are no longer reported. */
  boolean remove(String name) {
    Entry old;
    lock.lock();
    try {
      old = entries.remove(name);
      if (old != null) {
        reindex();
      }
    } finally {
      lock.unlock();
    }
    if (old != null) {
      old.source.close();
      return true;
    }
    return false;
  }

  boolean contains(String name) {
    lock.lock();
    try {
      return entries.containsKey(name);
    } finally {
      lock.unlock();
    }
  }

  /** A stable copy of the entries, for the sampling pass to iterate without holding the lock. */
  void snapshotEntries(List<Entry> into) {
    lock.lock();
    try {
      into.clear();
      Entry[] current = ordered;
      for (int i = 0; i < current.length; i++) {
        into.add(current[i]);
      }
    } finally {
      lock.unlock();
    }
  }

  private void reindex() {
    ordered = entries.values().toArray(new Entry[0]);
  }

  /** Runs {@code action} on every entry under the lock. */
  void forEachLocked(Consumer<Entry> action) {
    lock.lock();
    try {
      entries.values().forEach(action);
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return entries.size();
    } finally {
      lock.unlock();
    }
  }

  List<NetInterface> interfaces() {
    List<NetInterface> out = new ArrayList<>();
    forEachLocked(e -> out.add(e.iface()));
    return out;
  }

  void closeAll() {
    lock.lock();
    try {
      entries.values().forEach(e -> e.source.close());
      entries.clear();
      reindex();
    } finally {
      lock.unlock();
    }
  }
}
