package io.enareceiver.testing.otlp;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An in-process OTLP metrics endpoint on loopback that records what it receives, for tests that
 * decode what an exporter really sent. Failure knobs let a test play a collector that is
 * overloaded ({@link #failNext}, {@link #failFor}), slow ({@link #delayNext}) or down
 * ({@link #refuseFor}).
 */
public interface OtlpTestReceiver extends AutoCloseable {

  /**
   * Base URL to configure an exporter with ({@code http://127.0.0.1:PORT}, {@code https://...}
   * with TLS). For HTTP the exporter appends {@code /v1/metrics}.
   */
  String endpoint();

  /** The port it listens on; stays the same across {@link #refuseFor}. */
  int port();

  /** Bodies of the requests answered with success, in arrival order. */
  List<ExportMetricsServiceRequest> requests();

  /** Every request that reached the handler, whatever the answer, in arrival order. */
  List<ReceivedRequest> received();

  /** Headers of each request answered with success, in arrival order (names lower-cased). */
  default List<Map<String, List<String>>> headers() {
    return received().stream()
        .filter(r -> r.outcome() == ReceivedRequest.Outcome.ACCEPTED)
        .map(ReceivedRequest::headers)
        .toList();
  }

  /**
   * Waits until at least {@code count} requests were answered with success.
   *
   * @return {@link #requests()} at that moment
   * @throws AssertionError naming what did arrive when {@code timeout} passes first
   */
  List<ExportMetricsServiceRequest> awaitRequests(int count, Duration timeout);

  /** Like {@link #awaitRequests} but counts every request whatever the answer. */
  List<ReceivedRequest> awaitReceived(int count, Duration timeout);

  /** Answers the next {@code count} requests with HTTP 503 / gRPC UNAVAILABLE. */
  void failNext(int count);

  /** Answers every request with HTTP 503 / gRPC UNAVAILABLE for {@code period} from now. */
  void failFor(Duration period);

  /** Holds the answer to the next {@code count} requests back for {@code delay}, then accepts. */
  void delayNext(int count, Duration delay);

  /**
   * Stops listening (connections are refused) for {@code period}, then listens again on the same
   * port. Recorded requests are kept.
   */
  void refuseFor(Duration period);

  /** Forgets recorded requests and clears every failure knob. */
  void reset();

  /** Stops the server and any pending delayed answer. */
  @Override
  void close();
}
