package io.enareceiver.cli;

import io.enareceiver.config.Config;
import io.enareceiver.config.ConfigLoader;
import io.enareceiver.config.Durations;
import io.enareceiver.ena.StatCatalog;
import io.enareceiver.ena.UnsignedLongs;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ena-receiver stats}: the operator's view of the allowance counters, read the same way
 * the receiver reads them, to cross-check against {@code ethtool -S}.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = {"Show the ENA allowance counters of this machine's interfaces, or of saved captures.",
        "By default the interfaces the receiver would monitor (driver ena); --interface reads any interface."})
final class StatsCommand implements Callable<Integer> {
  enum Format { table, json }

  @Spec
  CommandSpec spec;

  @Option(names = "--interface", paramLabel = "NAME", description = "Read this interface, whatever the filters say (repeatable).")
  List<String> interfaces = new ArrayList<>();

  @Option(names = "--all", description = "Show every statistic, not only the allowance counters.")
  boolean all;

  @Option(names = "--watch", arity = "0..1", fallbackValue = "1s", paramLabel = "INTERVAL",
      description = "Refresh every INTERVAL (default 1s, at least 1s) with per-second rates of the allowance counters.")
  String watch;

  @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT", description = "table or json (default table).")
  Format format;

  @Option(names = "--config", paramLabel = "FILE", description = "Take interface filters and replayed interfaces from this configuration.")
  Path config;

  @Option(names = "--from", arity = "1..*", paramLabel = "FILE", description = "Read saved `ethtool -S` captures instead of the kernel.")
  List<Path> from = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Duration interval = watchInterval();
    if (!from.isEmpty() && (!interfaces.isEmpty() || config != null || interval != null)) {
      throw new Main.UsageException("--from reads saved captures; it cannot be combined with --interface, --config or --watch");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (StatsCollector collector = from.isEmpty()
        ? StatsCollector.fromKernel(config == null ? ConfigLoader.defaults() : ConfigLoader.load(config), interfaces)
        : StatsCollector.fromCaptures(from)) {
      if (interval == null) {
        List<InterfaceStats> stats = collector.read();
        out.print(render(stats, null, collector.notes(stats)));
        out.flush();
        return stats.stream().allMatch(InterfaceStats::ok) ? Main.OK : Main.RUNTIME_FAILURE;
      }
      watch(collector, interval, out);
      return Main.OK;
    } catch (StatsCollector.UnknownInterfaceException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return Main.RUNTIME_FAILURE;
    }
  }

  private Duration watchInterval() throws Main.UsageException {
    if (watch == null) {
      return null;
    }
    Duration d;
    try {
      d = Durations.parse(watch);
    } catch (IllegalArgumentException e) {
      throw new Main.UsageException("--watch " + watch + ": " + e.getMessage());
    }
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      // On ENA every read is a device admin command under the RTNL lock.
      throw new Main.UsageException("--watch " + watch + ": at least 1s (each read is a command to the ENA device)");
    }
    return d;
  }

  private String render(List<InterfaceStats> stats, Map<String, Map<String, Double>> rates, List<String> notes) {
    if (format == Format.json) {
      return JsonStatsWriter.write(stats) + "\n";
    }
    String table = all ? TableStatsWriter.all(stats) : "";
    return table + TableStatsWriter.summary(stats, rates, notes);
  }

  private void watch(StatsCollector collector, Duration interval, PrintWriter out) throws InterruptedException {
    boolean terminal = System.console() != null && format == Format.table;
    List<InterfaceStats> previous = null;
    long previousNanos = 0;
    while (!Thread.currentThread().isInterrupted()) {
      long now = System.nanoTime();
      List<InterfaceStats> stats = collector.read();
      Map<String, Map<String, Double>> rates = previous == null ? null : rates(previous, stats, (now - previousNanos) / 1e9);
      if (terminal) {
        out.print("\033[H\033[2J");
      }
      out.print(render(stats, rates, collector.notes(stats)));
      if (format == Format.table) {
        out.println();
      }
      out.flush();
      previous = stats;
      previousNanos = now;
      Thread.sleep(interval);
    }
  }

  static Map<String, Map<String, Double>> rates(List<InterfaceStats> before, List<InterfaceStats> after, double seconds) {
    Map<String, Map<String, Double>> out = new HashMap<>();
    for (InterfaceStats now : after) {
      InterfaceStats then = before.stream().filter(b -> b.name().equals(now.name())).findFirst().orElse(null);
      if (then == null || !then.ok() || !now.ok() || seconds <= 0) {
        continue;
      }
      Map<String, Double> perStat = new HashMap<>();
      for (String stat : StatCatalog.ALLOWANCE_STATS) {
        Long a = then.value(stat);
        Long b = now.value(stat);
        if (a != null && b != null) {
          // A counter that went down was reset: what it shows now happened since. The counters
          // are unsigned 64-bit: a delta of 2^63 or more is not negative.
          long delta = Long.compareUnsigned(b, a) >= 0 ? b - a : b;
          perStat.put(stat, UnsignedLongs.toDouble(delta) / seconds);
        }
      }
      out.put(now.name(), perStat);
    }
    return out;
  }
}
