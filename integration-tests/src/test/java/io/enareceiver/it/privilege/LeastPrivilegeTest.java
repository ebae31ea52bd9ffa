package io.enareceiver.it.privilege;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.it.harness.FreePorts;
import io.enareceiver.it.harness.Prerequisites;
import io.enareceiver.it.harness.WorkDirs;
import io.enareceiver.testing.netns.NetnsFixture;
import io.enareceiver.testing.otlp.OtlpHttpTestReceiver;
import io.enareceiver.testing.otlp.ReceivedRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The built jar runs with least privilege: uid/gid 65534, no capabilities at all (effective,
 * permitted, inheritable, ambient, bounding), no_new_privs, a read-only working directory. It
 * still reads a real veth's statistics and exports them over OTLP; it listens on nothing but
 * the health endpoint on loopback; the OTLP token shows up neither in its output (even at debug
 * level) nor on the health endpoint; and it writes no file.
 *
 * <p>The veth pair lives in the test's own network namespace (so the jar reaches the in-test
 * OTLP receiver on 127.0.0.1) under names unique to this run, and is deleted afterwards.
 */
class LeastPrivilegeTest {
  private static final int NOBODY = 65534;
  private static final Duration EXPORT_WAIT = Duration.ofSeconds(40);

  private final String suffix = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
  private final String vethA = "enalp" + suffix + "a";
  private final String vethB = "enalp" + suffix + "b";
  private final String token = "tok-" + HexFormat.of().formatHex(randomBytes(16));
  private Path runDir;
  private Process receiver;

