package io.enareceiver.testing.imds;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for the EC2 instance metadata service that speaks IMDSv2 the way EC2 does:
 * {@code PUT /latest/api/token} with a TTL header (1..21600 s, else 400) hands out a token,
 * metadata {@code GET}s without a live token get 401, tokens expire, and requests carrying
 * {@code X-Forwarded-For} are refused with 403. It serves one {@link Instance} at the real paths.
 *
 * <p>Knobs for failure tests: {@link #down()} / {@link #up()} (connection refused, same port),
 * {@link #delay}, {@link #failWith} (any status for every request), {@link #oversizedBodies},
 * {@link #garbage}, {@link #expireAllTokens()}; and what was asked: {@link #requests()},
 * {@link #count(String)}.
 *
 * <p>Runs standalone beside the receiver jar: {@code java -cp ... io.enareceiver.testing.imds.FakeImds
 * --instance instance.json --port-file port.txt [--port N]} (see {@link #main}).
 */
public final class FakeImds implements AutoCloseable {
  public static final String TOKEN_PATH = "/latest/api/token";
  public static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";
  public static final String TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";
  public static final String DOCUMENT_PATH = "/latest/dynamic/instance-identity/document";
  public static final String MACS_PATH = "/latest/meta-data/network/interfaces/macs/";

  /** One ENI: its MAC (any case), id and device number. */
  public record Eni(String mac, String eniId, int deviceNumber) {}

  /** What the fake instance is. {@code hostname} null means local-hostname answers 404. */
  public record Instance(String instanceId, String instanceType, String region, String availabilityZone,
      String accountId, String hostname, List<Eni> enis) {
    public Instance {
      enis = List.copyOf(enis);
    }

    /** A plausible two-ENI m6i.large in us-east-1a. */
    public static Instance sample() {
      return new Instance("i-0123456789abcdef0", "m6i.large", "us-east-1", "us-east-1a", "123456789012",
          "ip-10-0-1-23.ec2.internal", List.of(
              new Eni("0e:aa:bb:cc:dd:01", "eni-0aaaaaaaaaaaaaaa1", 0),
              new Eni("0e:aa:bb:cc:dd:02", "eni-0bbbbbbbbbbbbbbb2", 1)));
    }

    public Instance withEnis(List<Eni> newEnis) {
      return new Instance(instanceId, instanceType, region, availabilityZone, accountId, hostname, newEnis);
    }
  }

  /**
   * One request as the fake saw it.
   *
   * @param validToken whether it carried a token the fake had issued and not yet expired
   * @param status     what the fake answered (0 when the client went away first)
   */
  public record Request(String method, String path, boolean hadToken, boolean validToken, int status) {}

  private final int port;
  private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fake-imds");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Long> tokens = new ConcurrentHashMap<>(); // token -> expiry (nanoTime)
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private volatile Instance instance;
  private volatile Duration delay = Duration.ZERO;
  private volatile int failStatus;
  private volatile boolean oversized;
  private volatile boolean garbage;
  private HttpServer server; // guarded by this; null while down

  private FakeImds(int port, Instance instance) throws IOException {
    this.instance = Objects.requireNonNull(instance, "instance");
    this.server = bind(port);
    this.port = server.getAddress().getPort();
  }

  /** Starts on a free loopback port. */
  public static FakeImds start(Instance instance) {
    return start(0, instance);
  }

  /** Starts on {@code port} (0 = any free one) of 127.0.0.1. */
  public static FakeImds start(int port, Instance instance) {
    try {
      return new FakeImds(port, instance);
    } catch (IOException e) {
      throw new UncheckedIOException("FakeImds cannot listen on 127.0.0.1:" + port, e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  // ---- knobs ----

  /** Replaces what is served, e.g. to attach another ENI mid-run. */
  public void instance(Instance newInstance) {
    this.instance = Objects.requireNonNull(newInstance, "instance");
  }

  /** Closes the listening socket: connections are refused until {@link #up()}. */
  public synchronized void down() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
  }

  /** Listens again on the same port. */
  public synchronized void up() {
    if (server == null) {
      try {
        server = bind(port);
      } catch (IOException e) {
        throw new UncheckedIOException("FakeImds cannot listen again on 127.0.0.1:" + port, e);
      }
    }
  }

  /** Waits this long before answering each request. */
  public void delay(Duration d) {
    this.delay = Objects.requireNonNull(d);
  }

  /** Answers every request with this status (e.g. 500); 0 restores normal service. */
  public void failWith(int status) {
    this.failStatus = status;
  }

  /** Metadata answers become 1 MiB long. */
  public void oversizedBodies(boolean on) {
    this.oversized = on;
  }

  /** Metadata answers become an HTML error page instead of metadata. */
  public void garbage(boolean on) {
    this.garbage = on;
  }

  /** Forgets every issued token, as if each had reached its TTL. */
  public void expireAllTokens() {
    tokens.clear();
  }

  // ---- what was asked ----

  /** Every request in arrival order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** How many requests (any method) asked for {@code path}. */
  public int count(String path) {
    AtomicInteger n = counts.get(path);
    return n == null ? 0 : n.get();
  }

  public void clearRequests() {
    requests.clear();
    counts.clear();
  }

  @Override
  public void close() {
    down();
    handlers.shutdownNow();
  }

  // ---- serving ----

  private HttpServer bind(int onPort) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
    s.setExecutor(handlers);
    s.createContext("/", this::handle);
    s.start();
    return s;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    String token = exchange.getRequestHeaders().getFirst(TOKEN_HEADER);
    boolean valid = token != null && isLive(token);
    counts.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
    boolean recorded = false;
    try (exchange) {
      pause();
      Answer answer = answer(exchange, method, path, valid);
      byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
      answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      // Recorded before the answer leaves: a client that has its answer must find its request in
      // requests() (recording afterwards raced the test's assertions).
      requests.add(new Request(method, path, token != null, valid, answer.status()));
      recorded = true;
      exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    } catch (IOException e) {
      // The client gave up (timeout tests): nothing to answer.
    } finally {
      if (!recorded) {
        requests.add(new Request(method, path, token != null, valid, 0));
      }
    }
  }

  private record Answer(int status, String body, Map<String, String> headers) {
    Answer(int status, String body) {
      this(status, body, Map.of());
    }
  }

  private Answer answer(HttpExchange exchange, String method, String path, boolean validToken) {
    if (exchange.getRequestHeaders().containsKey("X-Forwarded-For")) {
      return new Answer(403, "Forbidden");
    }
    if (failStatus != 0) {
      return new Answer(failStatus, "Injected failure");
    }
    if (path.equals(TOKEN_PATH)) {
      return tokenAnswer(exchange, method);
    }
    if (!method.equals("GET")) {
      return new Answer(405, "Method Not Allowed");
    }
    if (!validToken) {
      return new Answer(401, "Unauthorized");
    }
    if (garbage) {
      return new Answer(200, "<html><body>captive portal: please log in</body></html>");
    }
    String body = metadata(path);
    if (body == null) {
      return new Answer(404, "Not Found");
    }
    return new Answer(200, oversized ? "x".repeat(1 << 20) : body);
  }

  private Answer tokenAnswer(HttpExchange exchange, String method) {
    if (!method.equals("PUT")) {
      return new Answer(405, "Method Not Allowed");
    }
    String ttlText = exchange.getRequestHeaders().getFirst(TTL_HEADER);
    long ttl;
    try {
      ttl = ttlText == null ? -1 : Long.parseLong(ttlText.strip());
    } catch (NumberFormatException e) {
      ttl = -1;
    }
    if (ttl < 1 || ttl > 21_600) {
      return new Answer(400, "Bad Request");
    }
    String token = "AQAE" + UUID.randomUUID().toString().replace("-", "");
    tokens.put(token, System.nanoTime() + Duration.ofSeconds(ttl).toNanos());
    return new Answer(200, token, Map.of(TTL_HEADER, Long.toString(ttl)));
  }

  private boolean isLive(String token) {
    Long expiry = tokens.get(token);
    if (expiry == null) {
      return false;
    }
    if (System.nanoTime() - expiry >= 0) {
      tokens.remove(token);
      return false;
    }
    return true;
  }

  private void pause() {
    Duration d = delay;
    if (!d.isZero()) {
      try {
        Thread.sleep(d);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The answer EC2 gives at {@code path}, or null for 404. */
  private String metadata(String path) {
    Instance i = instance;
    switch (path) {
      case DOCUMENT_PATH:
        return identityDocument(i);
      case "/latest/meta-data/instance-id":
        return i.instanceId();
      case "/latest/meta-data/instance-type":
        return i.instanceType();
      case "/latest/meta-data/local-hostname":
        return i.hostname();
      case "/latest/meta-data/placement/region":
        return i.region();
      case "/latest/meta-data/placement/availability-zone":
        return i.availabilityZone();
      case "/latest/meta-data/mac":
        return i.enis().stream().filter(e -> e.deviceNumber() == 0).map(Eni::mac).findFirst().orElse(null);
      case MACS_PATH: {
        StringBuilder out = new StringBuilder();
        for (Eni e : i.enis()) {
          out.append(out.isEmpty() ? "" : "\n").append(e.mac()).append('/');
        }
        return out.toString();
      }
      default:
        break;
    }
    if (path.startsWith(MACS_PATH)) {
      String[] parts = path.substring(MACS_PATH.length()).split("/");
      if (parts.length == 2) {
        for (Eni e : i.enis()) {
          if (e.mac().equalsIgnoreCase(parts[0])) {
            return switch (parts[1]) {
              case "interface-id" -> e.eniId();
              case "device-number" -> Integer.toString(e.deviceNumber());
              case "mac" -> e.mac();
              default -> null;
            };
          }
        }
      }
    }
    return null;
  }

  /** The identity document as EC2 writes it (pretty-printed, with the fields we do not use). */
  static String identityDocument(Instance i) {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
      json.useDefaultPrettyPrinter();
      json.writeStartObject();
      json.writeStringField("accountId", i.accountId());
      json.writeStringField("architecture", "x86_64");
      json.writeStringField("availabilityZone", i.availabilityZone());
      json.writeNullField("billingProducts");
      json.writeNullField("devpayProductCodes");
      json.writeArrayFieldStart("marketplaceProductCodes");
      json.writeEndArray();
      json.writeStringField("imageId", "ami-0123456789abcdef0");
      json.writeStringField("instanceId", i.instanceId());
      json.writeStringField("instanceType", i.instanceType());
      json.writeNullField("kernelId");
      json.writeStringField("pendingTime", "2024-01-01T00:00:00Z");
      json.writeStringField("privateIp", "10.0.1.23");
      json.writeNullField("ramdiskId");
      json.writeStringField("region", i.region());
      json.writeStringField("version", "2017-09-30");
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  // ---- standalone ----

  /**
   * {@code --instance FILE} (JSON: instanceId, instanceType, region, availabilityZone, accountId,
   * hostname, enis: [{mac, eniId, deviceNumber}]; absent = {@link Instance#sample()}),
   * {@code --port N} (default 0 = free port), {@code --port-file FILE} (the port is written there,
   * atomically, once listening). Runs until the process is killed.
   */
  public static void main(String[] args) throws Exception {
    Path instanceFile = null;
    Path portFile = null;
    int port = 0;
    for (int a = 0; a < args.length; a++) {
      String flag = args[a];
      if (a + 1 >= args.length) {
        usage("missing value after " + flag);
      }
      String value = args[++a];
      switch (flag) {
        case "--instance" -> instanceFile = Path.of(value);
        case "--port-file" -> portFile = Path.of(value);
        case "--port" -> port = Integer.parseInt(value);
        default -> usage("unknown option " + flag);
      }
    }
    Instance instance = instanceFile == null ? Instance.sample() : readInstance(instanceFile);
    FakeImds imds = start(port, instance);
    Runtime.getRuntime().addShutdownHook(new Thread(imds::close));
    if (portFile != null) {
      Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
      Files.writeString(tmp, imds.port() + "\n");
      Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    System.out.println("FakeImds listening on " + imds.endpoint());
    new CountDownLatch(1).await();
  }

  private static void usage(String problem) {
    System.err.println("FakeImds: " + problem
        + "\nusage: FakeImds [--instance instance.json] [--port N] [--port-file FILE]");
    System.exit(2);
  }

  /** Reads an {@link Instance} from JSON; missing fields take {@link Instance#sample()}'s values. */
  public static Instance readInstance(Path file) throws IOException {
    Instance d = Instance.sample();
    String id = d.instanceId(), type = d.instanceType(), region = d.region(), az = d.availabilityZone();
    String account = d.accountId(), host = d.hostname();
    List<Eni> enis = d.enis();
    try (JsonParser p = new JsonFactory().createParser(file.toFile())) {
      expect(p, p.nextToken(), JsonToken.START_OBJECT, file);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        switch (name) {
          case "instanceId" -> id = p.getValueAsString();
          case "instanceType" -> type = p.getValueAsString();
          case "region" -> region = p.getValueAsString();
          case "availabilityZone" -> az = p.getValueAsString();
          case "accountId" -> account = p.getValueAsString();
          case "hostname" -> host = t == JsonToken.VALUE_NULL ? null : p.getValueAsString();
          case "enis" -> {
            expect(p, t, JsonToken.START_ARRAY, file);
            enis = new ArrayList<>();
            while (p.nextToken() == JsonToken.START_OBJECT) {
              String mac = null, eni = null;
              int dev = -1;
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                  case "mac" -> mac = p.getValueAsString();
                  case "eniId" -> eni = p.getValueAsString();
                  case "deviceNumber" -> dev = p.getValueAsInt(-1);
                  default -> throw new IOException(file + ": unknown ENI field '" + f + "' (expected mac, eniId, deviceNumber)");
                }
              }
              if (mac == null || eni == null || dev < 0) {
                throw new IOException(file + ": each ENI needs mac, eniId and deviceNumber >= 0");
              }
              enis.add(new Eni(mac, eni, dev));
            }
          }
          default -> throw new IOException(file + ": unknown field '" + name + "' (expected instanceId, instanceType,"
              + " region, availabilityZone, accountId, hostname, enis)");
        }
      }
    }
    return new Instance(id, type, region, az, account, host, enis);
  }

  private static void expect(JsonParser p, JsonToken got, JsonToken want, Path file) throws IOException {
    if (got != want) {
      throw new IOException(file + ":" + p.currentLocation().getLineNr() + ": expected " + want + ", got " + got);
    }
  }
}
