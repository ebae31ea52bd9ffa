package io.enareceiver.resource;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * How to reach EC2 instance metadata: where, how long to wait, how often to retry, how much to
 * accept. The defaults keep one call under a second, because a node agent must never sit on a
 * metadata service that is not there (containers without host networking, hop limit 1).
 *
 * @param endpoint     scheme, host and port of the service, e.g. {@code http://169.254.169.254}
 * @param callTimeout  bound on one HTTP exchange (connect, headers and body), at most 1 s
 * @param retries      further attempts after a failure that a retry can cure (timeout, 5xx)
 * @param tokenTtl     lifetime asked for the IMDSv2 session token, 1 s .. 6 h
 * @param maxBodyBytes largest answer accepted; anything bigger is refused, not truncated
 */
public record ImdsSettings(URI endpoint, Duration callTimeout, int retries, Duration tokenTtl, int maxBodyBytes) {
  /** The link-local IPv4 address EC2 serves metadata on. */
  public static final URI DEFAULT_ENDPOINT = URI.create("http://169.254.169.254");
  /** The IPv6 address used when {@code AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6}. */
  public static final URI DEFAULT_IPV6_ENDPOINT = URI.create("http://[fd00:ec2::254]");

  public static final String ENDPOINT_ENV = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
  public static final String ENDPOINT_MODE_ENV = "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE";
  public static final Duration MAX_CALL_TIMEOUT = Duration.ofSeconds(1);
  public static final Duration MAX_TOKEN_TTL = Duration.ofSeconds(21_600);

  public ImdsSettings {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(callTimeout, "callTimeout");
    Objects.requireNonNull(tokenTtl, "tokenTtl");
    String scheme = endpoint.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || endpoint.getHost() == null) {
      throw new IllegalArgumentException(
          "IMDS endpoint '" + endpoint + "' is not an http:// or https:// URL with a host");
    }
    if (callTimeout.isNegative() || callTimeout.isZero() || callTimeout.compareTo(MAX_CALL_TIMEOUT) > 0) {
      throw new IllegalArgumentException("IMDS call timeout must be in (0, 1s], got " + callTimeout);
    }
    if (retries < 0 || retries > 5) {
      throw new IllegalArgumentException("IMDS retries must be in 0..5, got " + retries);
    }
    if (tokenTtl.toSeconds() < 1 || tokenTtl.compareTo(MAX_TOKEN_TTL) > 0) {
      throw new IllegalArgumentException("IMDS token TTL must be in 1s..6h, got " + tokenTtl);
    }
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException("IMDS body limit must be at least 1024 bytes, got " + maxBodyBytes);
    }
    // One canonical form: no trailing slash, so paths can be appended as they are.
    String text = endpoint.toString();
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    endpoint = URI.create(text);
  }

  /** Defaults (1 s per call, 2 retries, 6 h token, 64 KiB answers) at the given endpoint. */
  public static ImdsSettings defaults(URI endpoint) {
    return new ImdsSettings(endpoint, MAX_CALL_TIMEOUT, 2, MAX_TOKEN_TTL, 64 * 1024);
  }

  /**
   * Defaults at the endpoint the AWS SDKs and CLI would use: {@code AWS_EC2_METADATA_SERVICE_ENDPOINT}
   * when set, else the IPv6 address when {@code AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6}, else
   * {@code 169.254.169.254}.
   *
   * @throws IllegalArgumentException naming the variable when its value is not usable
   */
  public static ImdsSettings fromEnv(Function<String, String> env) {
    String explicit = trimToNull(env.apply(ENDPOINT_ENV));
    if (explicit != null) {
      try {
        return defaults(URI.create(explicit));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            ENDPOINT_ENV + "='" + explicit + "' is not usable: expected a URL such as http://169.254.169.254 ("
                + e.getMessage() + ")", e);
      }
    }
    String mode = trimToNull(env.apply(ENDPOINT_MODE_ENV));
    if (mode == null || mode.equalsIgnoreCase("IPv4")) {
      return defaults(DEFAULT_ENDPOINT);
    }
    if (mode.equalsIgnoreCase("IPv6")) {
      return defaults(DEFAULT_IPV6_ENDPOINT);
    }
    throw new IllegalArgumentException(
        ENDPOINT_MODE_ENV + "='" + mode + "' is not usable: expected IPv4 or IPv6");
  }

  public ImdsSettings withCallTimeout(Duration timeout) {
    return new ImdsSettings(endpoint, timeout, retries, tokenTtl, maxBodyBytes);
  }

  public ImdsSettings withRetries(int count) {
    return new ImdsSettings(endpoint, callTimeout, count, tokenTtl, maxBodyBytes);
  }

  public ImdsSettings withTokenTtl(Duration ttl) {
    return new ImdsSettings(endpoint, callTimeout, retries, ttl, maxBodyBytes);
  }

  static String trimToNull(String value) {
    if (value == null) {
      return null;
    }
    String trimmed = value.strip();
    return trimmed.isEmpty() ? null : trimmed;
  }

  static boolean isTrue(String value) {
    return value != null && value.strip().toLowerCase(Locale.ROOT).equals("true");
  }
}
