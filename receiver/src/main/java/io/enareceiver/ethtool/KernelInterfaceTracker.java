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
  private String[] lastListing;
  private boolean reportedUnknown;

  public KernelInterfaceTracker(Path sysfsRoot, EthtoolReader reader, InterfaceSelector selector, Set<String> explicitNames) {
    this.sysfsRoot = sysfsRoot;
    this.reader = reader;
    this.discovery = new InterfaceDiscovery(sysfsRoot, InterfaceDiscovery.ethtoolFallback(reader));
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
      if (hasStats(iface)) {
        withoutStats.remove(iface.name());
        monitored.put(iface.name(), iface.ifindex());
        listener.appeared(new KernelStatSource(iface, reader));
      } else {
        withoutStats.put(iface.name(), iface.ifindex());
      }
    }
    for (String name : List.copyOf(monitored.keySet())) {
      if (!selectedNames.contains(name)) {
        monitored.remove(name);
        listener.vanished(name);
      }
    }
    withoutStats.keySet().retainAll(selectedNames);
  }

  private boolean hasStats(NetInterface iface) {
    try {
      if (reader.statsCount(iface.name()) > 0) {
        return true;
      }
      LOG.log(Level.INFO, "{0} (driver {1}) has no driver statistics; not monitored",
          iface.name(), iface.driver().isEmpty() ? "none" : iface.driver());
    } catch (EthtoolException e) {
      if (e.reason() != EthtoolException.Reason.NO_DEVICE) {
        LOG.log(Level.WARNING, "{0}: not monitored: {1}", iface.name(), e.getMessage());
      }
    }
    return false;
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
