package io.enareceiver.resource;

import io.enareceiver.resource.ImdsException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An IMDSv2-only client on the JDK's {@link HttpClient}.
 *
 * <p>Every read first holds a session token ({@code PUT /latest/api/token} with a TTL header) and
 * sends it with each {@code GET}. There is deliberately no IMDSv1 fallback: if no token can be had
 * the read fails, and no unauthenticated {@code GET} is ever sent. A token is reused until shortly
 * before its TTL runs out; a {@code 401} (the service forgot or expired it early) makes the client
 * fetch a new one and repeat the read once.
 *
 * <p>Each HTTP exchange, connect to last body byte, is bounded by {@link ImdsSettings#callTimeout()}
 * and by the caller's deadline; answers larger than {@link ImdsSettings#maxBodyBytes()} are refused
 * while they stream, not after. Failures a retry can cure (timeouts, refused connections, 5xx) are
 * retried {@link ImdsSettings#retries()} times with a short pause. The client never uses a proxy
 * and never follows redirects: metadata must come from the endpoint itself.
 *
 * <p>Why not the AWS SDK's {@code software.amazon.awssdk:imds}: the package registry this project
 * builds from does not serve it, and the JDK client meets every requirement above without adding
 * a byte to the jar.
 *
 * <p>Thread-safe; meant to be used by one background thread at a time.
 */
public final class ImdsClient implements AutoCloseable {
  static final String TOKEN_PATH = "/latest/api/token";
  static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";
  static final String TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";
  private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final ImdsSettings settings;
  private final HttpClient http;
  private final Object tokenLock = new Object();
  private Token token; // guarded by tokenLock

  private record Token(String value, long refreshAtNanos) {}

  public ImdsClient(ImdsSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(settings.callTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .proxy(HttpClient.Builder.NO_PROXY)
        .build();
  }

  public ImdsSettings settings() {
    return settings;
  }

  /** Reads one metadata path, e.g. {@code /latest/meta-data/instance-id}, within the retry budget. */
  public String get(String path) throws ImdsException {
    long budget = settings.callTimeout().toNanos() * (settings.retries() + 1) * 2 + RETRY_PAUSE_NANOS * settings.retries();
    return get(path, System.nanoTime() + budget);
  }

  /**
   * Reads one metadata path, giving up when {@code deadlineNanos} (a {@link System#nanoTime()}
   * value) passes, whatever retries remain.
   */
  public String get(String path, long deadlineNanos) throws ImdsException {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("metadata path must start with '/': " + path);
    }
    boolean tokenRenewed = false;
    int attempt = 0;
    while (true) {
      try {
        String tokenValue = token(deadlineNanos);
        Answer answer = exchange("GET", path, TOKEN_HEADER, tokenValue, deadlineNanos);
        if (answer.status() == 200) {
          return answer.body();
        }
        if (answer.status() == 401 && !tokenRenewed) {
          // The service no longer knows our token (expired, IMDS restarted): take a new one once.
          dropToken(tokenValue);
          tokenRenewed = true;
          continue;
        }
        throw statusError(path, answer.status(), "");
      } catch (ImdsException e) {
        long pause = RETRY_PAUSE_NANOS << attempt;
        if (!e.retryable() || attempt >= settings.retries() || System.nanoTime() + pause >= deadlineNanos) {
          throw e;
        }
        attempt++;
        pause(pause, path);
      }
    }
  }

  private String token(long deadlineNanos) throws ImdsException {
    synchronized (tokenLock) {
      if (token != null && System.nanoTime() - token.refreshAtNanos() < 0) {
        return token.value();
      }
      long ttlSeconds = settings.tokenTtl().toSeconds();
      long requestedAt = System.nanoTime();
      Answer answer = exchange("PUT", TOKEN_PATH, TTL_HEADER, Long.toString(ttlSeconds), deadlineNanos);
      if (answer.status() != 200) {
        throw statusError(TOKEN_PATH, answer.status(),
            " (IMDSv2 session token refused; this client does not fall back to IMDSv1)");
      }
      String value = answer.body().strip();
      if (value.isEmpty() || value.length() > 1024 || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new ImdsException(Reason.BAD_ANSWER, TOKEN_PATH,
            "IMDS " + TOKEN_PATH + " answered something that is not a session token: expected up to 1024"
                + " printable ASCII characters, got " + describe(answer.body()));
      }
      // Renew a little before the service would: a tenth of the TTL, at most a minute, early.
      long marginNanos = Math.min(TimeUnit.SECONDS.toNanos(60), TimeUnit.SECONDS.toNanos(ttlSeconds) / 10);
      token = new Token(value, requestedAt + TimeUnit.SECONDS.toNanos(ttlSeconds) - marginNanos);
      return value;
    }
  }

  private void dropToken(String value) {
    synchronized (tokenLock) {
      if (token != null && token.value().equals(value)) {
        token = null;
      }
    }
  }

  private record Answer(int status, String body) {}

  private Answer exchange(String method, String path, String header, String headerValue, long deadlineNanos)
      throws ImdsException {
    long remaining = deadlineNanos - System.nanoTime();
    if (remaining <= 0) {
      throw new ImdsException(Reason.TIMEOUT, path, "IMDS " + path + ": deadline passed before the call");
    }
    Duration timeout = Duration.ofNanos(Math.min(remaining, settings.callTimeout().toNanos()));
    HttpRequest request = HttpRequest.newBuilder(URI.create(settings.endpoint() + path))
        .timeout(timeout)
        .header(header, headerValue)
        .method(method, HttpRequest.BodyPublishers.noBody())
        .build();
    CompletableFuture<HttpResponse<String>> future =
        http.sendAsync(request, info -> new BoundedBody(settings.maxBodyBytes(), contentLength(info)));
    try {
      // The request timeout covers the headers only; this bound covers the body too.
      HttpResponse<String> response = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return new Answer(response.statusCode(), response.body());
    } catch (TimeoutException e) {
      future.cancel(true);
      throw timeout(path, timeout, e);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new ImdsException(Reason.UNREACHABLE, path, 0, "IMDS " + path + ": interrupted", e);
    } catch (ExecutionException e) {
      throw transportError(path, timeout, e.getCause());
    }
  }

  private ImdsException transportError(String path, Duration timeout, Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof BodyTooLarge tooLarge) {
        return new ImdsException(Reason.TOO_LARGE, path, 0,
            "IMDS " + path + " answered more than " + tooLarge.limit + " bytes; refused", tooLarge);
      }
      if (t instanceof HttpConnectTimeoutException || t instanceof HttpTimeoutException) {
        return timeout(path, timeout, cause);
      }
      if (t instanceof ConnectException) {
        return new ImdsException(Reason.UNREACHABLE, path, 0,
            "IMDS " + path + ": cannot connect to " + settings.endpoint() + " ("
                + Objects.toString(t.getMessage(), "connection refused") + ")", cause);
      }
    }
    String what = cause instanceof IOException ? "connection failed" : "request failed";
    return new ImdsException(Reason.UNREACHABLE, path, 0,
        "IMDS " + path + ": " + what + " at " + settings.endpoint() + " (" + cause + ")", cause);
  }

  private ImdsException timeout(String path, Duration timeout, Throwable cause) {
    return new ImdsException(Reason.TIMEOUT, path, 0,
        "IMDS " + path + ": no answer from " + settings.endpoint() + " within " + timeout.toMillis() + " ms", cause);
  }

  private static ImdsException statusError(String path, int status, String note) {
    return new ImdsException(Reason.HTTP_STATUS, path, status, "IMDS " + path + " answered HTTP " + status + note, null);
  }

  private static void pause(long nanos, String path) throws ImdsException {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImdsException(Reason.UNREACHABLE, path, 0, "IMDS " + path + ": interrupted", e);
    }
  }

  private static long contentLength(HttpResponse.ResponseInfo info) {
    return info.headers().firstValueAsLong("content-length").orElse(-1);
  }

  /** A short, printable rendering of a bad answer for an error message. */
  static String describe(String body) {
    if (body.isEmpty()) {
      return "an empty answer";
    }
    String shown = body.length() > 60 ? body.substring(0, 60) + "..." : body;
    StringBuilder out = new StringBuilder("'");
    shown.codePoints().forEach(c -> {
      if (c >= 0x20 && c < 0x7f) {
        out.appendCodePoint(c);
      } else {
        out.append(String.format("\\u%04x", c));
      }
    });
    return out.append('\'').toString();
  }

  @Override
  public void close() {
    http.shutdownNow();
  }

  /** Signals a body over the limit; carried through the response future. */
  private static final class BodyTooLarge extends IOException {
    private static final long serialVersionUID = 1L;
    final int limit;

    BodyTooLarge(int limit) {
      super("body larger than " + limit + " bytes");
      this.limit = limit;
    }
  }

  /**
   * Collects the body as UTF-8 and cancels the stream as soon as it passes the limit, so an
   * endless or huge answer costs at most {@code limit} bytes of memory.
   */
  private static final class BoundedBody implements BodySubscriber<String> {
    private final int limit;
    private final CompletableFuture<String> result = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final boolean announcedTooLarge;
    private Flow.Subscription subscription;

    BoundedBody(int limit, long contentLength) {
      this.limit = limit;
      this.announcedTooLarge = contentLength > limit;
    }

    @Override
    public CompletionStage<String> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (announcedTooLarge) {
        s.cancel();
        result.completeExceptionally(new BodyTooLarge(limit));
      } else {
        s.request(Long.MAX_VALUE);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer buffer : buffers) {
        if (bytes.size() + buffer.remaining() > limit) {
          subscription.cancel();
          result.completeExceptionally(new BodyTooLarge(limit));
          return;
        }
        byte[] chunk = new byte[buffer.remaining()];
        buffer.get(chunk);
        bytes.writeBytes(chunk);
      }
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      result.complete(bytes.toString(StandardCharsets.UTF_8));
    }
  }
}
