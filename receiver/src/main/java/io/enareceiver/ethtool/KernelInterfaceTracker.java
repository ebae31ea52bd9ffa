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
 * The kernel's interfaces, kept current from sysfs. A sampling pass looks at
 * {@code /sys/class/net} only when something may have changed: the kernel announced a link
 * change over rtnetlink ({@link LinkChangeMonitor}), or this tracker has a reason of its own
 * (the first pass, an interface {@linkplain #forget forgotten}, a probe to retry). It then runs
 * full discovery and selection. New matching interfaces become {@link KernelStatSource}s on one
 * shared {@link EthtoolReader}; vanished ones are reported gone, and so is a device re-created
 * under a known name (new ifindex), which then appears anew. Interfaces whose driver has no
 * statistics (lo, bridges, tun) are noted once and not retried until they reappear.
 *
 * <p>Listing sysfs on every pass, as this class used to, cost about 140 µs of CPU per pass in
 * the running receiver (16 veths) plus 1.5 KB of garbage, against a budget of ~200 µs/s for the
 * whole process; with no link change a pass now costs one {@code recv} that answers
 * {@code EAGAIN}.
 *
 * <p><b>Fallback.</b> When the sysfs root is not the kernel's ({@link InterfaceDiscovery#DEFAULT_ROOT};
 * a test tree has no netlink events), or the rtnetlink socket cannot be opened or fails, every
 * pass lists the directory (one directory read) and runs discovery only when the set of names
 * changed, as before; a device re-created under the same name between two passes then goes
 * unnoticed until something else changes.
 *
 * <p><b>Namespaces.</b> sysfs shows the network namespace it was mounted in (the process's); the
 * reader and the link monitor see the namespace of the thread that created them. The monitor is
 * opened in the constructor, which is assumed to run on the thread that just opened the reader,
 * in the same namespace as sysfs (the agent does exactly that); a reader from another namespace
 * would be watched for the wrong links.
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
  /** Announces link changes; null when sysfs is a test tree or the monitor failed: then every pass lists. */
  private LinkChangeMonitor linkChanges;
  /**
   * Look at sysfs on the next pass whatever the monitor says: the first pass, an interface
   * forgotten, a probe to retry, a listing that failed.
   */
  private boolean rescan = true;
  /** Fallback only: the names of the last listing, so discovery runs only when they change. */
  private String[] lastListing;
  /** Passes that read {@code /sys/class/net}: what the link monitor saves, made testable. */
  private long listings;
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
    // Opened here, by the thread that opened the reader, so both see the same namespace.
    this.linkChanges = sysfsRoot.equals(InterfaceDiscovery.DEFAULT_ROOT) ? openLinkMonitor() : null;
  }

  private static LinkChangeMonitor openLinkMonitor() {
    try {
      return LinkChangeMonitor.open();
    } catch (EthtoolException e) {
      warnFallingBack(e);
      return null;
    }
  }

  private static void warnFallingBack(EthtoolException e) {
    LOG.log(Level.WARNING, "{0}; falling back to listing {1} every pass",
        e.getMessage(), InterfaceDiscovery.DEFAULT_ROOT);
  }

  @Override
  public void refresh(Listener listener) {
    // Drain the link changes before looking at sysfs: a change that arrives while sysfs is being
    // read stays queued and brings one more look next pass. Listing first could read sysfs just
    // before the change and then drain its announcement: that change would be lost for good.
    boolean announced = linksChanged();
    if (linkChanges != null) {
      // Any announced change runs discovery, even when the names stayed the same: a device
      // deleted and re-created under its old name has a new ifindex, which names cannot show.
      if (!announced && !rescan) {
        return;
      }
      listings++;
    } else {
      listings++;
      String[] listing = new File(sysfsRoot.toString()).list();
      if (listing == null) {
        listing = new String[0];
      }
      Arrays.sort(listing);
      if (!rescan && Arrays.equals(listing, lastListing)) {
        return;
      }
      lastListing = listing;
    }
    rescan = false;
    rediscover(listener);
  }

  /**
   * Whether the kernel announced a link change since the last pass. When the monitor fails it is
   * closed, the fallback is announced once, and the answer is yes: changes may have been missed.
   */
  private boolean linksChanged() {
    if (linkChanges == null) {
      return false;
    }
    try {
      return linkChanges.drainChanges();
    } catch (EthtoolException e) {
      warnFallingBack(e);
      linkChanges.close();
      linkChanges = null;
      rescan = true;
      return true;
    }
  }

  private void rediscover(Listener listener) {
    InterfaceDiscovery.Result found;
    try {
      found = discovery.discover();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot list network interfaces in {0}: {1}", sysfsRoot, e.getMessage());
      rescan = true; // try again next pass
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
      switch (probe(iface, listener)) {
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
    for (String name : List.copyOf(retrying)) {
      if (!selectedNames.contains(name)) {
        // Never monitored, but its failed looks were counted: let the listener drop them.
        retrying.remove(name);
        listener.vanished(name);
      }
    }
    if (retry) {
      rescan = true;
    }
  }

  /** What the first look at an interface's statistics found. */
  private enum Probe { HAS_STATS, NO_STATS, TRY_AGAIN }

  private Probe probe(NetInterface iface, Listener listener) {
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
      if (e.reason() != EthtoolException.Reason.NO_DEVICE) {
        if (retrying.add(iface.name())) {
          // Said once per interface, not once per pass while the problem lasts.
          LOG.log(Level.WARNING, "{0}: not monitored yet, will retry every pass: {1}", iface.name(), e.getMessage());
        }
        listener.unreadable(iface.name(), e);
      }
      // A transient failure (EBUSY, EIO, a device detached for a moment) must not exclude the
      // interface for good: look again on the next pass.
      return Probe.TRY_AGAIN;
    }
  }

  @Override
  public void forget(String name) {
    if (monitored.remove(name) != null) {
      rescan = true; // rediscover on the next pass, even if no link changed
    }
  }

  /** Names monitored right now. */
  public Set<String> monitoredNames() {
    return Set.copyOf(monitored.keySet());
  }

  /** How many passes read {@code /sys/class/net}. */
  long listings() {
    return listings;
  }

  /** The link monitor in use, or null when every pass lists sysfs. */
  LinkChangeMonitor linkChangeMonitor() {
    return linkChanges;
  }

  @Override
  public void close() {
    monitored.clear();
    try {
      if (linkChanges != null) {
        linkChanges.close();
        linkChanges = null;
      }
    } finally {
      reader.close();
    }
  }
}
