package io.enareceiver.export;

import io.enareceiver.config.OtlpExporterConfig;
import io.enareceiver.config.TlsConfig;
import io.enareceiver.testing.otlp.OtlpGrpcTestReceiver;
import io.enareceiver.testing.otlp.OtlpHttpTestReceiver;
import io.enareceiver.testing.otlp.OtlpTestReceiver;
import io.enareceiver.testing.otlp.TestCertificate;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;

/** The two OTLP transports, so one test body runs against both test receivers. */
enum OtlpTransport {
  HTTP("http/protobuf") {
    @Override
    OtlpTestReceiver start() throws IOException {
      return OtlpHttpTestReceiver.start();
    }

    @Override
    OtlpTestReceiver startTls(TestCertificate cert, boolean requireClientCert)
        throws IOException, GeneralSecurityException {
      return OtlpHttpTestReceiver.start(cert.sslContext(), requireClientCert);
    }
  },
  GRPC("grpc") {
    @Override
    OtlpTestReceiver start() throws IOException {
      return OtlpGrpcTestReceiver.start();
    }

    @Override
    OtlpTestReceiver startTls(TestCertificate cert, boolean requireClientCert) throws IOException {
      return OtlpGrpcTestReceiver.startTls(
          cert.certificatePem(), cert.privateKeyPem(), requireClientCert ? cert.certificatePem() : null);
    }
  };

  /** Retries fast enough for a test; the production default is exercised separately. */
  static final RetryPolicy FAST_RETRY =
      RetryPolicy.builder()
          .setMaxAttempts(3)
          .setInitialBackoff(Duration.ofMillis(10))
          .setMaxBackoff(Duration.ofMillis(20))
          .build();

  final String protocol;

  OtlpTransport(String protocol) {
    this.protocol = protocol;
  }

  abstract OtlpTestReceiver start() throws IOException;

  abstract OtlpTestReceiver startTls(TestCertificate cert, boolean requireClientCert)
      throws IOException, GeneralSecurityException;

  /** A file block pointing at {@code receiver}, the way a user would write it. */
  OtlpExporterConfig config(
      OtlpTestReceiver receiver, String compression, Map<String, String> headers, TlsConfig tls) {
    return new OtlpExporterConfig(receiver.endpoint(), protocol, Duration.ofSeconds(5), compression, headers, tls);
  }
}
