package io.enareceiver.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Loads an ena-receiver configuration file: collector-style YAML, {@code ${env:...}} expansion
 * in values, strict validation that reports every problem with file, line and key path.
 * {@code ena-receiver.reference.yaml} documents every key and its default.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  private static final List<String> TOP_KEYS = List.of("receivers", "exporters", "service");
  private static final String ONLY_RECEIVERS_EXPORTERS_SERVICE =
      "ena-receiver has receivers, exporters and service only; run processors and extensions in an"
          + " OpenTelemetry Collector";
  private static final Map<String, String> TOP_ADVICE =
      Map.of(
          "processors", ONLY_RECEIVERS_EXPORTERS_SERVICE,
          "extensions", ONLY_RECEIVERS_EXPORTERS_SERVICE,
          "connectors", ONLY_RECEIVERS_EXPORTERS_SERVICE);

  /** Loads a file, expanding {@code ${env:...}} from the process environment. */
  public static Config load(Path file) throws ConfigException {
    return load(file, System::getenv);
  }

  /**
   * Loads a file. Relative paths in it (replay captures, TLS files) are relative to its directory.
   *
   * @param env looks up environment variables; returns null for an unset variable
   */
  public static Config load(Path file, Function<String, String> env) throws ConfigException {
    String text = YamlDocument.read(file);
    Path absolute = file.toAbsolutePath();
    return read(text, file.toString(), file, absolute.getParent(), env);
  }

  /**
   * Parses configuration text, for tests and for configs that do not come from a file. The
   * result's {@link Config#source()} is null.
   *
   * @param sourceName named in problems, e.g. the file name the text came from
   * @param baseDir directory relative paths are resolved against; null means the working directory
   */
  public static Config parse(String yaml, String sourceName, Path baseDir, Function<String, String> env)
      throws ConfigException {
    return read(yaml, sourceName, null, baseDir, env);
  }

  /** The configuration used when there is no file: see {@code ena-receiver.reference.yaml}. */
  public static Config defaults() {
    return Defaults.config();
  }

  private static Config read(
      String text, String sourceName, Path source, Path baseDir, Function<String, String> env)
      throws ConfigException {
    Objects.requireNonNull(env, "env");
    Path base = baseDir == null ? Path.of("").toAbsolutePath() : baseDir;
    Node root = YamlDocument.compose(text, sourceName);
    if (NodeReader.isNull(root)) {
      // An empty file (or only comments) asks for nothing, so every default applies.
      Config defaults = Defaults.config();
      return new Config(
          source, defaults.ethtool(), defaults.otlp(), defaults.console(),
          defaults.pipelineExporters(), defaults.telemetry());
    }
    NodeReader reader = new NodeReader(sourceName, env);
    if (!(root instanceof MappingNode)) {
      reader.problem(
          root, "",
          "expected a mapping with receivers, exporters and service at the top level, found "
              + NodeReader.describe(root));
      throw new ConfigException(reader.problems());
    }
    Section top = reader.section(root, "", TOP_KEYS, TOP_ADVICE);
    Section receivers =
        reader.section(top.get("receivers"), top.path("receivers"), List.of(ServiceSection.RECEIVER));
    EthtoolReceiverConfig ethtool =
        new EthtoolSection(reader, base)
            .read(receivers.get(ServiceSection.RECEIVER), receivers.path(ServiceSection.RECEIVER));
    ExportersSection.Exporters exporters =
        new ExportersSection(reader, base).read(top.has("exporters"), top.get("exporters"), "exporters");
    ServiceSection.Service service =
        new ServiceSection(reader).read(top.get("service"), "service", exporters.configured());
    if (!reader.problems().isEmpty()) {
      throw new ConfigException(reader.problems());
    }
    return new Config(
        source, ethtool, exporters.otlp(), exporters.console(), service.pipelineExporters(),
        service.telemetry());
  }
}
