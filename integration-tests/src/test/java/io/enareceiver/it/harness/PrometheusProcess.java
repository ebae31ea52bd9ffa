package io.enareceiver.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A Prometheus of the test's own, standing in for Amazon Managed Service for Prometheus: remote-write
 * receiver on, a free loopback port, a fresh TSDB directory, a generated config that evaluates the
 * given rule files every few seconds and scrapes nothing. Queries go through the HTTP API and come
 * back as plain records.
 *
 * <p>The Debian package may also run a system Prometheus on :9090; nothing here talks to it.
 */
public final class PrometheusProcess implements AutoCloseable {
  /** System property naming the binary; the Maven profile e2e sets it (default: on PATH). */
  public static final String BINARY_PROPERTY = "prometheus.binary";

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int port;
  private final Path configFile;
  private final ManagedProcess process;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private PrometheusProcess(int port, Path configFile, ManagedProcess process) {
    this.port = port;
    this.configFile = configFile;
    this.process = process;
  }

  /** The prometheus binary, or a skip (a failure under {@code -Dena.requireRoot=true}). */
  public static Path binary() {
    return Prerequisites.executable(BINARY_PROPERTY, "prometheus",
        "install it with .ci/install-e2e-tools (Debian package prometheus)");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Where the collector's prometheusremotewrite exporter sends to. */
  public String remoteWriteUrl() {
    return baseUrl() + "/api/v1/write";
  }

  public String baseUrl() {
    return "http://" + FreePorts.loopback(port);
  }

  public int port() {
    return port;
  }

  public Path configFile() {
    return configFile;
  }

  public ManagedProcess process() {
    return process;
  }

  /** Evaluates an instant query now; a scalar result comes back as one sample without labels. */
  public List<Sample> query(String promql) {
    JsonNode data = api("/api/v1/query", Map.of("query", promql));
    String type = data.path("resultType").asText();
    JsonNode result = data.path("result");
    return switch (type) {
      case "vector" -> {
        List<Sample> samples = new ArrayList<>();
        for (JsonNode element : result) {
          JsonNode value = element.path("value");
          samples.add(new Sample(labels(element.path("metric")), time(value.get(0)), number(value.get(1))));
        }
        yield samples;
      }
      case "scalar" -> List.of(new Sample(Map.of(), time(result.get(0)), number(result.get(1))));
      default -> throw new PrometheusApiException("query " + promql + " returned a " + type
          + ", expected a vector or a scalar (use queryRange for range vectors)");
    };
  }

  /**
   * The raw samples of every series matching {@code selector} over the last {@code window}, as
   * stored (an instant query of a range vector, {@code selector[window]}): no step alignment, no
   * extrapolation, no lookback duplicates. What exact-count assertions compare.
   */
  public List<RangeSeries> rawSamples(String selector, Duration window) {
    String promql = selector + "[" + Math.max(1, window.toSeconds()) + "s]";
    JsonNode data = api("/api/v1/query", Map.of("query", promql));
    if (!"matrix".equals(data.path("resultType").asText())) {
      throw new PrometheusApiException("query " + promql + " returned a " + data.path("resultType").asText()
          + ", expected a matrix");
    }
    List<RangeSeries> series = new ArrayList<>();
    for (JsonNode element : data.path("result")) {
      List<RangeSeries.Point> points = new ArrayList<>();
      for (JsonNode value : element.path("values")) {
        points.add(new RangeSeries.Point(time(value.get(0)), number(value.get(1))));
      }
      series.add(new RangeSeries(labels(element.path("metric")), points));
    }
    return series;
  }

  /** Evaluates a range query from {@code start} to {@code end} every {@code step}. */
  public List<RangeSeries> queryRange(String promql, Instant start, Instant end, Duration step) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("query", promql);
    params.put("start", seconds(start));
    params.put("end", seconds(end));
    params.put("step", step.toMillis() / 1000.0 + "s");
    JsonNode data = api("/api/v1/query_range", params);
    List<RangeSeries> series = new ArrayList<>();
    for (JsonNode element : data.path("result")) {
      List<RangeSeries.Point> points = new ArrayList<>();
      for (JsonNode value : element.path("values")) {
        points.add(new RangeSeries.Point(time(value.get(0)), number(value.get(1))));
      }
      series.add(new RangeSeries(labels(element.path("metric")), points));
    }
    return series;
  }

  /** Label sets of the series that match any of the selectors (e.g. {@code {__name__=~"aws_ena.*"}}). */
  public List<Map<String, String>> series(String... match) {
    if (match.length == 0) {
      throw new IllegalArgumentException("series needs at least one selector");
    }
    StringBuilder query = new StringBuilder();
    for (String selector : match) {
      query.append(query.isEmpty() ? "" : "&").append("match[]=").append(encode(selector));
    }
    JsonNode data = get("/api/v1/series?" + query, "series " + String.join(", ", match));
    List<Map<String, String>> result = new ArrayList<>();
    data.forEach(labels -> result.add(labels(labels)));
    return result;
  }

