package io.enareceiver.export;

import io.enareceiver.config.OtlpExporterConfig;
import io.enareceiver.config.TlsConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The effective OTLP exporter settings: the {@code exporters.otlp} block of the configuration
 * file where it says something, the standard {@code OTEL_EXPORTER_OTLP_*} environment variables
 * where it is silent, then the defaults.
 *
 * <p>Precedence for every setting: file key, then {@code OTEL_EXPORTER_OTLP_METRICS_<X>}, then
 * {@code OTEL_EXPORTER_OTLP_<X>}, then the default. An empty variable counts as unset (as the
 * OpenTelemetry specification says). A header map in the file replaces the environment's headers
 * rather than merging with them: the file is then not silent about headers.
 *
 * <p>Endpoint rules, as in the collector's {@code otlp} / {@code otlphttp} exporters:
 *
 * <ul>
 *   <li>{@code exporters.otlp.endpoint} and {@code OTEL_EXPORTER_OTLP_ENDPOINT} are <em>base</em>
 *       URLs. For {@code http/protobuf} the signal path {@code /v1/metrics} is appended after any
 *       path prefix already there ({@code https://gw/otlp/} becomes {@code https://gw/otlp/v1/metrics}).
 *   <li>{@code OTEL_EXPORTER_OTLP_METRICS_ENDPOINT} is used as it is (OpenTelemetry specification).
 *   <li>For {@code grpc} an endpoint may be written {@code host:port} without a scheme. It then gets
 *       {@code http://} when TLS is switched off ({@code tls.insecure: true}, or
 *       {@code OTEL_EXPORTER_OTLP_INSECURE=true} when the file has no {@code tls} block) or when
 *       the host is a loopback name or literal ({@code localhost}, {@code 127.0.0.0/8},
 *       {@code ::1}: the collector beside the agent listens there in plain text), and
 *       {@code https://} otherwise. Names are never resolved to decide this. An explicit scheme
 *       always wins over {@code insecure}. gRPC endpoints take no path (a gRPC client ignores
 *       it), so one is rejected instead of silently dropped.
 *   <li>Defaults: {@code http://localhost:4317} for grpc, {@code http://localhost:4318/v1/metrics}
 *       for http/protobuf.
 * </ul>
 *
 * <p>Other defaults: protocol {@code grpc}, timeout 10 s, compression {@code none} (the collector
 * normally sits beside the agent on loopback, where compressing costs CPU and saves nothing).
 *
 * <p>Bad values throw {@link IllegalArgumentException} whose message names the file key or the
 * variable and says what was expected. {@link #toString()} never shows header values: they
 * usually carry credentials.
 *
 * @param protocol the wire protocol
 * @param endpoint the full URL the exporter sends to
 * @param headers extra request headers (gRPC metadata), insertion-ordered, never null
 * @param timeout time allowed for one export request
 * @param compression request body compression
 * @param trustedCertificates PEM file of CA certificates to trust instead of the JVM's, or null
 * @param clientCertificate PEM client certificate chain for mutual TLS, or null
 * @param clientKey PEM (PKCS#8) private key of the client certificate, or null
 */
public record OtlpExporterSettings(
    Protocol protocol,
    URI endpoint,
    Map<String, String> headers,
    Duration timeout,
    Compression compression,
    Path trustedCertificates,
    Path clientCertificate,
    Path clientKey) {

  /** OTLP transport. */
  public enum Protocol {
    GRPC("grpc"),
    HTTP_PROTOBUF("http/protobuf");

    private final String configName;

    Protocol(String configName) {
      this.configName = configName;
    }

    /** The name used in the file and in {@code OTEL_EXPORTER_OTLP_PROTOCOL}. */
    public String configName() {
      return configName;
    }

    @Override
    public String toString() {
      return configName;
    }
  }

  /** Request body compression. */
  public enum Compression {
    NONE("none"),
    GZIP("gzip");

    private final String configName;

    Compression(String configName) {
      this.configName = configName;
    }

    /** The name the file, the environment and the SDK builders use. */
    public String configName() {
      return configName;
    }

    @Override
    public String toString() {
      return configName;
    }
  }

  static final String FILE_PREFIX = "exporters.otlp.";
  static final String ENV_PREFIX = "OTEL_EXPORTER_OTLP_";
  static final String ENV_METRICS_PREFIX = "OTEL_EXPORTER_OTLP_METRICS_";
  static final String METRICS_PATH = "v1/metrics";
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  static final String DEFAULT_GRPC_ENDPOINT = "http://localhost:4317";
  static final String DEFAULT_HTTP_ENDPOINT = "http://localhost:4318";

  private static final String REDACTED = "<redacted>";
  // RFC 9110 token: what a header name may be made of.
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  public OtlpExporterSettings {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(endpoint, "endpoint");
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(compression, "compression");
    if ((clientCertificate == null) != (clientKey == null)) {
      throw new IllegalArgumentException(
          "mutual TLS needs both a client certificate and its private key, got only one");
    }
  }

  /** Settings from the environment and defaults alone (no {@code exporters.otlp} block). */
  public static OtlpExporterSettings fromEnvironment(Function<String, String> env) {
    return resolve(null, env);
  }

  /**
   * Resolves the effective settings.
   *
   * @param file the {@code exporters.otlp} block, or null when the file has none; each of its
   *     fields is null when the file does not set it
   * @param env environment lookup, {@code System::getenv} in production
   * @throws IllegalArgumentException naming the key or variable of the first bad value
   */
  public static OtlpExporterSettings resolve(OtlpExporterConfig file, Function<String, String> env) {
    Objects.requireNonNull(env, "env");
    Lookup lookup = new Lookup(file, env);

    Setting protocolSetting = lookup.string("protocol", "PROTOCOL", file == null ? null : file.protocol());
    Protocol protocol =
        protocolSetting == null ? Protocol.GRPC : parseProtocol(protocolSetting);

    TlsConfig tls = file == null ? null : file.tls();
    boolean insecure;
    if (tls != null) {
      insecure = tls.insecure();
    } else {
      Setting s = lookup.string(null, "INSECURE", null);
      insecure = s != null && parseBoolean(s);
    }

    URI endpoint = resolveEndpoint(protocol, insecure, file, lookup);

    Map<String, String> headers;
    if (file != null && file.headers() != null) {
      headers = checkHeaders(file.headers(), FILE_PREFIX + "headers");
    } else {
      Setting s = lookup.string(null, "HEADERS", null);
      headers = s == null ? Map.of() : parseHeaders(s.value(), s.source());
    }

    Duration timeout;
    if (file != null && file.timeout() != null) {
      timeout = file.timeout();
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(
            FILE_PREFIX + "timeout: expected a positive duration, got " + timeout);
      }
    } else {
      Setting s = lookup.string(null, "TIMEOUT", null);
      timeout = s == null ? DEFAULT_TIMEOUT : parseTimeoutMillis(s);
    }

    Setting compressionSetting =
        lookup.string("compression", "COMPRESSION", file == null ? null : file.compression());
    Compression compression =
        compressionSetting == null ? Compression.NONE : parseCompression(compressionSetting);

    Path ca = lookup.path("tls.ca_file", "CERTIFICATE", tls == null ? null : tls.caFile());
    Path cert = lookup.path("tls.cert_file", "CLIENT_CERTIFICATE", tls == null ? null : tls.certFile());
    Path key = lookup.path("tls.key_file", "CLIENT_KEY", tls == null ? null : tls.keyFile());
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException(
          "mutual TLS needs both "
              + FILE_PREFIX + "tls.cert_file (or " + ENV_PREFIX + "CLIENT_CERTIFICATE) and "
              + FILE_PREFIX + "tls.key_file (or " + ENV_PREFIX + "CLIENT_KEY); only "
              + (cert == null ? "the key" : "the certificate") + " is set");
    }
    return new OtlpExporterSettings(protocol, endpoint, headers, timeout, compression, ca, cert, key);
  }

  // ---------------------------------------------------------------- endpoint

  private static URI resolveEndpoint(
      Protocol protocol, boolean insecure, OtlpExporterConfig file, Lookup lookup) {
    String fileEndpoint = file == null ? null : blankToNull(file.endpoint());
    Setting chosen;
    boolean base;
    if (fileEndpoint != null) {
      chosen = new Setting(fileEndpoint.strip(), FILE_PREFIX + "endpoint");
      base = true;
    } else if (lookup.env(ENV_METRICS_PREFIX + "ENDPOINT") != null) {
      chosen = new Setting(lookup.env(ENV_METRICS_PREFIX + "ENDPOINT"), ENV_METRICS_PREFIX + "ENDPOINT");
      base = false;
    } else if (lookup.env(ENV_PREFIX + "ENDPOINT") != null) {
      chosen = new Setting(lookup.env(ENV_PREFIX + "ENDPOINT"), ENV_PREFIX + "ENDPOINT");
      base = true;
    } else {
      chosen =
          new Setting(
              protocol == Protocol.GRPC ? DEFAULT_GRPC_ENDPOINT : DEFAULT_HTTP_ENDPOINT,
              "the default endpoint");
      base = true;
    }
    return protocol == Protocol.GRPC
        ? grpcEndpoint(chosen, insecure)
        : httpEndpoint(chosen, base);
  }

  private static URI grpcEndpoint(Setting s, boolean insecure) {
    String text = s.value();
    if (!text.contains("://")) {
      String scheme = insecure || isLoopback(hostOf(text)) ? "http" : "https";
      text = scheme + "://" + text;
    }
    URI uri = parseUrl(text, s, "a gRPC endpoint such as host:4317 or https://host:4317");
    String path = uri.getRawPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      throw new IllegalArgumentException(
          s.source() + ": expected a gRPC endpoint without a path (host:port or scheme://host:port), got '"
              + s.value() + "'; with protocol grpc the path '" + path + "' would be ignored");
    }
    try {
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), null, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(s.source() + ": malformed URL '" + s.value() + "'", e);
    }
  }

  private static URI httpEndpoint(Setting s, boolean base) {
    if (!s.value().contains("://")) {
      throw new IllegalArgumentException(
          s.source() + ": expected a URL starting with http:// or https:// for protocol http/protobuf, got '"
              + s.value() + "'");
    }
    URI uri = parseUrl(s.value(), s, "an http:// or https:// URL");
    if (!base) {
      return uri;
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    int end = path.length();
    while (end > 0 && path.charAt(end - 1) == '/') {
      end--;
    }
    String full = path.substring(0, end) + "/" + METRICS_PATH;
    try {
      return new URI(uri.getScheme() + "://" + uri.getRawAuthority() + full);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(s.source() + ": malformed URL '" + s.value() + "'", e);
    }
  }

  private static URI parseUrl(String text, Setting s, String expected) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          s.source() + ": malformed URL '" + s.value() + "' (" + e.getReason() + "), expected " + expected, e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          s.source() + ": expected scheme http or https, got '" + uri.getScheme() + "' in '" + s.value() + "'");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException(
          s.source() + ": malformed URL '" + s.value() + "', expected " + expected + " with a host name");
    }
    if (uri.getRawUserInfo() != null) {
      // Credentials in a URL end up in logs; the exporter would not send them anyway.
      throw new IllegalArgumentException(
          s.source() + ": expected no user:password@ in the URL; put credentials in headers");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          s.source() + ": expected a URL without query (?...) or fragment (#...), got '" + s.value() + "'");
    }
    if (!uri.getScheme().equals(scheme)) {
      try {
        uri = new URI(scheme + text.substring(uri.getScheme().length()));
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(s.source() + ": malformed URL '" + s.value() + "'", e);
      }
    }
    return uri;
  }

  /** The host part of {@code host:port}, {@code [v6]:port}, or a bare host. */
  private static String hostOf(String hostPort) {
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      return close < 0 ? hostPort : hostPort.substring(1, close);
    }
    int colon = hostPort.lastIndexOf(':');
    return colon < 0 ? hostPort : hostPort.substring(0, colon);
  }

  /** Loopback by name or literal only: deciding a scheme must not depend on DNS. */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return true;
    }
    if (!IPV4_LITERAL.matcher(h).matches() && !h.contains(":")) {
      return false; // a name: not resolved on purpose
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress(); // literal: no lookup happens
    } catch (UnknownHostException e) {
      return false;
    }
  }

  // ------------------------------------------------------------ other values

  private static Protocol parseProtocol(Setting s) {
    for (Protocol p : Protocol.values()) {
      if (p.configName.equals(s.value().toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        s.source() + ": expected grpc or http/protobuf, got '" + s.value() + "'"
            + (s.value().equalsIgnoreCase("http/json") ? " (http/json is not supported)" : ""));
  }

  private static Compression parseCompression(Setting s) {
    for (Compression c : Compression.values()) {
      if (c.configName.equals(s.value().toLowerCase(Locale.ROOT))) {
        return c;
      }
    }
    throw new IllegalArgumentException(s.source() + ": expected gzip or none, got '" + s.value() + "'");
  }

  private static boolean parseBoolean(Setting s) {
    return switch (s.value().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(s.source() + ": expected true or false, got '" + s.value() + "'");
    };
  }

  private static Duration parseTimeoutMillis(Setting s) {
    long millis;
    try {
      millis = Long.parseLong(s.value());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          s.source() + ": expected a whole number of milliseconds (e.g. 10000), got '" + s.value() + "'", e);
    }
    if (millis <= 0) {
      // 0 would mean "wait forever" to some clients: an export must never hang the agent.
      throw new IllegalArgumentException(
          s.source() + ": expected a positive number of milliseconds, got " + millis);
    }
    return Duration.ofMillis(millis);
  }

  /**
   * Parses {@code OTEL_EXPORTER_OTLP_HEADERS}: comma-separated {@code key=value} pairs in the
   * W3C baggage format, values percent-decoded (UTF-8), whitespace around keys and values
   * ignored, empty members skipped. Semicolon properties are not interpreted.
   */
  static Map<String, String> parseHeaders(String text, String source) {
    Map<String, String> out = new LinkedHashMap<>();
    int index = 0;
    for (String member : text.split(",", -1)) {
      index++;
      if (member.isBlank()) {
        continue;
      }
      int eq = member.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(
            source + ": entry " + index + " is not key=value (expected e.g. authorization=Bearer%20x,k2=v2)");
      }
      String name = member.substring(0, eq).strip();
      String value = percentDecode(member.substring(eq + 1).strip(), source, name);
      out.put(name, value);
    }
    return checkHeaders(out, source);
  }

  private static Map<String, String> checkHeaders(Map<String, String> headers, String source) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : headers.entrySet()) {
      String name = e.getKey() == null ? "" : e.getKey().strip();
      if (!HEADER_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            source + ": header name '" + name + "' is not a valid HTTP header name (letters, digits, - and a few symbols)");
      }
      String value = e.getValue() == null ? "" : e.getValue();
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
          // Never echo the value: it may be a secret.
          throw new IllegalArgumentException(
              source + ": value of header '" + name + "' contains a control character (position " + i + ")");
        }
      }
      out.put(name, value);
    }
    return out;
  }

  private static String percentDecode(String s, String source, String headerName) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[bytes.length];
    int n = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != '%') {
        out[n++] = bytes[i];
        continue;
      }
      int hi = i + 2 < bytes.length ? Character.digit(bytes[i + 1], 16) : -1;
      int lo = i + 2 < bytes.length ? Character.digit(bytes[i + 2], 16) : -1;
      if (hi < 0 || lo < 0) {
        throw new IllegalArgumentException(
            source + ": value of header '" + headerName + "' has a '%' not followed by two hex digits");
      }
      out[n++] = (byte) (hi << 4 | lo);
      i += 2;
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }

  /** Reads a PEM file given by {@code source}, or explains why it cannot. */
  static byte[] readPem(Path file, String source) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException | SecurityException e) {
      throw new IllegalArgumentException(
          source + ": cannot read PEM file " + file + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
    }
    if (!new String(bytes, StandardCharsets.US_ASCII).contains("-----BEGIN ")) {
      throw new IllegalArgumentException(
          source + ": " + file + " is not a PEM file (expected a '-----BEGIN ...-----' block)");
    }
    return bytes;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  // ------------------------------------------------------------ redaction

  /** Safe to log: header values are replaced, names kept so a missing header can be spotted. */
  @Override
  public String toString() {
    String redactedHeaders =
        headers.keySet().stream().map(k -> k + "=" + REDACTED).collect(Collectors.joining(", ", "{", "}"));
    StringBuilder sb =
        new StringBuilder("OtlpExporterSettings{protocol=")
            .append(protocol)
            .append(", endpoint=")
            .append(endpoint)
            .append(", timeout=")
            .append(timeout.toMillis())
            .append("ms, compression=")
            .append(compression)
            .append(", headers=")
            .append(redactedHeaders);
    if (trustedCertificates != null) {
      sb.append(", trustedCertificates=").append(trustedCertificates);
    }
    if (clientCertificate != null) {
      sb.append(", clientCertificate=").append(clientCertificate).append(", clientKey=").append(clientKey);
    }
    return sb.append('}').toString();
  }

  // ------------------------------------------------------------ lookup

  /** A raw value and where it came from, for error messages. */
  private record Setting(String value, String source) {}

  private record Lookup(OtlpExporterConfig file, Function<String, String> env) {
    String env(String name) {
      String v = env.apply(name);
      return v == null || v.isBlank() ? null : v.strip();
    }

    /** File value if given, else the metrics-specific variable, else the general one. */
    Setting string(String fileKey, String envSuffix, String fileValue) {
      if (fileValue != null && !fileValue.isBlank()) {
        return new Setting(fileValue.strip(), FILE_PREFIX + fileKey);
      }
      String v = env(ENV_METRICS_PREFIX + envSuffix);
      if (v != null) {
        return new Setting(v, ENV_METRICS_PREFIX + envSuffix);
      }
      v = env(ENV_PREFIX + envSuffix);
      return v == null ? null : new Setting(v, ENV_PREFIX + envSuffix);
    }

    /** A PEM file path, checked readable now so a typo fails at start-up, not at first export. */
    Path path(String fileKey, String envSuffix, Path fileValue) {
      Setting s = fileValue != null
          ? new Setting(fileValue.toString(), FILE_PREFIX + fileKey)
          : string(null, envSuffix, null);
      if (s == null) {
        return null;
      }
      Path p = fileValue != null ? fileValue : Path.of(s.value());
      readPem(p, s.source());
      return p;
    }
  }
}
