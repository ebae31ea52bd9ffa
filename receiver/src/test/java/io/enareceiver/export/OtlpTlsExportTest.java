package io.enareceiver.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.config.TlsConfig;
import io.enareceiver.testing.otlp.OtlpTestReceiver;
import io.enareceiver.testing.otlp.TestCertificate;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** TLS and mutual TLS against a self-signed certificate generated for this run. */
class OtlpTlsExportTest {

  private static final Function<String, String> NO_ENV = k -> null;
  private static final PrintStream NOWHERE = new PrintStream(OutputStream.nullOutputStream());

  @TempDir static Path dir;
  private static TestCertificate cert;

  @BeforeAll
  static void generateCertificate() throws Exception {
    cert = TestCertificate.generate(dir);
  }

  private static boolean export(MetricExporter exporter) {
    CompletableResultCode result = exporter.export(TestMetrics.all());
    result.join(20, TimeUnit.SECONDS);
    assertThat(result.isDone()).isTrue();
    return result.isSuccess();
  }

  @ParameterizedTest
  @EnumSource(OtlpTransport.class)
  void trustedServerCertificateFromTheFile(OtlpTransport transport) throws Exception {
    try (OtlpTestReceiver receiver = transport.startTls(cert, false);
        MetricExporter exporter =
            MetricExporterFactory.create(
                List.of("otlp"),
                transport.config(receiver, null, Map.of(),
                    new TlsConfig(false, cert.certificatePem(), null, null)),
                NO_ENV, NOWHERE)) {
      assertThat(receiver.endpoint()).startsWith("https://");
      assertThat(export(exporter)).isTrue();
      assertThat(receiver.awaitRequests(1, Duration.ofSeconds(10))).hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(OtlpTransport.class)
  void mutualTlsWithCertificatesFromTheEnvironment(OtlpTransport transport) throws Exception {
    try (OtlpTestReceiver receiver = transport.startTls(cert, true)) {
      Map<String, String> env = Map.of(
          "OTEL_EXPORTER_OTLP_CERTIFICATE", cert.certificatePem().toString(),
          "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", cert.certificatePem().toString(),
          "OTEL_EXPORTER_OTLP_CLIENT_KEY", cert.privateKeyPem().toString());
      try (MetricExporter exporter =
          MetricExporterFactory.create(
              List.of("otlp"), transport.config(receiver, "gzip", null, null), env::get, NOWHERE)) {
        assertThat(export(exporter)).isTrue();
      }
      assertThat(receiver.awaitRequests(1, Duration.ofSeconds(10))).hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(OtlpTransport.class)
  void untrustedServerCertificateFailsTheExport(OtlpTransport transport) throws Exception {
    try (OtlpTestReceiver receiver = transport.startTls(cert, false);
        MetricExporter exporter =
            MetricExporterFactory.otlp(
                OtlpExporterSettings.resolve(transport.config(receiver, null, null, null), NO_ENV),
                OtlpTransport.FAST_RETRY)) {
      assertThat(export(exporter)).isFalse();
      assertThat(receiver.received()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(OtlpTransport.class)
  void missingClientCertificateIsRefusedByAServerThatRequiresOne(OtlpTransport transport) throws Exception {
    try (OtlpTestReceiver receiver = transport.startTls(cert, true);
        MetricExporter exporter =
            MetricExporterFactory.otlp(
                OtlpExporterSettings.resolve(
                    transport.config(receiver, null, null, new TlsConfig(false, cert.certificatePem(), null, null)),
                    NO_ENV),
                OtlpTransport.FAST_RETRY)) {
      assertThat(export(exporter)).isFalse();
      assertThat(receiver.received()).isEmpty();
    }
  }
}
