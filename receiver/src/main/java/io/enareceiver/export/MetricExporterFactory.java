package io.enareceiver.export;

import io.enareceiver.config.OtlpExporterConfig;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporterBuilder;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Builds the metric exporter of the pipeline ({@code service.pipelines.metrics.exporters}): an
 * OTLP exporter (gRPC or HTTP/protobuf, OkHttp sender), the console exporter, or a
 * {@link CompositeMetricExporter} of several.
 *
 * <p>Every exporter is cumulative: the agent's sums are cumulative from the start of each series,
 * so a lost export loses resolution, never counts.
 */
public final class MetricExporterFactory {

  /** Exporter type names as they appear in the pipeline, optionally suffixed {@code /name}. */
  public static final String OTLP = "otlp";

  public static final String CONSOLE = "console";

  static final String PIPELINE_KEY = "service.pipelines.metrics.exporters";

  private static final System.Logger LOG = System.getLogger(MetricExporterFactory.class.getName());

  private MetricExporterFactory() {}

  /**
   * The exporter for a pipeline.
   *
   * @param pipelineExporters {@code service.pipelines.metrics.exporters}, e.g. {@code [otlp, console]}
   * @param otlp the {@code exporters.otlp} block, or null when the file has none (environment
   *     variables and defaults then apply)
   * @param env environment lookup ({@code System::getenv} in production)
   * @param console where the console exporter prints ({@code System.out} in production)
   * @return one exporter, or a {@link CompositeMetricExporter} when the pipeline names several
   * @throws IllegalArgumentException for an empty pipeline, an unknown exporter type, or a bad
   *     OTLP setting (see {@link OtlpExporterSettings#resolve})
   */
  public static MetricExporter create(
      List<String> pipelineExporters,
      OtlpExporterConfig otlp,
      Function<String, String> env,
      PrintStream console) {
    return create(pipelineExporters, otlp, env, console, RetryPolicy.getDefault());
  }

  static MetricExporter create(
      List<String> pipelineExporters,
      OtlpExporterConfig otlp,
      Function<String, String> env,
      PrintStream console,
      RetryPolicy retryPolicy) {
    if (pipelineExporters == null || pipelineExporters.isEmpty()) {
      throw new IllegalArgumentException(PIPELINE_KEY + ": expected at least one exporter (otlp, console)");
    }
    List<MetricExporter> built = new ArrayList<>();
    try {
      for (String name : pipelineExporters) {
        String type = name == null ? "" : name.strip();
        int slash = type.indexOf('/');
        type = slash < 0 ? type : type.substring(0, slash);
        switch (type) {
          case OTLP -> built.add(otlp(OtlpExporterSettings.resolve(otlp, env), retryPolicy));
          case CONSOLE -> built.add(console(console));
          default ->
              throw new IllegalArgumentException(
                  PIPELINE_KEY + ": unknown exporter '" + name + "', expected otlp or console");
        }
      }
    } catch (RuntimeException e) {
      built.forEach(MetricExporter::close); // do not leak an OkHttp client already built
      throw e;
    }
    return built.size() == 1 ? built.getFirst() : new CompositeMetricExporter(built);
  }

  /** An OTLP exporter for resolved settings, with the SDK's default retry policy. */
  public static MetricExporter otlp(OtlpExporterSettings settings) {
    return otlp(settings, RetryPolicy.getDefault());
  }

  /** The console exporter printing to {@code out}. */
  public static MetricExporter console(PrintStream out) {
    return new ConsoleMetricExporter(Objects.requireNonNull(out, "out"));
  }

  /**
   * Retries are bounded on purpose (SDK default: 5 attempts, 1 s to 5 s backoff, only on
   * retryable answers such as 429/502/503/504 or UNAVAILABLE): every export carries the
   * cumulative totals since each series began, so the next collection delivers whatever a
   * dropped one held. Retrying longer would only pile up stale requests behind a collector
   * that is down. The export timeout bounds the retries as well: attempts stop when it is spent.
   */
  static MetricExporter otlp(OtlpExporterSettings settings, RetryPolicy retryPolicy) {
    LOG.log(Level.INFO, "OTLP metric exporter: {0}", settings); // toString redacts header values
    byte[] ca = settings.trustedCertificates() == null
        ? null
        : OtlpExporterSettings.readPem(settings.trustedCertificates(), "trusted certificates");
    byte[] clientCert = settings.clientCertificate() == null
        ? null
        : OtlpExporterSettings.readPem(settings.clientCertificate(), "client certificate");
    byte[] clientKey = settings.clientKey() == null
        ? null
        : OtlpExporterSettings.readPem(settings.clientKey(), "client key");
    return switch (settings.protocol()) {
      case GRPC -> {
        OtlpGrpcMetricExporterBuilder b = OtlpGrpcMetricExporter.builder()
            .setEndpoint(settings.endpoint().toString())
            .setTimeout(settings.timeout())
            .setCompression(settings.compression().configName())
            .setAggregationTemporalitySelector(AggregationTemporalitySelector.alwaysCumulative())
            .setRetryPolicy(retryPolicy)
            // The exporter's self-telemetry would otherwise reach for GlobalOpenTelemetry,
            // which this agent never installs.
            .setMeterProvider(MeterProvider::noop);
        settings.headers().forEach(b::addHeader);
        if (ca != null) {
          b.setTrustedCertificates(ca);
        }
        if (clientCert != null) {
          b.setClientTls(clientKey, clientCert);
        }
        yield b.build();
      }
      case HTTP_PROTOBUF -> {
        OtlpHttpMetricExporterBuilder b = OtlpHttpMetricExporter.builder()
            .setEndpoint(settings.endpoint().toString())
            .setTimeout(settings.timeout())
            .setCompression(settings.compression().configName())
            .setAggregationTemporalitySelector(AggregationTemporalitySelector.alwaysCumulative())
            .setRetryPolicy(retryPolicy)
            .setMeterProvider(MeterProvider::noop);
        settings.headers().forEach(b::addHeader);
        if (ca != null) {
          b.setTrustedCertificates(ca);
        }
        if (clientCert != null) {
          b.setClientTls(clientKey, clientCert);
        }
        yield b.build();
      }
    };
  }
}
