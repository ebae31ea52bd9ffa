package io.enareceiver.metrics;

import io.enareceiver.ethtool.EthtoolException;
import io.enareceiver.ethtool.NetInterface;
import io.enareceiver.ethtool.StatSnapshot;
import io.enareceiver.ethtool.StatSource;
import io.opentelemetry.sdk.testing.time.TestClock;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Stands in for an ENA device (which cannot exist on a test machine): each read returns the
 * next scripted set of values, or throws the scripted failure.
 */
final class ScriptedSource implements StatSource {
  private final NetInterface iface;
  private final TestClock clock;
  private String[] names;
  private final Deque<Object> script = new ArrayDeque<>();
  private long[] last;
  boolean closed;

  ScriptedSource(String name, TestClock clock, String... names) {
    this.iface = new NetInterface(name, 2, "0a:00:00:00:00:01", "ena", "up");
    this.clock = clock;
    this.names = names;
  }

  ScriptedSource then(long... values) {
    script.add(values.clone());
    return this;
  }

  ScriptedSource thenFail(EthtoolException e) {
    script.add(e);
    return this;
  }

  ScriptedSource thenNames(String... newNames) {
    script.add(newNames);
    return this;
  }

  @Override
  public NetInterface iface() {
    return iface;
  }

  @Override
  public void read(StatSnapshot into) throws EthtoolException {
    Object next = script.isEmpty() ? last : script.poll();
    if (next instanceof String[] n) {
      names = n;
      next = script.poll();
    }
    if (next instanceof EthtoolException e) {
      throw e;
    }
    long[] values = (long[]) next;
    if (into.count() != names.length || into.names() != names) {
      into.replaceNames(names, names.length);
    }
    System.arraycopy(values, 0, into.values(), 0, values.length);
    into.stamp(clock.now());
    last = values;
  }

  @Override
  public void close() {
    closed = true;
  }
}
