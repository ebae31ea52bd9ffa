package io.enareceiver.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/** Reads {@code receivers.ethtool}. */
final class EthtoolSection {
  private static final List<String> KEYS =
      List.of("collection_interval", "sampling_interval", "interfaces", "metrics", "replay");
  private static final List<String> INTERFACE_KEYS = List.of("include", "exclude", "drivers");
  private static final List<String> PATTERNED_METRIC_KEYS = List.of("enabled", "include", "exclude");
  private static final List<String> METRIC_KEYS = List.of("enabled");
  static final Pattern DRIVER = Pattern.compile("[A-Za-z0-9_.-]+");

  private final NodeReader reader;
  private final Path baseDir;

  EthtoolSection(NodeReader reader, Path baseDir) {
    this.reader = reader;
    this.baseDir = baseDir;
  }

  EthtoolReceiverConfig read(Node node, String path) {
    Section section = reader.section(node, path, KEYS);
    String collectionPath = section.path("collection_interval");
    String samplingPath = section.path("sampling_interval");
    Duration collection = reader.duration(section.get("collection_interval"), collectionPath);
    Duration sampling = reader.duration(section.get("sampling_interval"), samplingPath);
    if (sampling != null && sampling.compareTo(Defaults.MIN_SAMPLING_INTERVAL) < 0) {
      reader.problem(
          section.get("sampling_interval"),
          samplingPath,
          "must be at least " + Durations.format(Defaults.MIN_SAMPLING_INTERVAL)
              + " (ENA refreshes its counters about once a second), found " + Durations.format(sampling));
      sampling = null;
    }
    // A default (absent key, or a variable that expanded to nothing) is checked like a written value.
    boolean collectionValid = !reader.hasProblem(collectionPath);
    collection = Objects.requireNonNullElse(collection, Defaults.COLLECTION_INTERVAL);
    Duration effectiveSampling = Objects.requireNonNullElse(sampling, Defaults.SAMPLING_INTERVAL);
    if (collectionValid && collection.compareTo(effectiveSampling) < 0) {
      Node at =
          section.has("collection_interval")
              ? section.get("collection_interval")
              : section.get("sampling_interval");
      reader.problem(
          at,
          collectionPath,
          "must not be shorter than sampling_interval (" + Durations.format(effectiveSampling)
              + "), found " + Durations.format(collection));
    }
    return new EthtoolReceiverConfig(
        collection,
        effectiveSampling,
        interfaces(section.get("interfaces"), section.path("interfaces")),
        metrics(section.get("metrics"), section.path("metrics")),
        new ReplaySection(reader, baseDir).read(section.get("replay"), section.path("replay")));
  }

  private InterfacesConfig interfaces(Node node, String path) {
    Section section = reader.section(node, path, INTERFACE_KEYS);
    List<String> include = patterns(section, "include", "[\"eth*\", \"ens*\"]");
    List<String> exclude = patterns(section, "exclude", "[\"lo\", \"veth*\"]");
    List<String> drivers = reader.strings(section.get("drivers"), section.path("drivers"), "[ena]");
    if (drivers != null) {
      for (int i = 0; i < drivers.size(); i++) {
        if (!DRIVER.matcher(drivers.get(i)).matches()) {
          reader.problem(
              section.get("drivers"),
              section.path("drivers") + "[" + i + "]",
              "expected a driver name such as ena, found '" + NodeReader.abbreviate(drivers.get(i)) + "'");
        }
      }
    }
    return new InterfacesConfig(
        Objects.requireNonNullElse(include, Defaults.INCLUDE),
        Objects.requireNonNullElse(exclude, Defaults.EXCLUDE),
        Objects.requireNonNullElse(drivers, Defaults.DRIVERS));
  }

  /** A list of name globs, each checked by compiling it the way the receiver will. */
  private List<String> patterns(Section section, String key, String example) {
    List<String> patterns = reader.strings(section.get(key), section.path(key), example);
    if (patterns != null) {
      for (int i = 0; i < patterns.size(); i++) {
        try {
          InterfacePattern.compile(patterns.get(i));
        } catch (IllegalArgumentException e) {
          reader.problem(section.get(key), section.path(key) + "[" + i + "]", e.getMessage());
        }
      }
    }
    return patterns;
  }

  private Map<String, MetricSettings> metrics(Node node, String path) {
    Map<String, MetricSettings> metrics = Defaults.metrics();
    Section section = reader.map(node, path);
    for (String name : section.keys()) {
      String metricPath = section.path(name);
      Node value = section.get(name);
      if (!KnownMetrics.isKnown(name)) {
        reader.problem(value, metricPath, unknownMetric(name));
        continue;
      }
      if (!NodeReader.isNull(value) && !(value instanceof MappingNode)) {
        reader.problem(
            value,
            metricPath,
            "expected a mapping such as {enabled: true}, found " + NodeReader.describe(value));
        continue;
      }
      metrics.put(name, metric(name, value, metricPath));
    }
    return metrics;
  }

  private static String unknownMetric(String name) {
    String closest = KeySuggester.closest(name, KnownMetrics.defaults().keySet());
    return "unknown metric '" + NodeReader.abbreviate(name) + "'"
        + (closest != null
            ? "; did you mean " + closest + "?"
            : "; expected one of: " + String.join(", ", KnownMetrics.defaults().keySet()));
  }

  private MetricSettings metric(String name, Node node, String path) {
    boolean patterned = name.equals(KnownMetrics.PATTERNED);
    Map<String, String> advice = new HashMap<>();
    if (!patterned) {
      String onlyThere = "include/exclude stat patterns are allowed only under " + KnownMetrics.PATTERNED;
      advice.put("include", onlyThere);
      advice.put("exclude", onlyThere);
    }
    Section section =
        reader.section(node, path, patterned ? PATTERNED_METRIC_KEYS : METRIC_KEYS, advice);
    MetricSettings defaults = Defaults.metric(name);
    Boolean enabled = reader.bool(section.get("enabled"), section.path("enabled"));
    if (!patterned) {
      boolean on = Objects.requireNonNullElse(enabled, defaults.enabled());
      return new MetricSettings(on, List.of(), List.of());
    }
    List<String> include = patterns(section, "include", "[\"*\"]");
    List<String> exclude = patterns(section, "exclude", "[\"queue_*\"]");
    return new MetricSettings(
        Objects.requireNonNullElse(enabled, defaults.enabled()),
        Objects.requireNonNullElse(include, defaults.include()),
        Objects.requireNonNullElse(exclude, defaults.exclude()));
  }
}