  /** Alerts pending or firing now. */
  public List<Alert> alerts() {
    JsonNode data = api("/api/v1/alerts", Map.of());
    List<Alert> alerts = new ArrayList<>();
    for (JsonNode alert : data.path("alerts")) {
      JsonNode activeAt = alert.get("activeAt");
      alerts.add(new Alert(labels(alert.path("labels")), labels(alert.path("annotations")),
          alert.path("state").asText(),
          activeAt == null || activeAt.isNull() ? null : OffsetDateTime.parse(activeAt.asText()).toInstant(),
          alert.hasNonNull("value") ? number(alert.get("value")) : Double.NaN));
    }
    return alerts;
  }

  /**
   * Any other GET endpoint of the HTTP API (e.g. {@code /api/v1/rules}); returns its {@code data}
   * and throws {@link PrometheusApiException} when Prometheus reports an error.
   */
  public JsonNode api(String path, Map<String, String> params) {
    String query = params.entrySet().stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
    return get(query.isEmpty() ? path : path + "?" + query, path + " " + params);
  }

  /** A {@link Poll} whose failure message shows this Prometheus's state and log. */
  public Poll poll(String what) {
    return process.poll(what);
  }

  @Override
  public void close() {
    process.stop();
  }

  private JsonNode get(String pathAndQuery, String what) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery))
        .timeout(REQUEST_TIMEOUT).GET().build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new PrometheusApiException("Prometheus on " + baseUrl() + " did not answer " + what + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PrometheusApiException("interrupted during " + what, e);
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new PrometheusApiException(what + ": HTTP " + response.statusCode() + " with a body that is not JSON: "
          + abbreviate(response.body()), e);
    }
    if (!"success".equals(body.path("status").asText())) {
      throw new PrometheusApiException(what + ": HTTP " + response.statusCode() + ", "
          + body.path("errorType").asText("?") + ": " + body.path("error").asText(abbreviate(response.body())));
    }
    return body.path("data");
  }

  private static Map<String, String> labels(JsonNode object) {
    Map<String, String> labels = new LinkedHashMap<>();
    object.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  private static Instant time(JsonNode seconds) {
    return Instant.ofEpochMilli(Math.round(seconds.asDouble() * 1000));
  }

  /** Prometheus sends sample values as strings, with {@code NaN}, {@code +Inf} and {@code -Inf}. */
  private static double number(JsonNode value) {
    String text = value.asText();
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  private static String seconds(Instant t) {
    return String.format(java.util.Locale.ROOT, "%.3f", t.toEpochMilli() / 1000.0);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }

  private boolean ready() {
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/-/ready"))
          .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Rule files and evaluation interval of the generated config. */
  public static final class Builder {
    private final List<Path> ruleFiles = new ArrayList<>();
    private Duration evaluationInterval = Duration.ofSeconds(5);
    private String name = "prometheus";

    private Builder() {}

    /** A rule file (recording or alerting rules) to load; checked by Prometheus at start. */
    public Builder ruleFile(Path file) {
      ruleFiles.add(Objects.requireNonNull(file, "file").toAbsolutePath().normalize());
      return this;
    }

    /** How often rules are evaluated (default 5 s, so that alert tests finish quickly). */
    public Builder evaluationInterval(Duration interval) {
      this.evaluationInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Finds the binary (skipping or failing when absent), starts it and waits for /-/ready. */
    public PrometheusProcess start() {
      Path binary = binary();
      for (Path rules : ruleFiles) {
        if (!Files.isRegularFile(rules)) {
          throw new IllegalArgumentException("rule file " + rules + " does not exist");
        }
      }
      Path dir = WorkDirs.fresh(name);
      Path configFile = dir.resolve("prometheus.yml");
      int port = FreePorts.next();
      try {
        Files.writeString(configFile, config());
        Files.createDirectories(dir.resolve("data"));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + configFile, e);
      }
      ManagedProcess process = ManagedProcess.builder(name, binary)
          .arg("--config.file=" + configFile)
          .arg("--storage.tsdb.path=" + dir.resolve("data"))
          .arg("--web.listen-address=" + FreePorts.loopback(port))
          .arg("--web.enable-remote-write-receiver")
          .arg("--web.enable-lifecycle")
          .workingDirectory(dir)
          .logFile(dir.resolve(name + ".log"))
          .start();
      PrometheusProcess prometheus = new PrometheusProcess(port, configFile, process);
      try {
        process.awaitReady("/-/ready on " + prometheus.baseUrl(), READY_TIMEOUT, prometheus::ready);
      } catch (RuntimeException | AssertionError notReady) {
        process.stop();
        throw notReady;
      }
      return prometheus;
    }

    private String config() {
      StringBuilder yaml = new StringBuilder()
          .append("# Generated by PrometheusProcess for one end-to-end test: no scrape targets;\n")
          .append("# samples arrive by remote write from the collector.\n")
          .append("global:\n")
          .append("  evaluation_interval: ").append(evaluationInterval.toMillis()).append("ms\n");
      if (!ruleFiles.isEmpty()) {
        yaml.append("rule_files:\n");
        ruleFiles.forEach(f -> yaml.append("  - '").append(f.toString().replace("'", "''")).append("'\n"));
      }
      return yaml.toString();
    }
  }
}