  @BeforeEach
  void checkPrerequisites() {
    NetnsFixture.create(); // root, ip, ethtool: skip with a reason, or fail under ena.requireRoot
    NetnsFixture.requireOrSkip(Files.isExecutable(Path.of("/usr/bin/setpriv")),
        "the least-privilege test runs the jar under setpriv (Debian: apt-get install -y util-linux)");
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (receiver != null && receiver.isAlive()) {
      receiver.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    NetnsFixture.run("ip", "link", "del", vethA);
    if (runDir != null) {
      try (var files = Files.walk(runDir)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Test
  void unprivilegedJarReadsVethStatisticsAndExportsThemWithoutListeningOrWriting() throws Exception {
    Path jar = Prerequisites.receiverJar();
    NetnsFixture.exec("ip", "link", "add", vethA, "type", "veth", "peer", "name", vethB);
    NetnsFixture.exec("ip", "link", "set", vethA, "up");
    NetnsFixture.exec("ip", "link", "set", vethB, "up");
    long peerIfindex = Long.parseLong(Files.readString(Path.of("/sys/class/net", vethB, "ifindex")).strip());

    try (OtlpHttpTestReceiver otlp = OtlpHttpTestReceiver.start()) {
      int healthPort = FreePorts.next();
      runDir = readOnlyRunDirectory(jar, config(otlp.endpoint(), healthPort));
      Path marker = Files.createTempFile("ena-least-privilege-", ".marker");
      try {
        receiver = startUnprivileged(runDir);
        long pid = receiver.pid();

        List<ReceivedRequest> received = otlp.awaitReceived(1, EXPORT_WAIT);
        assertThat(received.getFirst().header("authorization")).as("the configured OTLP header is sent")
            .isEqualTo("Bearer " + token);
        Optional<Long> exported = statValue(otlp.requests(), vethA, "peer_ifindex");
        assertThat(exported).as("ethtool.stat peer_ifindex of %s exported over OTLP", vethA)
            .contains(peerIfindex);
        assertThat(statValue(otlp.requests(), vethA, "rx_queue_0_xdp_packets"))
            .as("no XDP program runs on the new veth").contains(0L);

        assertThat(ProcStatus.read(pid)).satisfies(status -> {
          assertThat(status.field("Uid")).as("Uid").isEqualTo("65534\t65534\t65534\t65534");
          assertThat(status.field("Gid")).as("Gid").isEqualTo("65534\t65534\t65534\t65534");
          assertThat(status.field("Groups")).as("supplementary groups").isEmpty();
          for (String cap : List.of("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")) {
            assertThat(status.field(cap)).as(cap).isEqualTo("0000000000000000");
          }
          assertThat(status.field("NoNewPrivs")).as("NoNewPrivs").isEqualTo("1");
        });

        assertThat(ProcSockets.listening(pid)).as("listening TCP sockets of the receiver")
            .containsExactly("127.0.0.1:" + healthPort);
        assertThat(ProcSockets.boundUdp(pid)).as("bound UDP sockets of the receiver").isEmpty();

        for (String path : List.of("/healthz", "/readyz")) {
          String body = get("http://127.0.0.1:" + healthPort + path);
          assertThat(body).as(path).isNotBlank().doesNotContain(token);
        }

        receiver.destroy(); // SIGTERM: final export, then exit
        assertThat(receiver.waitFor(20, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
        String output = Files.readString(runOutput(), StandardCharsets.UTF_8);
        assertThat(output).as("receiver output (debug level)").isNotBlank().doesNotContain(token);

        assertThat(filesWrittenBy(NOBODY, marker, List.of(Path.of("/tmp"), Path.of("/var/tmp"),
            Path.of("/dev/shm"), runDir))).as("files uid 65534 wrote while the receiver ran").isEmpty();
        try (var files = Files.list(runDir)) {
          assertThat(files.map(p -> p.getFileName().toString()).toList())
              .as("the read-only working directory holds only what the test put there")
              .containsExactlyInAnyOrder("ena-receiver.jar", "config.yaml", "jvm.options");
        }
      } finally {
        Files.deleteIfExists(marker);
      }
    }
  }

  private String config(String otlpEndpoint, int healthPort) {
    return """
        receivers:
          ethtool:
            collection_interval: 1s
            sampling_interval: 1s
            interfaces:
              include: [%s]
              exclude: []
              drivers: []
            metrics:
              ethtool.stat: {enabled: true, include: ["*"]}
        exporters:
          otlp:
            endpoint: %s
            protocol: http/protobuf
            headers:
              authorization: "Bearer %s"
        service:
          pipelines:
            metrics: {receivers: [ethtool], exporters: [otlp]}
          telemetry:
            logs: {level: debug}
            health: {endpoint: "127.0.0.1:%d"}
        """.formatted(vethA, otlpEndpoint, token, healthPort);
  }

  /**
   * A root-owned directory, mode 0555, holding the jar, the config and the JVM options (0444): the
   * receiver can read everything there and write nothing. The receiver's output goes to a file
   * the test (root) writes beside it, outside that directory.
   */
  private static Path readOnlyRunDirectory(Path jar, String config) throws IOException {
    Path dir = Files.createTempDirectory(Files.createDirectories(WorkDirs.root()), "least-privilege-");
    Files.copy(jar, dir.resolve("ena-receiver.jar"), StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(dir.resolve("config.yaml"), config);
    Files.copy(WorkDirs.repositoryRoot().resolve("deploy/jvm.options"), dir.resolve("jvm.options"));
    for (String name : List.of("ena-receiver.jar", "config.yaml", "jvm.options")) {
      Files.setPosixFilePermissions(dir.resolve(name), PosixFilePermissions.fromString("r--r--r--"));
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
    // Every directory above must be searchable by uid 65534 to reach it.
    for (Path p = dir.getParent(); p != null; p = p.getParent()) {
      assertThat(Files.getPosixFilePermissions(p)).as("%s must be searchable by others", p)
          .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
    }
    return dir;
  }

  private Path runOutput() {
    return runDir.resolveSibling(runDir.getFileName() + ".out");
  }

  private Process startUnprivileged(Path dir) throws IOException {
    List<String> command = new ArrayList<>(List.of("setpriv",
        "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
        "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all", "--no-new-privs",
        Prerequisites.javaExecutable().toString(),
        "@jvm.options", "-jar", "ena-receiver.jar", "run", "--config", "config.yaml"));
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(runOutput().toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("OTEL_") || name.startsWith("JAVA_TOOL") || name.startsWith("JDK_JAVA"));
    env.put("AWS_EC2_METADATA_DISABLED", "true"); // never contact IMDS from a test
    env.put("HOME", "/nonexistent");
    return builder.start();
  }

  /** The last exported value of {@code ethtool.stat{ethtool.stat.name=stat}} for {@code iface}. */
  static Optional<Long> statValue(List<ExportMetricsServiceRequest> requests, String iface, String stat) {
    Long last = null;
    for (ExportMetricsServiceRequest request : requests) {
      for (ResourceMetrics rm : request.getResourceMetricsList()) {
        boolean resourceIsIface = has(rm.getResource().getAttributesList(), "network.interface.name", iface);
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          for (Metric metric : sm.getMetricsList()) {
            if (!metric.getName().equals("ethtool.stat")) {
              continue;
            }
            for (NumberDataPoint point : metric.getGauge().getDataPointsList()) {
              boolean isIface = resourceIsIface || has(point.getAttributesList(), "network.interface.name", iface);
              if (isIface && has(point.getAttributesList(), "ethtool.stat.name", stat)) {
                last = point.hasAsInt() ? point.getAsInt() : (long) point.getAsDouble();
              }
            }
          }
        }
      }
    }
    return Optional.ofNullable(last);
  }

  private static boolean has(List<KeyValue> attributes, String key, String value) {
    return attributes.stream().anyMatch(kv -> kv.getKey().equals(key) && kv.getValue().getStringValue().equals(value));
  }

  private static String get(String url) throws IOException, InterruptedException {
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      HttpResponse<String> response = client.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() + " " + response.body();
    }
  }

  /** Files owned by {@code uid} under {@code roots} modified after {@code marker}. */
  private static List<String> filesWrittenBy(int uid, Path marker, List<Path> roots) throws Exception {
    List<String> command = new ArrayList<>(List.of("find"));
    roots.stream().filter(Files::isDirectory).map(Path::toString).forEach(command::add);
    command.addAll(List.of("-xdev", "-user", Integer.toString(uid), "-newer", marker.toString(), "-print"));
    Process find = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(find.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    find.waitFor(30, TimeUnit.SECONDS);
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }

  /** The fields of /proc/PID/status. */
  record ProcStatus(Map<String, String> fields) {
    static ProcStatus read(long pid) throws IOException {
      Map<String, String> fields = new java.util.HashMap<>();
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
        }
      }
      return new ProcStatus(fields);
    }

    String field(String name) {
      return fields.getOrDefault(name, "<absent>");
    }
  }

  /** Sockets a process holds, from /proc/PID/net/{tcp,tcp6,udp,udp6} and its fds' inodes. */
  static final class ProcSockets {
    private static final String TCP_LISTEN = "0A";

    private ProcSockets() {}

    /** "address:port" of every TCP socket in LISTEN that the process holds. */
    static List<String> listening(long pid) throws IOException {
      return sockets(pid, "tcp", true);
    }

    /** "address:port" of every UDP socket bound to a port that the process holds. */
    static List<String> boundUdp(long pid) throws IOException {
      return sockets(pid, "udp", false);
    }

    private static List<String> sockets(long pid, String protocol, boolean listenOnly) throws IOException {
      Set<String> inodes = socketInodes(pid);
      List<String> out = new ArrayList<>();
      for (String table : List.of(protocol, protocol + "6")) {
        Path file = Path.of("/proc", Long.toString(pid), "net", table);
        if (!Files.exists(file)) {
          continue;
        }
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(1, lines.size())) {
          String[] f = line.strip().split("\\s+");
          String local = f[1];
          String state = f[3];
          String inode = f[9];
          int port = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
          boolean wanted = listenOnly ? state.equals(TCP_LISTEN) : port != 0;
          if (wanted && inodes.contains(inode)) {
            out.add(address(local.substring(0, local.indexOf(':'))) + ":" + port);
          }
        }
      }
      return out;
    }

    private static Set<String> socketInodes(long pid) throws IOException {
      Set<String> inodes = new java.util.HashSet<>();
      try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
        for (Path fd : fds.toList()) {
          try {
            String target = Files.readSymbolicLink(fd).toString();
            if (target.startsWith("socket:[")) {
              inodes.add(target.substring(8, target.length() - 1));
            }
          } catch (IOException closedMeanwhile) {
            // an fd closed between listing and reading is not a socket we care about
          }
        }
      }
      return inodes;
    }

    /** /proc/net hex address (host byte order per 32-bit word) to text. */
    private static String address(String hex) {
      byte[] raw = HexFormat.of().parseHex(hex);
      byte[] bytes = new byte[raw.length];
      for (int word = 0; word < raw.length; word += 4) {
        for (int i = 0; i < 4; i++) {
          bytes[word + i] = raw[word + 3 - i];
        }
      }
      try {
        return java.net.InetAddress.getByAddress(bytes).getHostAddress();
      } catch (java.net.UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
