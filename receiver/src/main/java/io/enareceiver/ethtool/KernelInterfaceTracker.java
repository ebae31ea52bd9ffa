package io.enareceiver.ethtool;

import java.io.File;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kernel's interfaces, kept current from sysfs: on every sampling pass it lists
 * {@code /sys/class/net} (one directory read) and only when the set of names changed does it run
 * full discovery and selection. New matching interfaces become {@link KernelStatSource}s on one
 * shared {@link EthtoolReader}; vanished ones are reported gone. Interfaces whose driver has no
 * statistics (lo, bridges, tun) are noted once and not retried until they reappear.
 *
 * <p>Confined to the sampling thread, like the reader it owns.
 */
public final class KernelInterfaceTracker implements InterfaceTracker {
  private static final Logger LOG = System.getLogger(KernelInterfaceTracker.class.getName());

  private final Path sysfsRoot;
  private final EthtoolReader reader;
  private final InterfaceDiscovery discovery;
  private final InterfaceSelector selector;
  private final Set<String> explicitNames;
  /** Monitored interface name to the ifindex it had when it was picked up. */
  private final Map<String, Integer> monitored = new HashMap<>();
  /** Names found without statistics, with their ifindex: not retried while they stay. */
  private final Map<String, Integer> withoutStats = new HashMap<>();
  /** Names whose first look failed for a reason that may pass; warned about once. */
  private final Set<String> retrying = new HashSet<>();
  private String[] lastListing;
  private boolean reportedUnknown;

  public KernelInterfaceTracker(Path sysfsRoot, EthtoolReader reader, InterfaceSelector selector, Set<String> explicitNames) {
    this.sysfsRoot = sysfsRoot;
    this.reader = reader;
    InterfaceDiscovery.DriverFallback ethtool = InterfaceDiscovery.ethtoolFallback(reader);
    Set<String> named = Set.copyOf(explicitNames);
    // The driver lookup (GDRVINFO) takes the RTNL lock: only ask for names the filters keep, not
    // for every pod veth on a busy node.
    this.discovery = new InterfaceDiscovery(sysfsRoot,
        name -> named.contains(name) || selector.nameMatches(name) ? ethtool.driverOf(name) : "");
    this.selector = selector;
    this.explicitNames = Set.copyOf(explicitNames);
  }

  @Override
  public void refresh(Listener listener) {
    String[] listing = new File(sysfsRoot.toString()).list();
    if (listing == null) {
      listing = new String[0];
    }
    Arrays.sort(listing);
    if (Arrays.equals(listing, lastListing)) {
      return;
    }
    lastListing = listing;
    InterfaceDiscovery.Result found;
    try {
      found = discovery.discover();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot list network interfaces in {0}: {1}", sysfsRoot, e.getMessage());
      lastListing = null; // try again next pass
      return;
    }
    InterfaceSelector.Selection selection = selector.select(found.interfaces(), explicitNames);
    if (!selection.unknownExplicit().isEmpty() && !reportedUnknown) {
      reportedUnknown = true;
      selection.problems().forEach(p -> LOG.log(Level.WARNING, p));
    }
    Set<String> selectedNames = new HashSet<>();
    boolean retry = false;
    for (NetInterface iface : selection.selected()) {
      selectedNames.add(iface.name());
      Integer known = monitored.get(iface.name());
      if (known != null && known == iface.ifindex()) {
        continue;
      }
      if (known != null) {
        // Same name, new device (deleted and re-created between two passes): new series.
        monitored.remove(iface.name());
        listener.vanished(iface.name());
      }
      Integer noStats = withoutStats.get(iface.name());
      if (noStats != null && noStats == iface.ifindex()) {
        continue;
      }
      switch (probe(iface)) {
        case HAS_STATS -> {
          withoutStats.remove(iface.name());
          monitored.put(iface.name(), iface.ifindex());
          listener.appeared(new KernelStatSource(iface, reader));
        }
        case NO_STATS -> withoutStats.put(iface.name(), iface.ifindex());
        case TRY_AGAIN -> retry = true;
      }
    }
    for (String name : List.copyOf(monitored.keySet())) {
      if (!selectedNames.contains(name)) {
        monitored.remove(name);
        listener.vanished(name);
      }
    }
    withoutStats.keySet().retainAll(selectedNames);
    retrying.retainAll(selectedNames);
    if (retry) {
      lastListing = null;
    }
  }

  /** What the first look at an interface's statistics found. */
  private enum Probe { HAS_STATS, NO_STATS, TRY_AGAIN }

  private Probe probe(NetInterface iface) {
    try {
      if (reader.statsCount(iface.name()) > 0) {
        retrying.remove(iface.name());
        return Probe.HAS_STATS;
      }
      LOG.log(Level.INFO, "{0} (driver {1}) has no driver statistics; not monitored",
          iface.name(), iface.driver().isEmpty() ? "none" : iface.driver());
      return Probe.NO_STATS;
    } catch (EthtoolException e) {
      if (e.reason() == EthtoolException.Reason.NOT_SUPPORTED) {
        LOG.log(Level.INFO, "{0}: not monitored: {1}", iface.name(), e.getMessage());
        return Probe.NO_STATS;
      }
      if (e.reason() != EthtoolException.Reason.NO_DEVICE && retrying.add(iface.name())) {
        // Said once per interface, not once per pass while the problem lasts.
        LOG.log(Level.WARNING, "{0}: not monitored yet, will retry every pass: {1}", iface.name(), e.getMessage());
      }
      // A transient failure (EBUSY, EIO, a device detached for a moment) must not exclude the
      // interface for good: look again on the next pass.
      return Probe.TRY_AGAIN;
    }
  }

  @Override
  public void forget(String name) {
    if (monitored.remove(name) != null) {
      lastListing = null; // rediscover on the next pass, even if the names did not change
    }
  }

  /** Names monitored right now. */
  public Set<String> monitoredNames() {
    return Set.copyOf(monitored.keySet());
  }

  @Override
  public void close() {
    monitored.clear();
    reader.close();
  }
}
