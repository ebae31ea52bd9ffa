package io.enareceiver.testing.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.enareceiver.testing.otlp.ReceivedRequest.Outcome;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The test receivers themselves, driven by plain clients, so exporter tests can trust them. */
class OtlpTestReceiversTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static final ExportMetricsServiceRequest REQUEST =
      ExportMetricsServiceRequest.newBuilder()
          .addResourceMetrics(ResourceMetrics.newBuilder().setSchemaUrl("https://example/schema"))
          .build();

  @AfterAll
  static void closeClient() {
    HTTP.close();
  }

  private static HttpResponse<String> post(String url, String contentType, byte[] body, boolean gzip)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", contentType)
        .header("Authorization", "Bearer x")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (gzip) {
      b.header("Content-Encoding", "gzip");
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(raw);
    }
    return out.toByteArray();
  }

  @Test
  void httpAcceptsGzipProtobufAndRecordsHeaders() throws Exception {
    try (OtlpHttpTestReceiver r = OtlpHttpTestReceiver.start()) {
      assertThat(post(r.metricsUrl(), "application/x-protobuf", gzip(REQUEST.toByteArray()), true).statusCode())
          .isEqualTo(200);
      assertThat(r.requests()).containsExactly(REQUEST);
      ReceivedRequest seen = r.received().getFirst();
      assertThat(seen.gzip()).isTrue();
      assertThat(seen.header("AUTHORIZATION")).isEqualTo("Bearer x");
    }
  }

  @Test
  void httpRejectsWhatIsNotAnOtlpMetricsRequest() throws Exception {
    try (OtlpHttpTestReceiver r = OtlpHttpTestReceiver.start()) {
      assertThat(post(r.endpoint() + "/v1/traces", "application/x-protobuf", REQUEST.toByteArray(), false).statusCode())
          .isEqualTo(404);
      assertThat(post(r.metricsUrl(), "application/json", "{}".getBytes(), false).statusCode()).isEqualTo(415);
      assertThat(post(r.metricsUrl(), "application/x-protobuf", new byte[] {(byte) 0xff, 0x01}, false).statusCode())
          .isEqualTo(400);
      assertThat(r.received()).extracting(ReceivedRequest::outcome).containsOnly(Outcome.REJECTED).hasSize(3);
      assertThat(r.requests()).isEmpty();
    }
  }

  @Test
  void httpFailsOnRequestThenRecovers() throws Exception {
    try (OtlpHttpTestReceiver r = OtlpHttpTestReceiver.start()) {
      r.failNext(2);
      byte[] body = REQUEST.toByteArray();
      assertThat(post(r.metricsUrl(), "application/x-protobuf", body, false).statusCode()).isEqualTo(503);
      assertThat(post(r.metricsUrl(), "application/x-protobuf", body, false).statusCode()).isEqualTo(503);
      assertThat(post(r.metricsUrl(), "application/x-protobuf", body, false).statusCode()).isEqualTo(200);
      assertThat(r.received()).extracting(ReceivedRequest::outcome)
          .containsExactly(Outcome.FAILED, Outcome.FAILED, Outcome.ACCEPTED);
      r.reset();
      assertThat(r.received()).isEmpty();
    }
  }

  @Test
  void httpRefusesThenListensAgainOnTheSamePort() throws Exception {
    try (OtlpHttpTestReceiver r = OtlpHttpTestReceiver.start()) {
      int port = r.port();
      r.refuseFor(Duration.ofMillis(500));
      assertThatThrownBy(() -> post(r.metricsUrl(), "application/x-protobuf", REQUEST.toByteArray(), false))
          .isInstanceOf(ConnectException.class);
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(
          () -> post(r.metricsUrl(), "application/x-protobuf", REQUEST.toByteArray(), false).statusCode() == 200);
      assertThat(r.port()).isEqualTo(port);
      assertThat(r.requests()).hasSize(1);
    }
  }

  @Test
  void awaitNamesWhatArrivedWhenTooFew() throws Exception {
    try (OtlpHttpTestReceiver r = OtlpHttpTestReceiver.start()) {
      r.failNext(1);
      post(r.metricsUrl(), "application/x-protobuf", REQUEST.toByteArray(), false);
      assertThatThrownBy(() -> r.awaitRequests(1, Duration.ofMillis(50)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("expected 1 accepted request(s)")
          .hasMessageContaining("got 0")
          .hasMessageContaining("FAILED");
    }
  }

  @Test
  void grpcAnswersUnavailableWhenToldThenAcceptsAndRecordsMetadata() throws Exception {
    try (OtlpGrpcTestReceiver r = OtlpGrpcTestReceiver.start()) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", r.port()).usePlaintext().build();
      try {
        var stub = MetricsServiceGrpc.newBlockingStub(channel)
            .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(authorization()))
            .withDeadlineAfter(10, TimeUnit.SECONDS);
        r.failNext(1);
        assertThatThrownBy(() -> stub.export(REQUEST))
            .isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        stub.withCompression("gzip").export(REQUEST);
        assertThat(r.requests()).containsExactly(REQUEST);
        ReceivedRequest accepted = r.received().get(1);
        assertThat(accepted.header("authorization")).isEqualTo("Bearer g");
        assertThat(accepted.gzip()).isTrue();
        assertThat(r.received().getFirst().gzip()).isFalse();
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void grpcRefusesThenListensAgainOnTheSamePort() throws Exception {
    try (OtlpGrpcTestReceiver r = OtlpGrpcTestReceiver.start()) {
      int port = r.port();
      r.refuseFor(Duration.ofMillis(500));
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      try {
        var stub = MetricsServiceGrpc.newBlockingStub(channel);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
          stub.withDeadlineAfter(2, TimeUnit.SECONDS).export(REQUEST);
          return true;
        });
        assertThat(r.port()).isEqualTo(port);
        assertThat(r.requests()).hasSize(1);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void grpcHangsUntilTheClientGivesUpThenAnswersAgain() throws Exception {
    try (OtlpGrpcTestReceiver r = OtlpGrpcTestReceiver.start()) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", r.port()).usePlaintext().build();
      try {
        var stub = MetricsServiceGrpc.newBlockingStub(channel);
        r.hangFor(Duration.ofHours(1));
        assertThatThrownBy(() -> stub.withDeadlineAfter(300, TimeUnit.MILLISECONDS).export(REQUEST))
            .isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        // The deadline reaches the server as a cancellation, which closes the hung call.
        await().atMost(Duration.ofSeconds(10)).until(() -> r.hungNow() == 0);
        assertThat(r.hungTotal()).isEqualTo(1);
        assertThat(r.hungAtOnce()).isEqualTo(1);
        assertThat(r.received()).isEmpty();

        r.hangFor(Duration.ZERO);
        stub.withDeadlineAfter(10, TimeUnit.SECONDS).export(REQUEST);
        assertThat(r.requests()).containsExactly(REQUEST);
        assertThat(r.hungTotal()).isEqualTo(1);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private static io.grpc.Metadata authorization() {
    io.grpc.Metadata m = new io.grpc.Metadata();
    m.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER), "Bearer g");
    return m;
  }
}
