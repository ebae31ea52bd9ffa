package io.enareceiver.testing.otlp;

import io.enareceiver.testing.otlp.ReceivedRequest.Outcome;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * OTLP/gRPC metrics receiver on {@code 127.0.0.1}: a real gRPC server (Netty) serving the
 * official {@code opentelemetry.proto.collector.metrics.v1.MetricsService}. gzip-compressed
 * messages are inflated by gRPC itself; whether one arrived compressed is read from the
 * {@code grpc-encoding} header. Told to fail, it answers UNAVAILABLE (retryable for OTLP). Told
 * to hang ({@link #hangFor}), it takes calls and never answers them, like a collector whose
 * pipeline is wedged behind a live HTTP/2 connection; only the client's deadline ends them.
 */
public final class OtlpGrpcTestReceiver extends AbstractOtlpTestReceiver {

  private static final Context.Key<Metadata> HEADERS = Context.key("otlp-test-headers");

  private final ServerCredentials credentials;
  private volatile int port;
  private Server server; // guarded by this
  private long hangUntilNanos = Long.MIN_VALUE; // guarded by this
  private int hungNow; // guarded by this
  private int hungAtOnce; // guarded by this
  private int hungTotal; // guarded by this

  private OtlpGrpcTestReceiver(ServerCredentials credentials) {
    this.credentials = credentials;
  }

  /** A plain-text (h2c) receiver on a free loopback port. */
  public static OtlpGrpcTestReceiver start() throws IOException {
    return start(InsecureServerCredentials.create());
  }

  /**
   * A TLS receiver with the given PEM certificate chain and PKCS#8 key.
   *
   * @param clientCa PEM of the CA that client certificates must chain to (mutual TLS), or null
   */
  public static OtlpGrpcTestReceiver startTls(Path certChain, Path privateKey, Path clientCa)
      throws IOException {
    TlsServerCredentials.Builder b =
        TlsServerCredentials.newBuilder().keyManager(certChain.toFile(), privateKey.toFile());
    if (clientCa != null) {
      b.trustManager(clientCa.toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
    }
    return start(b.build());
  }

  private static OtlpGrpcTestReceiver start(ServerCredentials credentials) throws IOException {
    OtlpGrpcTestReceiver r = new OtlpGrpcTestReceiver(credentials);
    synchronized (r) {
      r.startListening();
    }
    return r;
  }

  @Override
  public String endpoint() {
    return (credentials instanceof InsecureServerCredentials ? "http" : "https") + "://127.0.0.1:" + port;
  }

  @Override
  public int port() {
    return port;
  }

  /**
   * For {@code period} from now, every call is taken and never answered (no headers, no
   * message, no status); the call stays open until the client cancels it. Counts how many such
   * calls were open at once: the requests a client keeps in flight against a wedged collector.
   * Hung calls are not recorded in {@link #received()}: they never got an answer.
   */
  public synchronized void hangFor(Duration period) { // Duration.ZERO ends a hang early
    hangUntilNanos = System.nanoTime() + period.toNanos();
  }

  /** Hung calls the client has not cancelled yet. */
  public synchronized int hungNow() {
    return hungNow;
  }

  /** Most hung calls open at one time since the receiver started. */
  public synchronized int hungAtOnce() {
    return hungAtOnce;
  }

  /** Calls taken and never answered since the receiver started. */
  public synchronized int hungTotal() {
    return hungTotal;
  }

  /** Takes the call into the hang when {@link #hangFor} is in force; true if it did. */
  private synchronized boolean hang(ServerCallStreamObserver<?> call) {
    if (hangUntilNanos == Long.MIN_VALUE || System.nanoTime() - hangUntilNanos >= 0) {
      return false;
    }
    hungNow++;
    hungTotal++;
    hungAtOnce = Math.max(hungAtOnce, hungNow);
    call.setOnCancelHandler(this::hungCallCancelled);
    return true;
  }

  private synchronized void hungCallCancelled() {
    hungNow--;
  }

  @Override
  protected synchronized void startListening() throws IOException {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    Server s =
        NettyServerBuilder.forAddress(address, credentials)
            // refuseFor() re-binds the same port while old connections may linger.
            .withOption(ChannelOption.SO_REUSEADDR, true)
            .addService(ServerInterceptors.intercept(new MetricsService(), new HeaderCapture()))
            .build()
            .start();
    server = s;
    port = s.getPort();
  }

  @Override
  protected synchronized void stopListening() {
    if (server == null) {
      return;
    }
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server = null;
  }

  /** Hands the request metadata to the service through the gRPC context. */
  private static final class HeaderCapture implements ServerInterceptor {
    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
      return Contexts.interceptCall(Context.current().withValue(HEADERS, headers), call, headers, next);
    }
  }

  private final class MetricsService extends MetricsServiceGrpc.MetricsServiceImplBase {
    @Override
    public void export(
        ExportMetricsServiceRequest request, StreamObserver<ExportMetricsServiceResponse> answer) {
      if (hang((ServerCallStreamObserver<ExportMetricsServiceResponse>) answer)) {
        return; // never answered: the client's deadline (or shutdown) cancels it
      }
      Map<String, List<String>> headers = toMap(HEADERS.get());
      List<String> encoding = headers.getOrDefault("grpc-encoding", List.of());
      boolean gzip = encoding.contains("gzip");
      Decision decision = decide();
      if (decision.fail()) {
        record(new ReceivedRequest(request, headers, gzip, Outcome.FAILED, "told to answer UNAVAILABLE"));
        answer.onError(Status.UNAVAILABLE.withDescription("test receiver told to fail").asRuntimeException());
        return;
      }
      Runnable accept =
          () -> {
            // Record before answering: a client that saw OK must find its request recorded.
            record(new ReceivedRequest(request, headers, gzip, Outcome.ACCEPTED, ""));
            answer.onNext(ExportMetricsServiceResponse.getDefaultInstance());
            answer.onCompleted();
          };
      if (decision.delay().isPositive()) {
        scheduler.schedule(accept, decision.delay().toNanos(), TimeUnit.NANOSECONDS);
      } else {
        accept.run();
      }
    }
  }

  private static Map<String, List<String>> toMap(Metadata metadata) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (metadata == null) {
      return out;
    }
    for (String key : metadata.keys()) {
      if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        continue;
      }
      Iterable<String> values = metadata.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
      List<String> list = new ArrayList<>();
      if (values != null) {
        values.forEach(list::add);
      }
      out.put(key.toLowerCase(Locale.ROOT), List.copyOf(list));
    }
    return out;
  }

  @Override
  public String toString() {
    return "OtlpGrpcTestReceiver[" + endpoint() + "]";
  }
}
