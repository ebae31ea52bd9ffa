package io.enareceiver.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/** Reads {@code receivers.ethtool.replay}: simulated interfaces and their capture files. */
final class ReplaySection {
  private static final List<String> KEYS = List.of("name", "mac", "driver", "captures", "loop");
  private static final Pattern MAC = Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}");

  private final NodeReader reader;
  private final Path baseDir;

  ReplaySection(NodeReader reader, Path baseDir) {
    this.reader = reader;
    this.baseDir = baseDir;
  }

  List<ReplayConfig> read(Node node, String path) {
    List<Node> entries = reader.sequence(node, path, "[{name: eth1, captures: captures/dns}]");
    if (entries == null) {
      return List.of();
    }
    List<ReplayConfig> replay = new ArrayList<>();
    Map<String, Integer> firstLine = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      String entryPath = path + "[" + i + "]";
      ReplayConfig entry = replayEntry(entries.get(i), entryPath);
      if (entry == null) {
        continue;
      }
      Integer earlier = firstLine.putIfAbsent(entry.name(), NodeReader.line(entries.get(i)));
      if (earlier != null) {
        reader.problem(
            entries.get(i),
            entryPath + ".name",
            "duplicate replay interface name '" + entry.name() + "' (first given on line " + earlier + ")");
      }
      replay.add(entry);
    }
    return replay;
  }

  private ReplayConfig replayEntry(Node node, String path) {
    if (NodeReader.isNull(node)) {
      reader.problem(node, path, "expected a mapping with name and captures, found an empty entry");
      return null;
    }
    Section section = reader.section(node, path, KEYS);
    if (!section.isMapping()) {
      return null;
    }
    String name = reader.string(section.get("name"), section.path("name"));
    if (name != null && !InterfaceNames.isValid(name)) {
      reader.problem(
          section.get("name"),
          section.path("name"),
          InterfaceNames.EXPECTED + ", found '" + NodeReader.abbreviate(name) + "'");
      name = null;
    }
    reader.requireValue(section, "name", name, "an interface name such as eth1");
    String mac = reader.string(section.get("mac"), section.path("mac"));
    if (mac != null && !MAC.matcher(mac).matches()) {
      reader.problem(
          section.get("mac"), section.path("mac"),
          "expected a MAC address such as 0a:1b:2c:3d:4e:5f, found '" + NodeReader.abbreviate(mac) + "'");
    }
    String driver = reader.string(section.get("driver"), section.path("driver"));
    if (driver != null && !EthtoolSection.DRIVER.matcher(driver).matches()) {
      reader.problem(
          section.get("driver"), section.path("driver"),
          "expected a driver name such as ena, found '" + NodeReader.abbreviate(driver) + "'");
    }
    String captures = reader.string(section.get("captures"), section.path("captures"));
    List<Path> files = List.of();
    if (captures != null) {
      try {
        files = CaptureResolver.resolve(captures, baseDir);
      } catch (IllegalArgumentException e) {
        reader.problem(section.get("captures"), section.path("captures"), e.getMessage());
        captures = null;
      }
    } else {
      reader.requireValue(
          section,
          "captures",
          null,
          "a capture directory, a glob such as captures/*.txt, or builtin:<scenario>");
    }
    Boolean loop = reader.bool(section.get("loop"), section.path("loop"));
    if (name == null || captures == null) {
      return null;
    }
    return new ReplayConfig(
        name,
        mac == null ? null : mac.toLowerCase(Locale.ROOT),
        Objects.requireNonNullElse(driver, Defaults.REPLAY_DRIVER),
        captures,
        files,
        Objects.requireNonNullElse(loop, false));
  }
}
