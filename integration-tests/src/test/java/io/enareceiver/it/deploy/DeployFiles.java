package io.enareceiver.it.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** Locates the project's deploy/ tree and reads its YAML, whatever directory the test runs in. */
final class DeployFiles {
  private DeployFiles() {}

  /** The project root: the first directory upwards from the working directory holding deploy/. */
  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("deploy")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("no deploy/ directory above " + dir);
  }

  static Path deploy(String relative) {
    return root().resolve("deploy").resolve(relative);
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The arguments of deploy/jvm.options, as the launcher reads them: "#" starts a comment. */
  static List<String> jvmOptionLines() {
    return read(deploy("jvm.options")).lines()
        .map(l -> l.contains("#") ? l.substring(0, l.indexOf('#')) : l)
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .toList();
  }

  /** Every document of a YAML file (or string), as plain maps and lists. */
  static List<Object> yamlDocuments(String text) {
    List<Object> docs = new ArrayList<>();
    for (Object doc : new Yaml(new LoaderOptions()).loadAll(text)) {
      if (doc != null) {
        docs.add(doc);
      }
    }
    return docs;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> yamlMap(String text) {
    List<Object> docs = yamlDocuments(text);
    if (docs.size() != 1 || !(docs.getFirst() instanceof Map)) {
      throw new IllegalArgumentException("expected one YAML mapping, got " + docs.size() + " documents");
    }
    return (Map<String, Object>) docs.getFirst();
  }

  static Map<String, Object> yamlMap(Path file) {
    return yamlMap(read(file));
  }

  /** Follows a path of map keys; fails with the path when a step is missing. */
  @SuppressWarnings("unchecked")
  static <T> T at(Object node, String... keys) {
    Object cur = node;
    StringBuilder walked = new StringBuilder();
    for (String key : keys) {
      walked.append('.').append(key);
      if (!(cur instanceof Map<?, ?> map) || !map.containsKey(key)) {
        throw new AssertionError("missing " + walked);
      }
      cur = map.get(key);
    }
    return (T) cur;
  }
}
