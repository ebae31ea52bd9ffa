package io.enareceiver.cli;

import io.enareceiver.config.Config;
import io.enareceiver.config.InterfacesConfig;
import io.enareceiver.config.ReplayConfig;
import io.enareceiver.ena.Capture;
import io.enareceiver.ena.CaptureException;
import io.enareceiver.ena.CaptureParser;
import io.enareceiver.ena.StatCatalog;
import io.enareceiver.ethtool.DriverInfo;
import io.enareceiver.ethtool.EthtoolException;
import io.enareceiver.ethtool.EthtoolReader;
import io.enareceiver.ethtool.InterfaceDiscovery;
import io.enareceiver.ethtool.InterfaceSelector;
import io.enareceiver.ethtool.KernelStatSource;
import io.enareceiver.ethtool.NetInterface;
import io.enareceiver.ethtool.StatSnapshot;
import io.enareceiver.ethtool.StatSource;
import io.enareceiver.replay.ReplayStatSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where the {@code stats} command gets its readings: the kernel's interfaces (filtered like the
 * receiver filters them, or named explicitly), replayed interfaces from the configuration, or
 * saved {@code ethtool -S} captures. Reading again (for {@code --watch}) reuses the sources.
 */
final class StatsCollector implements AutoCloseable {
  private final List<Reading> readings;
  private final EthtoolReader reader;
  private final List<String> notes;

  private record Reading(StatSource source, String driverVersion, StatSnapshot snapshot) {}

  private StatsCollector(List<Reading> readings, EthtoolReader reader, List<String> notes) {
    this.readings = readings;
    this.reader = reader;
    this.notes = notes;
  }

  /**
   * The kernel's interfaces selected by {@code config} (or exactly {@code explicit} when given),
   * plus the configuration's replayed interfaces.
   *
   * @throws UnknownInterfaceException when an explicitly named interface does not exist
   */
  static StatsCollector fromKernel(Config config, List<String> explicit)
      throws EthtoolException, IOException, UnknownInterfaceException, CaptureException {
    EthtoolReader reader = EthtoolReader.open();
    try {
      InterfaceDiscovery.Result found =
          new InterfaceDiscovery(InterfaceDiscovery.DEFAULT_ROOT, InterfaceDiscovery.ethtoolFallback(reader)).discover();
      InterfacesConfig filters = config.ethtool().interfaces();
      InterfaceSelector selector = new InterfaceSelector(filters.include(), filters.exclude(), filters.drivers());
      InterfaceSelector.Selection selection = selector.select(found.interfaces(), new LinkedHashSet<>(explicit));
      if (!selection.unknownExplicit().isEmpty()) {
        throw new UnknownInterfaceException(String.join("\n", selection.problems()));
      }
      List<Reading> readings = new ArrayList<>();
      List<String> notes = new ArrayList<>();
      for (NetInterface iface : selection.selected()) {
        String version = "";
        try {
          DriverInfo info = reader.driverInfo(iface.name());
          version = info.version();
        } catch (EthtoolException e) {
          // The statistics read below reports the problem.
        }
        readings.add(new Reading(new KernelStatSource(iface, reader), version, new StatSnapshot()));
      }
      if (explicit.isEmpty()) {
        for (ReplayConfig r : config.ethtool().replay()) {
          readings.add(new Reading(
              ReplayStatSource.open(r.name(), r.mac(), r.driver(), r.captures(), r.files(), r.loop()), "", new StatSnapshot()));
        }
      }
      if (readings.isEmpty()) {
        notes.add(noneMatched(filters, found.interfaces()));
      }
      return new StatsCollector(readings, reader, notes);
    } catch (RuntimeException | IOException | UnknownInterfaceException | CaptureException e) {
      reader.close();
      throw e;
    }
  }

  /** Saved captures; the interface name comes from a {@code # interface: NAME} header, else eth0. */
  static StatsCollector fromCaptures(List<Path> files) throws CaptureException {
    List<Reading> readings = new ArrayList<>();
    for (Path file : files) {
      Capture capture = CaptureParser.parse(file);
      NetInterface iface = ReplayStatSource.replayInterface(capture.interfaceName(), "", capture.driver());
      readings.add(new Reading(new ReplayStatSource(iface, List.of(capture), false), "", new StatSnapshot()));
    }
    return new StatsCollector(readings, null, new ArrayList<>());
  }

  private static String noneMatched(InterfacesConfig filters, List<NetInterface> available) {
    String list = available.stream()
        .map(i -> i.name() + (i.driver().isEmpty() ? "" : " (" + i.driver() + ")"))
        .collect(Collectors.joining(", "));
    return "No interface matched include " + filters.include() + ", exclude " + filters.exclude()
        + ", drivers " + (filters.drivers().isEmpty() ? "(any)" : filters.drivers()) + ".\n"
        + "Available: " + (list.isEmpty() ? "(none)" : list) + "\n"
        + "Name one with --interface NAME to read it anyway.";
  }

  /** Reads every source once. */
  List<InterfaceStats> read() {
    List<InterfaceStats> out = new ArrayList<>(readings.size());
    for (Reading r : readings) {
      NetInterface iface = r.source().iface();
      try {
        r.source().read(r.snapshot());
        StatSnapshot s = r.snapshot();
        out.add(new InterfaceStats(iface.name(), iface.driver(), r.driverVersion(),
            Arrays.asList(s.names()).subList(0, s.count()), Arrays.copyOf(s.values(), s.count()), ""));
      } catch (EthtoolException e) {
        out.add(InterfaceStats.failed(iface.name(), iface.driver(), e.getMessage()));
      }
    }
    return out;
  }

  /** Plain-language notes: nothing matched, or an ENA driver too old for the allowance counters. */
  List<String> notes(List<InterfaceStats> stats) {
    List<String> out = new ArrayList<>(notes);
    for (InterfaceStats s : stats) {
      if (!s.ok()) {
        continue;
      }
      var classes = StatCatalog.classify(s.driver(), s.names());
      if (classes.isEna()) {
        classes.missingStatsExplanations(s.driverVersion()).forEach(n -> out.add(s.name() + ": " + n));
      } else {
        out.add(s.name() + ": driver " + (s.driver().isEmpty() ? "unknown" : s.driver())
            + " is not ENA, so it has no allowance counters (--all shows its " + s.names().size() + " statistics)");
      }
    }
    return out;
  }

  @Override
  public void close() {
    readings.forEach(r -> r.source().close());
    if (reader != null) {
      reader.close();
    }
  }

  /** An interface named on the command line does not exist. */
  static final class UnknownInterfaceException extends Exception {
    private static final long serialVersionUID = 1L;

    UnknownInterfaceException(String message) {
      super(message);
    }
  }
}
