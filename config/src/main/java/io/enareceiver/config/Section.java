package io.enareceiver.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * One YAML mapping after its keys were checked: values by key, plus where the mapping is, so a
 * problem about a missing or cross-checked key still gets a line number.
 */
final class Section {
  private final String path;
  private final Node node;
  private final boolean mapping;
  private final Map<String, Node> values;

  Section(String path, Node node, boolean mapping, Map<String, Node> values) {
    this.path = path;
    this.node = node;
    this.mapping = mapping;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** The key path of this mapping; empty for the document root. */
  String path() {
    return path;
  }

  /** The key path of one of its keys. */
  String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** The mapping node itself, or null when it was absent. */
  Node node() {
    return node;
  }

  /** False when the node was there but was not a mapping (already reported). */
  boolean isMapping() {
    return mapping;
  }

  boolean has(String key) {
    return values.containsKey(key);
  }

  /** The value node, or null when the key is absent. */
  Node get(String key) {
    return values.get(key);
  }

  Set<String> keys() {
    return values.keySet();
  }
}
