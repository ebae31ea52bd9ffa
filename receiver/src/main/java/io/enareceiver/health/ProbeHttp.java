package io.enareceiver.health;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The little of HTTP/1.x that health probes need: read one request head, write one small
 * response, close. No keep-alive (probes open a connection each time), no request bodies
 * (ignored), no header values (none changes the answer).
 */
final class ProbeHttp {
  /** Request line plus headers. A probe sends ~150 bytes; 8 KiB is the common server default. */
  static final int MAX_HEAD_BYTES = 8 * 1024;

  /** Sent with every 405: both paths serve the same methods. */
  static final String ALLOWED_METHODS = "GET, HEAD";

  private static final Pattern HTTP_1X = Pattern.compile("HTTP/1\\.[0-9]");

  private ProbeHttp() {}

  /** A request line that parsed; {@code path} is the target without its query string. */
  record Request(String method, String path) {
    boolean isHead() {
      return method.equals("HEAD");
    }
  }

  /**
   * A request that gets an error status instead of an answer. Checked and separate from
   * {@link IOException}, which means the connection itself failed and nobody is listening.
   */
  static final class BadRequest extends Exception {
    private final int status;

    BadRequest(int status, String message) {
      super(message, null, false, false); // a routine answer, not a bug: no stack trace
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  /**
   * Reads up to the blank line that ends the request head and parses its request line. Every
   * read waits at most until {@code deadlineNanos} ({@link System#nanoTime()}), so a client that
   * trickles a byte at a time is cut off as surely as one that sends nothing.
   *
   * @throws BadRequest 400 for a malformed request line, 431 for a head over {@link #MAX_HEAD_BYTES}
   * @throws IOException the client closed early, reset, or missed the deadline
   */
  static Request readRequest(Socket socket, long deadlineNanos) throws IOException, BadRequest {
    InputStream in = socket.getInputStream();
    byte[] head = new byte[MAX_HEAD_BYTES];
    int length = 0;
    int lineStart = 0;
    String requestLine = null;
    while (true) {
      if (length == head.length) {
        throw new BadRequest(431, "request head over " + MAX_HEAD_BYTES + " bytes");
      }
      socket.setSoTimeout(remainingMillis(deadlineNanos));
      int n = in.read(head, length, head.length - length);
      if (n < 0) {
        throw new EOFException("connection closed before the end of the request head");
      }
      for (int i = length; i < length + n; i++) {
        if (head[i] != '\n') {
          continue;
        }
        // Lines end in CRLF; a bare LF is accepted too (RFC 9112 section 2.2).
        int lineEnd = i > lineStart && head[i - 1] == '\r' ? i - 1 : i;
        boolean empty = lineEnd == lineStart;
        if (requestLine == null && !empty) {
          requestLine = new String(head, lineStart, lineEnd - lineStart, StandardCharsets.ISO_8859_1);
        } else if (requestLine != null && empty) {
          return parse(requestLine); // header lines and any body are ignored
        }
        // Empty lines before the request line are skipped (RFC 9112 section 2.2).
        lineStart = i + 1;
      }
      length += n;
    }
  }

  /** Parses {@code METHOD SP request-target SP HTTP/1.x}. */
  static Request parse(String requestLine) throws BadRequest {
    String[] parts = requestLine.split(" ", -1);
    if (parts.length != 3 || !isToken(parts[0]) || !HTTP_1X.matcher(parts[2]).matches()) {
      throw new BadRequest(400, "expected a request line 'METHOD /path HTTP/1.1'");
    }
    String path = path(parts[1]);
    if (path == null) {
      throw new BadRequest(400, "expected a request target starting with / or http://");
    }
    return new Request(parts[0], path);
  }

  /**
   * The path of an origin-form ({@code /readyz?x=1}) or absolute-form
   * ({@code http://host:port/readyz}, which servers must accept: RFC 9112 section 3.2.2) target,
   * without the query; null for anything else. Not percent-decoded: probes ask for the plain
   * paths.
   */
  private static String path(String target) {
    int query = target.indexOf('?');
    String path = query < 0 ? target : target.substring(0, query);
    if (path.startsWith("/")) {
      return path;
    }
    int schemeEnd = path.indexOf("://");
    String scheme = schemeEnd < 0 ? "" : path.substring(0, schemeEnd);
    if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
      return null;
    }
    int slash = path.indexOf('/', schemeEnd + 3);
    return slash < 0 ? "/" : path.substring(slash);
  }

  /** A method is an RFC 9110 token: letters, digits and {@code !#$%&'*+-.^_`|~}. */
  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * A complete response. {@code withBody} is false for HEAD, which gets the headers (with the
   * Content-Length a GET would get) and nothing after them.
   */
  static byte[] response(int status, String body, boolean withBody) {
    byte[] content = body.getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n"
        + "Content-Length: " + content.length + "\r\n"
        + (status == 405 ? "Allow: " + ALLOWED_METHODS + "\r\n" : "")
        + "Connection: close\r\n"
        + "\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    if (!withBody) {
      return headBytes;
    }
    byte[] all = new byte[headBytes.length + content.length];
    System.arraycopy(headBytes, 0, all, 0, headBytes.length);
    System.arraycopy(content, 0, all, headBytes.length, content.length);
    return all;
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 431 -> "Request Header Fields Too Large";
      case 503 -> "Service Unavailable";
      default -> throw new IllegalArgumentException("no reason phrase for status " + status);
    };
  }

  /**
   * Milliseconds left until the deadline, at least 1 (a socket timeout of 0 would mean forever).
   *
   * @throws SocketTimeoutException the deadline has passed
   */
  static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
    long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    if (left <= 0) {
      throw new SocketTimeoutException("request deadline passed");
    }
    return (int) Math.min(left, Integer.MAX_VALUE);
  }
}
