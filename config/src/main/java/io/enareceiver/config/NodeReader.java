package io.enareceiver.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Typed reads from a composed YAML node tree. Every read that fails records a
 * {@link ConfigProblem} (file, line, key path, what was expected) and returns null, so the
 * loader carries on and reports all problems at once.
 *
 * <p>A key with no value ({@code key:} or {@code key: ~}) reads as absent, so the default
 * applies; so does a scalar whose {@code ${env:...}} references expand to nothing.
 */
final class NodeReader {
  private final String file;
  private final EnvExpander env;
  private final List<ConfigProblem> problems = new ArrayList<>();
  private final Set<String> pathsWithProblems = new HashSet<>();

  NodeReader(String file, Function<String, String> env) {
    this.file = file;
    this.env = new EnvExpander(env);
  }

  String file() {
    return file;
  }

  List<ConfigProblem> problems() {
    return List.copyOf(problems);
  }

  void problem(Node at, String path, String message) {
    problems.add(new ConfigProblem(file, line(at), path, message));
    pathsWithProblems.add(path);
  }

  /** Whether a problem was already reported for this key path. */
  boolean hasProblem(String path) {
    return pathsWithProblems.contains(path);
  }

  /** Reports a missing required key, unless its value was present but already reported. */
  void requireValue(Section section, String key, Object value, String expected) {
    String path = section.path(key);
    if (value == null && !pathsWithProblems.contains(path)) {
      Node at = section.has(key) ? section.get(key) : section.node();
      problem(at, path, "required: " + expected);
    }
  }

  static int line(Node node) {
    return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }

  static boolean isNull(Node node) {
    return node == null || (node instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag()));
  }

  /** Opens a mapping whose keys must all be in {@code known}; others are reported with a suggestion. */
  Section section(Node node, String path, Collection<String> known) {
    return open(node, path, known, Map.of());
  }

  /** Like {@link #section(Node, String, Collection)}, with extra advice for some unknown keys. */
  Section section(Node node, String path, Collection<String> known, Map<String, String> advice) {
    return open(node, path, known, advice);
  }

  /** Opens a mapping with free-form keys (metric names, header names). */
  Section map(Node node, String path) {
    return open(node, path, null, Map.of());
  }

  private Section open(Node node, String path, Collection<String> known, Map<String, String> advice) {
    if (isNull(node)) {
      return new Section(path, node, true, Map.of());
    }
    if (!(node instanceof MappingNode mapping)) {
      problem(node, path, "expected a mapping (key: value entries), found " + describe(node));
      return new Section(path, node, false, Map.of());
    }
    Map<String, Node> values = new LinkedHashMap<>();
    Map<String, Integer> firstLine = new HashMap<>();
    Section naming = new Section(path, node, true, Map.of());
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode scalarKey)) {
        problem(keyNode, path, "expected a key name, found " + describe(keyNode));
        continue;
      }
      String key = scalarKey.getValue();
      String keyPath = naming.path(key);
      if (Tag.MERGE.equals(keyNode.getTag())) {
        problem(keyNode, keyPath, "merge keys (<<) are not supported; write the keys out");
      } else if (firstLine.containsKey(key)) {
        problem(keyNode, keyPath, "duplicate key (first given on line " + firstLine.get(key) + ")");
      } else if (known != null && !known.contains(key)) {
        problem(keyNode, keyPath, unknownKey(key, known, advice));
        firstLine.put(key, line(keyNode));
      } else {
        firstLine.put(key, line(keyNode));
        values.put(key, tuple.getValueNode());
      }
    }
    return new Section(path, node, true, values);
  }

  static String unknownKey(String key, Collection<String> known, Map<String, String> advice) {
    String message = "unknown key '" + abbreviate(key) + "'";
    if (advice.containsKey(key)) {
      return message + "; " + advice.get(key);
    }
    String closest = KeySuggester.closest(key, known);
    if (closest != null) {
      return message + "; did you mean " + closest + "?";
    }
    if (known.isEmpty()) {
      return message + "; this section takes no keys";
    }
    return message + "; expected one of: " + known.stream().collect(Collectors.joining(", "));
  }

  /** A scalar value after {@code ${env:...}} expansion; null when absent or wrong. */
  String string(Node node, String path) {
    if (isNull(node)) {
      return null;
    }
    if (!(node instanceof ScalarNode scalar)) {
      problem(node, path, "expected a single value, found " + describe(node));
      return null;
    }
    try {
      EnvExpander.Expansion expansion = env.expand(scalar.getValue());
      if (expansion.referenced() && expansion.value().isEmpty()) {
        return null;
      }
      return expansion.value();
    } catch (IllegalArgumentException e) {
      problem(node, path, e.getMessage());
      return null;
    }
  }

  Boolean bool(Node node, String path) {
    String text = string(node, path);
    if (text == null) {
      return null;
    }
    return switch (text) {
      case "true", "True", "TRUE" -> true;
      case "false", "False", "FALSE" -> false;
      default -> {
        problem(node, path, "expected true or false, found '" + abbreviate(text) + "'");
        yield null;
      }
    };
  }

  Duration duration(Node node, String path) {
    String text = string(node, path);
    if (text == null) {
      return null;
    }
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      problem(node, path, e.getMessage());
      return null;
    }
  }

  /** A value that must be one of {@code allowed}. */
  String choice(Node node, String path, List<String> allowed) {
    String text = string(node, path);
    if (text == null || allowed.contains(text)) {
      return text;
    }
    problem(
        node,
        path,
        "expected one of " + String.join(", ", allowed) + ", found '" + abbreviate(text) + "'");
    return null;
  }

  /** The element nodes of a list; null when absent or not a list. */
  List<Node> sequence(Node node, String path, String example) {
    if (isNull(node)) {
      return null;
    }
    if (!(node instanceof SequenceNode sequence)) {
      problem(node, path, "expected a list such as " + example + ", found " + describe(node));
      return null;
    }
    return sequence.getValue();
  }

  /** A list of scalar values; entries that are wrong are reported and left out. */
  List<String> strings(Node node, String path, String example) {
    List<Node> elements = sequence(node, path, example);
    if (elements == null) {
      return null;
    }
    List<String> values = new ArrayList<>(elements.size());
    for (int i = 0; i < elements.size(); i++) {
      Node element = elements.get(i);
      String elementPath = path + "[" + i + "]";
      String value = string(element, elementPath);
      if (value != null) {
        values.add(value);
      } else if (isNull(element)) {
        problem(element == null ? node : element, elementPath, "expected a value, found an empty entry");
      }
    }
    return values;
  }

  static String describe(Node node) {
    return switch (node) {
      case ScalarNode scalar when Tag.NULL.equals(scalar.getTag()) -> "an empty value";
      case ScalarNode scalar -> "the value '" + abbreviate(scalar.getValue()) + "'";
      case SequenceNode ignored -> "a list";
      case MappingNode ignored -> "a mapping";
      default -> "a " + node.getNodeId();
    };
  }

  static String abbreviate(String text) {
    String oneLine = text.replaceAll("\\s+", " ");
    return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "...";
  }
}
