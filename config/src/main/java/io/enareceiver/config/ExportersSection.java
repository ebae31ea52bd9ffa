package io.enareceiver.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/** Reads {@code exporters}: {@code otlp} and {@code console}. */
final class ExportersSection {
  static final List<String> PROTOCOLS = List.of("grpc", "http/protobuf");
  static final List<String> COMPRESSIONS = List.of("gzip", "none");

  private static final List<String> KEYS = List.of(Defaults.OTLP, Defaults.CONSOLE);
  private static final List<String> OTLP_KEYS =
      List.of("endpoint", "protocol", "timeout", "compression", "headers", "tls");
  private static final List<String> TLS_KEYS = List.of("insecure", "ca_file", "cert_file", "key_file");
  /** RFC 9110 token characters. */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  /** What the section configures; {@code configured} lists exporter names in file order. */
  record Exporters(OtlpExporterConfig otlp, boolean console, List<String> configured) {}

  private final NodeReader reader;
  private final Path baseDir;

  ExportersSection(NodeReader reader, Path baseDir) {
    this.reader = reader;
    this.baseDir = baseDir;
  }

  /**
   * @param present whether the file has an {@code exporters} key at all; without one, OTLP is
   *     configured from the environment and SDK defaults
   */
  Exporters read(boolean present, Node node, String path) {
    if (!present) {
      return new Exporters(OtlpExporterConfig.unset(), false, List.of(Defaults.OTLP));
    }
    Section section = reader.section(node, path, KEYS);
    if (section.isMapping() && section.keys().isEmpty()) {
      reader.problem(
          node, path, "expected at least one exporter (otlp or console); leave exporters out to use otlp");
    }
    OtlpExporterConfig otlp =
        section.has(Defaults.OTLP) ? otlp(section.get(Defaults.OTLP), section.path(Defaults.OTLP)) : null;
    boolean console = section.has(Defaults.CONSOLE);
    if (console) {
      // Present as "console:" or "console: {}"; it has no settings of its own.
      reader.section(section.get(Defaults.CONSOLE), section.path(Defaults.CONSOLE), List.of());
    }
    return new Exporters(otlp, console, List.copyOf(section.keys()));
  }

  private OtlpExporterConfig otlp(Node node, String path) {
    Section section = reader.section(node, path, OTLP_KEYS);
    String endpoint = reader.string(section.get("endpoint"), section.path("endpoint"));
    if (endpoint != null) {
      String problem = Endpoints.checkUrl(endpoint);
      if (problem != null) {
        reader.problem(section.get("endpoint"), section.path("endpoint"), problem);
      }
    }
    String protocol = reader.choice(section.get("protocol"), section.path("protocol"), PROTOCOLS);
    Duration timeout = reader.duration(section.get("timeout"), section.path("timeout"));
    if (timeout != null && timeout.isZero()) {
      reader.problem(section.get("timeout"), section.path("timeout"), "must be longer than 0s");
    }
    String compression =
        reader.choice(section.get("compression"), section.path("compression"), COMPRESSIONS);
    Map<String, String> headers = headers(section.get("headers"), section.path("headers"));
    TlsConfig tls = section.has("tls") ? tls(section.get("tls"), section.path("tls")) : null;
    return new OtlpExporterConfig(endpoint, protocol, timeout, compression, headers, tls);
  }

  private Map<String, String> headers(Node node, String path) {
    if (NodeReader.isNull(node)) {
      return null;
    }
    Section section = reader.map(node, path);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String name : section.keys()) {
      Node value = section.get(name);
      if (!HEADER_NAME.matcher(name).matches()) {
        reader.problem(value, section.path(name), "expected a header name such as authorization");
        continue;
      }
      if (NodeReader.isNull(value)) {
        reader.problem(value, section.path(name), "expected a header value");
        continue;
      }
      // An ${env:...} value that expands to nothing leaves the header out.
      String text = reader.string(value, section.path(name));
      if (text != null) {
        headers.put(name, text);
      }
    }
    return headers;
  }

  private TlsConfig tls(Node node, String path) {
    Section section = reader.section(node, path, TLS_KEYS);
    Boolean insecure = reader.bool(section.get("insecure"), section.path("insecure"));
    Path ca = file(section, "ca_file");
    Path cert = file(section, "cert_file");
    Path key = file(section, "key_file");
    // Judge the pair by what is written, so a missing key is reported even if the cert is wrong.
    boolean hasCert = !NodeReader.isNull(section.get("cert_file"));
    boolean hasKey = !NodeReader.isNull(section.get("key_file"));
    if (hasCert != hasKey) {
      String absent = hasCert ? "key_file" : "cert_file";
      reader.problem(
          section.get(hasCert ? "cert_file" : "key_file"),
          section.path(absent),
          "required when " + (hasCert ? "cert_file" : "key_file")
              + " is given: a client certificate needs its key, and the key its certificate");
    }
    return new TlsConfig(insecure != null && insecure, ca, cert, key);
  }

  /** A file that must exist now: finding out at the first export is too late. */
  private Path file(Section section, String key) {
    String text = reader.string(section.get(key), section.path(key));
    if (text == null) {
      return null;
    }
    try {
      Path path = baseDir.resolve(text).normalize();
      if (!Files.isRegularFile(path)) {
        reader.problem(section.get(key), section.path(key), "no such file: " + path);
        return null;
      }
      return path;
    } catch (InvalidPathException e) {
      reader.problem(
          section.get(key), section.path(key), "'" + NodeReader.abbreviate(text) + "' is not a valid path");
      return null;
    }
  }
}
