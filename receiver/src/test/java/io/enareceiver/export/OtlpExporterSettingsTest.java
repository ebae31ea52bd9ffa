package io.enareceiver.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.enareceiver.config.OtlpExporterConfig;
import io.enareceiver.config.TlsConfig;
import io.enareceiver.export.OtlpExporterSettings.Compression;
import io.enareceiver.export.OtlpExporterSettings.Protocol;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OtlpExporterSettingsTest {

  private static Function<String, String> env(String... keyValues) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return m::get;
  }

  private static OtlpExporterConfig file(String endpoint, String protocol) {
    return new OtlpExporterConfig(endpoint, protocol, null, null, null, null);
  }

  private static OtlpExporterConfig silentFile() {
    return new OtlpExporterConfig(null, null, null, null, null, null);
  }

  @Nested
  class Defaults {
    @Test
    void noFileNoEnvironmentMeansGrpcToLocalhost4317() {
      OtlpExporterSettings s = OtlpExporterSettings.resolve(null, env());
      assertThat(s.protocol()).isEqualTo(Protocol.GRPC);
      assertThat(s.endpoint()).isEqualTo(URI.create("http://localhost:4317"));
      assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(10));
      assertThat(s.compression()).isEqualTo(Compression.NONE);
      assertThat(s.headers()).isEmpty();
      assertThat(s.trustedCertificates()).isNull();
      assertThat(s.clientCertificate()).isNull();
    }

    @Test
    void silentFileBehavesLikeNoFile() {
      assertThat(OtlpExporterSettings.resolve(silentFile(), env()))
          .isEqualTo(OtlpExporterSettings.resolve(null, env()));
    }

    @Test
    void httpProtocolDefaultsToLocalhost4318MetricsPath() {
      OtlpExporterSettings s =
          OtlpExporterSettings.resolve(null, env("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"));
      assertThat(s.protocol()).isEqualTo(Protocol.HTTP_PROTOBUF);
      assertThat(s.endpoint()).isEqualTo(URI.create("http://localhost:4318/v1/metrics"));
    }

    @Test
    void emptyVariablesCountAsUnset() {
      OtlpExporterSettings s =
          OtlpExporterSettings.resolve(
              null,
              env("OTEL_EXPORTER_OTLP_PROTOCOL", "", "OTEL_EXPORTER_OTLP_ENDPOINT", " ",
                  "OTEL_EXPORTER_OTLP_TIMEOUT", "", "OTEL_EXPORTER_OTLP_HEADERS", ""));
      assertThat(s).isEqualTo(OtlpExporterSettings.resolve(null, env()));
    }
  }

  @Nested
  class Precedence {
    @Test
    void fileWinsOverEnvironmentForEveryKey() {
      OtlpExporterConfig f =
          new OtlpExporterConfig(
              "https://file-collector:4318", "http/protobuf", Duration.ofSeconds(3), "gzip",
              Map.of("x-from", "file"), null);
      OtlpExporterSettings s =
          OtlpExporterSettings.resolve(
              f,
              env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://env:4317",
                  "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://env-metrics:4317",
                  "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc",
                  "OTEL_EXPORTER_OTLP_TIMEOUT", "500",
                  "OTEL_EXPORTER_OTLP_COMPRESSION", "none",
                  "OTEL_EXPORTER_OTLP_HEADERS", "x-from=env"));
      assertThat(s.protocol()).isEqualTo(Protocol.HTTP_PROTOBUF);
      assertThat(s.endpoint()).isEqualTo(URI.create("https://file-collector:4318/v1/metrics"));
      assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(3));
      assertThat(s.compression()).isEqualTo(Compression.GZIP);
      assertThat(s.headers()).containsExactly(Map.entry("x-from", "file"));
    }

    @Test
    void environmentFillsWhatTheFileLeavesOut() {
      OtlpExporterSettings s =
          OtlpExporterSettings.resolve(
              file("http://file:4317", null),
              env("OTEL_EXPORTER_OTLP_TIMEOUT", "2500",
                  "OTEL_EXPORTER_OTLP_COMPRESSION", "gzip",
                  "OTEL_EXPORTER_OTLP_HEADERS", "api-key=k1"));
      assertThat(s.endpoint()).isEqualTo(URI.create("http://file:4317"));
      assertThat(s.timeout()).isEqualTo(Duration.ofMillis(2500));
      assertThat(s.compression()).isEqualTo(Compression.GZIP);
      assertThat(s.headers()).containsExactly(Map.entry("api-key", "k1"));
    }

    @Test
    void metricsSpecificVariablesWinOverGeneralOnes() {
      OtlpExporterSettings s =
          OtlpExporterSettings.resolve(
              null,
              env("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc",
                  "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "http/protobuf",
                  "OTEL_EXPORTER_OTLP_TIMEOUT", "1000",
                  "OTEL_EXPORTER_OTLP_METRICS_TIMEOUT", "2000",
                  "OTEL_EXPORTER_OTLP_HEADERS", "a=general",
                  "OTEL_EXPORTER_OTLP_METRICS_HEADERS", "a=metrics"));
      assertThat(s.protocol()).isEqualTo(Protocol.HTTP_PROTOBUF);
      assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(2));
      assertThat(s.headers()).containsExactly(Map.entry("a", "metrics"));
    }
  }

  @Nested
  class Endpoints {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
      "http://collector:4318,            http://collector:4318/v1/metrics",
      "http://collector:4318/,           http://collector:4318/v1/metrics",
      "https://gw.example.com/otlp,      https://gw.example.com/otlp/v1/metrics",
      "https://gw.example.com/otlp//,    https://gw.example.com/otlp/v1/metrics",
      "HTTP://collector:4318,            http://collector:4318/v1/metrics",
    })
    void baseUrlGetsMetricsPathForHttp(String base, String expected) {
      OtlpExporterSettings fromEnv =
          OtlpExporterSettings.resolve(
              null, env("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf", "OTEL_EXPORTER_OTLP_ENDPOINT", base));
      OtlpExporterSettings fromFile = OtlpExporterSettings.resolve(file(base, "http/protobuf"), env());
      assertThat(fromEnv.endpoint()).hasToString(expected);
      assertThat(fromFile.endpoint()).hasToString(expected);
    }

    @Test
    void metricsEndpointVariableIsUsedAsIs() {
      OtlpExporterSettings s =
          OtlpExporterSettings.resolve(
              null,
              env("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                  "OTEL_EXPORTER_OTLP_ENDPOINT", "http://general:4318",
                  "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://metrics:9999/custom/ingest"));
      assertThat(s.endpoint()).isEqualTo(URI.create("http://metrics:9999/custom/ingest"));
    }

    @Test
    void fileEndpointWinsOverMetricsEndpointVariable() {
      OtlpExporterSettings s =
          OtlpExporterSettings.resolve(
              file("http://file:4318", "http/protobuf"),
              env("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://metrics:9999/custom"));
      assertThat(s.endpoint()).isEqualTo(URI.create("http://file:4318/v1/metrics"));
    }

    @ParameterizedTest(name = "{0} (insecure={1}) -> {2}")
    @CsvSource({
      "collector.monitoring:4317, false, https://collector.monitoring:4317",
      "collector.monitoring:4317, true,  http://collector.monitoring:4317",
      "localhost:4317,            false, http://localhost:4317",
      "127.0.0.5:14317,           false, http://127.0.0.5:14317",
      "[::1]:4317,                false, http://[::1]:4317",
      "10.0.0.1:4317,             false, https://10.0.0.1:4317",
      "https://localhost:4317,    true,  https://localhost:4317",
      "http://collector:4317,     false, http://collector:4317",
      "http://collector:4317/,    false, http://collector:4317",
    })
    void grpcSchemeFollowsInsecureAndLoopback(String endpoint, boolean insecure, String expected) {
      OtlpExporterConfig f =
          new OtlpExporterConfig(endpoint, "grpc", null, null, null, new TlsConfig(insecure, null, null, null));
      assertThat(OtlpExporterSettings.resolve(f, env()).endpoint()).hasToString(expected);
    }

    @Test
    void insecureVariableAppliesWhenTheFileHasNoTlsBlock() {
      OtlpExporterSettings insecure =
          OtlpExporterSettings.resolve(
              null, env("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317", "OTEL_EXPORTER_OTLP_INSECURE", "true"));
      OtlpExporterSettings secure =
          OtlpExporterSettings.resolve(null, env("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317"));
      assertThat(insecure.endpoint()).hasToString("http://collector:4317");
      assertThat(secure.endpoint()).hasToString("https://collector:4317");
    }

    @Test
    void grpcEndpointWithPathIsRejected() {
      assertThatThrownBy(() -> OtlpExporterSettings.resolve(file("http://collector:4317/v1/metrics", "grpc"), env()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("exporters.otlp.endpoint")
          .hasMessageContaining("without a path");
    }
  }

  @Nested
  class Headers {
    @Test
    void parsesBaggageStyleListWithPercentDecodingAndWhitespace() {
      Map<String, String> h =
          OtlpExporterSettings.parseHeaders(
              " Authorization = Bearer%20abc%3D%3D , api-key=k%C3%A9y,,x-empty=", "VAR");
      assertThat(h)
          .containsExactly(
              Map.entry("Authorization", "Bearer abc=="),
              Map.entry("api-key", "k\u00e9y"),
              Map.entry("x-empty", ""));
    }

    @Test
    void plusIsNotASpace() {
      assertThat(OtlpExporterSettings.parseHeaders("k=a+b", "VAR")).containsEntry("k", "a+b");
    }

    @Test
    void memberWithoutEqualsNamesTheVariable() {
      assertThatThrownBy(
              () -> OtlpExporterSettings.resolve(null, env("OTEL_EXPORTER_OTLP_HEADERS", "a=1,justtoken")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("OTEL_EXPORTER_OTLP_HEADERS")
          .hasMessageContaining("entry 2")
          .hasMessageContaining("key=value");
    }

    @Test
    void badPercentEscapeIsRejectedWithoutEchoingTheValue() {
      assertThatThrownBy(
              () -> OtlpExporterSettings.resolve(
                  null, env("OTEL_EXPORTER_OTLP_METRICS_HEADERS", "authorization=secret%zz")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("OTEL_EXPORTER_OTLP_METRICS_HEADERS")
          .hasMessageContaining("authorization")
          .hasMessageNotContaining("secret");
    }

    @Test
    void invalidHeaderNameInFileNamesTheKey() {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("bad name", "v");
      OtlpExporterConfig f = new OtlpExporterConfig(null, null, null, null, headers, null);
      assertThatThrownBy(() -> OtlpExporterSettings.resolve(f, env()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("exporters.otlp.headers")
          .hasMessageContaining("bad name");
    }

    @Test
    void headerValueWithLineBreakIsRejected() {
      OtlpExporterConfig f =
          new OtlpExporterConfig(null, null, null, null, Map.of("x", "a\r\nInjected: yes"), null);
      assertThatThrownBy(() -> OtlpExporterSettings.resolve(f, env()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("control character")
          .hasMessageNotContaining("Injected");
    }

    @Test
    void toStringRedactsHeaderValuesButKeepsNames() {
      OtlpExporterSettings s =
          OtlpExporterSettings.resolve(
              null, env("OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer%20sup3r-s3cret,x-scope=tenant-42"));
      assertThat(s.headers()).containsEntry("authorization", "Bearer sup3r-s3cret");
      assertThat(s.toString())
          .contains("authorization=<redacted>", "x-scope=<redacted>", "endpoint=http://localhost:4317")
          .doesNotContain("sup3r-s3cret")
          .doesNotContain("tenant-42");
    }
  }

  @Nested
  class Timeouts {
    @Test
    void variableIsMilliseconds() {
      assertThat(OtlpExporterSettings.resolve(null, env("OTEL_EXPORTER_OTLP_TIMEOUT", "1500")).timeout())
          .isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void nonNumericTimeoutNamesTheVariableAndUnit() {
      assertThatThrownBy(() -> OtlpExporterSettings.resolve(null, env("OTEL_EXPORTER_OTLP_TIMEOUT", "10s")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("OTEL_EXPORTER_OTLP_TIMEOUT")
          .hasMessageContaining("milliseconds")
          .hasMessageContaining("'10s'");
    }

    @Test
    void zeroTimeoutIsRejectedBecauseAnExportMustNotHang() {
      assertThatThrownBy(() -> OtlpExporterSettings.resolve(null, env("OTEL_EXPORTER_OTLP_METRICS_TIMEOUT", "0")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("OTEL_EXPORTER_OTLP_METRICS_TIMEOUT")
          .hasMessageContaining("positive");
    }

    @Test
    void nonPositiveFileTimeoutNamesTheKey() {
      OtlpExporterConfig f = new OtlpExporterConfig(null, null, Duration.ZERO, null, null, null);
      assertThatThrownBy(() -> OtlpExporterSettings.resolve(f, env()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("exporters.otlp.timeout");
    }
  }

  @Nested
  class BadValues {
    @Test
    void unknownProtocolInEnvironment() {
      assertThatThrownBy(() -> OtlpExporterSettings.resolve(null, env("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("OTEL_EXPORTER_OTLP_PROTOCOL")
          .hasMessageContaining("expected grpc or http/protobuf")
          .hasMessageContaining("http/json is not supported");
    }

    @Test
    void unknownProtocolInFile() {
      assertThatThrownBy(() -> OtlpExporterSettings.resolve(file(null, "udp"), env()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("exporters.otlp.protocol")
          .hasMessageContaining("'udp'");
    }

    @Test
    void unknownCompression() {
      assertThatThrownBy(() -> OtlpExporterSettings.resolve(null, env("OTEL_EXPORTER_OTLP_COMPRESSION", "zstd")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("OTEL_EXPORTER_OTLP_COMPRESSION")
          .hasMessageContaining("expected gzip or none");
    }

    @Test
    void badInsecureFlag() {
      assertThatThrownBy(() -> OtlpExporterSettings.resolve(null, env("OTEL_EXPORTER_OTLP_INSECURE", "yes")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("OTEL_EXPORTER_OTLP_INSECURE")
          .hasMessageContaining("true or false");
    }

    @ParameterizedTest
    @CsvSource({
      "'http://exa mple:4318', malformed URL",
      "'ftp://collector:21',   expected scheme http or https",
      "'http://:4318',         malformed URL",
      "'http://u:pw@collector:4318', user:password",
      "'http://collector:4318/?token=x', without query",
    })
    void malformedEndpointVariable(String value, String expected) {
      assertThatThrownBy(
              () -> OtlpExporterSettings.resolve(
                  null, env("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf", "OTEL_EXPORTER_OTLP_ENDPOINT", value)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("OTEL_EXPORTER_OTLP_ENDPOINT")
          .hasMessageContaining(expected)
          .hasMessageNotContaining(":pw@");
    }

    @Test
    void httpEndpointNeedsAScheme() {
      assertThatThrownBy(() -> OtlpExporterSettings.resolve(file("collector:4318", "http/protobuf"), env()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("exporters.otlp.endpoint")
          .hasMessageContaining("http:// or https://");
    }

    @Test
    void missingCertificateFileNamesVariableAndPath(@TempDir Path dir) {
      Path missing = dir.resolve("nope.pem");
      assertThatThrownBy(
              () -> OtlpExporterSettings.resolve(null, env("OTEL_EXPORTER_OTLP_CERTIFICATE", missing.toString())))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("OTEL_EXPORTER_OTLP_CERTIFICATE")
          .hasMessageContaining(missing.toString());
    }

    @Test
    void certificateThatIsNotPemNamesTheFileKey(@TempDir Path dir) throws IOException {
      Path notPem = Files.writeString(dir.resolve("ca.der"), "binary junk");
      OtlpExporterConfig f =
          new OtlpExporterConfig(null, null, null, null, null, new TlsConfig(false, notPem, null, null));
      assertThatThrownBy(() -> OtlpExporterSettings.resolve(f, env()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("exporters.otlp.tls.ca_file")
          .hasMessageContaining("not a PEM file");
    }

    @Test
    void clientCertificateWithoutKeyIsRejected(@TempDir Path dir) throws IOException {
      Path cert = Files.writeString(dir.resolve("c.pem"), "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n");
      assertThatThrownBy(
              () -> OtlpExporterSettings.resolve(null, env("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", cert.toString())))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("OTEL_EXPORTER_OTLP_CLIENT_KEY")
          .hasMessageContaining("only the certificate");
    }

    @Test
    void readableCertificatesAreKept(@TempDir Path dir) throws IOException {
      String pem = "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n";
      Path ca = Files.writeString(dir.resolve("ca.pem"), pem);
      Path cert = Files.writeString(dir.resolve("c.pem"), pem);
      Path key = Files.writeString(dir.resolve("k.pem"), "-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n");
      OtlpExporterSettings s =
          OtlpExporterSettings.resolve(
              null,
              env("OTEL_EXPORTER_OTLP_CERTIFICATE", ca.toString(),
                  "OTEL_EXPORTER_OTLP_METRICS_CLIENT_CERTIFICATE", cert.toString(),
                  "OTEL_EXPORTER_OTLP_CLIENT_KEY", key.toString()));
      assertThat(s.trustedCertificates()).isEqualTo(ca);
      assertThat(s.clientCertificate()).isEqualTo(cert);
      assertThat(s.clientKey()).isEqualTo(key);
    }
  }
}
