package io.enareceiver.testing.netns;

import io.enareceiver.ethtool.NetNamespaces;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * Real kernel interfaces for tests: network namespaces created with {@code ip netns add}, veth
 * pairs across them, an ifb fed by a veth end's ingress, UDP traffic and {@code ethtool -S}
 * cross-checks. Everything lives inside namespaces named {@code enatest-<pid>-<n>} and goes away
 * with them in {@link #close()}, so tests never touch the host's own interfaces.
 *
 * <p>Needs root, {@code ip}, {@code tc} and {@code ethtool}. Without them {@link #create()}
 * skips the test with the reason, unless the system property {@code ena.requireRoot=true} (set
 * in CI), in which case it fails.
 *
 * <p>IPv6 is switched off in every namespace before interfaces are added, and the neighbour of
 * each veth end is a static entry, so the interfaces carry no traffic the test did not send (no
 * ARP, router or neighbour solicitation, MLD); counters then stand still between two reads.
 */
public final class NetnsFixture implements AutoCloseable {

  private static final String PREFIX = "enatest-";
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final Path NETNS_DIR = Path.of("/var/run/netns");

  private final List<Namespace> namespaces = new ArrayList<>();

  /** A network namespace created by this fixture. */
  public record Namespace(String name) {
    /** The bind-mounted namespace file {@code setns} accepts. */
    public Path file() {
      return NETNS_DIR.resolve(name);
    }
  }

  /**
   * A veth pair with one end in each namespace, both up, addressed {@code 10.213.0.1/30} and
   * {@code 10.213.0.2/30}, with static neighbour entries both ways.
   */
  public record VethPair(Namespace nsA, String devA, String addrA, Namespace nsB, String devB,
      String addrB) {}

  /** One line of {@code ethtool -S}: name and the decimal text of an unsigned 64-bit value. */
  public record EthtoolStat(String name, String value) {
    public long unsignedValue() {
      return Long.parseUnsignedLong(value);
    }
  }

  private NetnsFixture() {}

  /** Checks the prerequisites (skipping or failing the test, see class doc) and returns an empty fixture. */
  public static NetnsFixture create() {
    requireOrSkip(isRoot(), "network namespace tests need root (uid 0)");
    for (String tool : List.of("ip", "tc", "ethtool")) {
      requireOrSkip(onPath(tool), "network namespace tests need '" + tool + "' on PATH"
          + " (Debian: apt-get install -y iproute2 ethtool)");
    }
    // The JDK probes IPv6 support once, with the first socket it makes, for the whole JVM. Make
    // that socket here in the process's own namespace, not later inside a namespace whose IPv6
    // this fixture switched off.
    try {
      DatagramChannel.open().close();
    } catch (IOException e) {
      throw new IllegalStateException("cannot open a datagram socket: " + e, e);
    }
    removeStaleNamespaces();
    return new NetnsFixture();
  }

  /**
   * Skips the running test with {@code message} when {@code condition} is false, or fails it
   * when {@code ena.requireRoot=true}.
   */
  public static void requireOrSkip(boolean condition, String message) {
    if (condition) {
      return;
    }
    if (Boolean.getBoolean("ena.requireRoot")) {
      throw new AssertionError(message + " (ena.requireRoot=true: failing instead of skipping)");
    }
    Assumptions.assumeTrue(false, message);
  }

  /** Whether this process runs as root; reads the effective uid from /proc. */
  public static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          String[] fields = line.substring(4).trim().split("\\s+");
          return fields.length > 1 && fields[1].equals("0");
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  /** A new, empty namespace with loopback up and IPv6 off. */
  public Namespace namespace() {
    Namespace ns = new Namespace(PREFIX + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet());
    exec("ip", "netns", "add", ns.name());
    namespaces.add(ns);
    writeSysctl(ns, "net/ipv6/conf/all/disable_ipv6", "1");
    writeSysctl(ns, "net/ipv6/conf/default/disable_ipv6", "1");
    exec("ip", "-n", ns.name(), "link", "set", "lo", "up");
    return ns;
  }

  /**
   * Creates veth {@code devA} in {@code a} paired with {@code devB} in {@code b}, each with
   * {@code queues} rx and tx queues, addressed, up, with static neighbours.
   */
  public VethPair vethPair(Namespace a, String devA, Namespace b, String devB, int queues) {
    String q = Integer.toString(queues);
    exec("ip", "link", "add", devA, "netns", a.name(), "numrxqueues", q, "numtxqueues", q,
        "type", "veth", "peer", "name", devB, "netns", b.name(), "numrxqueues", q, "numtxqueues", q);
    VethPair pair = new VethPair(a, devA, "10.213.0.1", b, devB, "10.213.0.2");
    exec("ip", "-n", a.name(), "addr", "add", pair.addrA() + "/30", "dev", devA);
    exec("ip", "-n", b.name(), "addr", "add", pair.addrB() + "/30", "dev", devB);
    exec("ip", "-n", a.name(), "link", "set", devA, "up");
    exec("ip", "-n", b.name(), "link", "set", devB, "up");
    exec("ip", "-n", a.name(), "neigh", "replace", pair.addrB(), "lladdr", mac(b, devB),
        "dev", devA, "nud", "permanent");
    exec("ip", "-n", b.name(), "neigh", "replace", pair.addrA(), "lladdr", mac(a, devA),
        "dev", devB, "nud", "permanent");
    return pair;
  }

  /**
   * Creates ifb {@code ifbName} in {@code ns} and redirects every packet entering {@code dev}
   * (in the same namespace) to it. The kernel here has the u32 classifier and the mirred
   * action but not matchall, hence {@code u32 match u32 0 0}. Skips (or fails, see class doc)
   * when the ifb driver is not available, saying why.
   */
  public void ifbIngressOf(Namespace ns, String dev, String ifbName) {
    Result add = run("ip", "-n", ns.name(), "link", "add", ifbName, "type", "ifb");
    if (add.exit() != 0 && onPath("modprobe")) {
      // numifbs=0 loads the driver without creating ifb0/ifb1 in the host namespace.
      Result probe = run("modprobe", "ifb", "numifbs=0");
      add = run("ip", "-n", ns.name(), "link", "add", ifbName, "type", "ifb");
      if (add.exit() != 0) {
        add = new Result(add.exit(), add.output() + "\nmodprobe ifb: " + probe.output());
      }
    }
    requireOrSkip(add.exit() == 0, "cannot create an ifb device (is the ifb module available?"
        + " modprobe ifb numifbs=0): " + add.output().strip());
    exec("ip", "-n", ns.name(), "link", "set", ifbName, "up");
    exec("tc", "-n", ns.name(), "qdisc", "add", "dev", dev, "ingress");
    exec("tc", "-n", ns.name(), "filter", "add", "dev", dev, "parent", "ffff:", "protocol", "all",
        "u32", "match", "u32", "0", "0", "action", "mirred", "egress", "redirect", "dev", ifbName);
  }

  /**
   * Sends {@code count} small UDP datagrams from inside {@code from} to {@code toAddress}:9,
   * through a socket created on this (platform) thread while it is in that namespace.
   */
  public void sendUdp(Namespace from, String toAddress, int count) {
    try {
      DatagramChannel channel = NetNamespaces.callIn(from.file(),
          () -> DatagramChannel.open(StandardProtocolFamily.INET));
      try (channel) {
        InetSocketAddress target = new InetSocketAddress(toAddress, 9);
        ByteBuffer payload = ByteBuffer.wrap("ena-receiver test".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < count; i++) {
          payload.rewind();
          if (channel.send(payload, target) == 0) {
            throw new IllegalStateException("datagram " + i + " to " + target + " was not sent");
          }
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("sending " + count + " datagrams from " + from.name()
          + " to " + toAddress + " failed: " + e, e);
    }
  }

  /** Runs {@code ethtool -S dev} inside {@code ns} and parses it (split at the last ": "). */
  public List<EthtoolStat> ethtoolStats(Namespace ns, String dev) {
    String out = exec("ip", "netns", "exec", ns.name(), "ethtool", "-S", dev);
    List<EthtoolStat> stats = new ArrayList<>();
    for (String line : out.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.equals("NIC statistics:")) {
        continue;
      }
      int colon = trimmed.lastIndexOf(": ");
      if (colon < 0) {
        throw new IllegalStateException("unexpected ethtool -S line for " + dev + ": " + line);
      }
      stats.add(new EthtoolStat(trimmed.substring(0, colon), trimmed.substring(colon + 2)));
    }
    return stats;
  }

  /** Runs a command inside {@code ns} ({@code ip netns exec}); fails on a non-zero exit. */
  public String execIn(Namespace ns, String... command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns.name()));
    full.addAll(Arrays.asList(command));
    return exec(full.toArray(String[]::new));
  }

  /** The MAC address of {@code dev} in {@code ns}. */
  public String mac(Namespace ns, String dev) {
    return execIn(ns, "cat", "/sys/class/net/" + dev + "/address").strip();
  }

  /** Deletes every namespace this fixture created (and with them their interfaces). */
  @Override
  public void close() {
    List<String> failures = new ArrayList<>();
    for (Namespace ns : namespaces.reversed()) {
      Result r = run("ip", "netns", "del", ns.name());
      if (r.exit() != 0) {
        failures.add(ns.name() + ": " + r.output().strip());
      }
    }
    namespaces.clear();
    if (!failures.isEmpty()) {
      throw new IllegalStateException("could not delete test namespaces: " + failures);
    }
  }

  /** Runs a command on the host, failing with its output when it exits non-zero. */
  public static String exec(String... command) {
    Result r = run(command);
    if (r.exit() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with " + r.exit()
          + ": " + r.output().strip());
    }
    return r.output();
  }

  /** Exit status and combined output of a command. */
  public record Result(int exit, String output) {}

  /**
   * Runs a command, waiting at most 30 s, and returns exit status and combined output. Output
   * goes to a temporary file so a command that hangs cannot block the read.
   */
  public static Result run(String... command) {
    String[] resolved = command.clone();
    resolved[0] = resolve(command[0]);
    Path out = null;
    try {
      out = Files.createTempFile("netns-fixture", ".out");
      Process p = new ProcessBuilder(resolved).redirectErrorStream(true)
          .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, String.join(" ", command) + " did not finish within 30 s");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-1, "cannot run " + command[0] + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted while running " + String.join(" ", command));
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException ignored) {
          // a temp file left behind is harmless
        }
      }
    }
  }

  private static void writeSysctl(Namespace ns, String key, String value) {
    exec("ip", "netns", "exec", ns.name(), "sh", "-c", "echo " + value + " > /proc/sys/" + key);
  }

  private static boolean onPath(String tool) {
    return !resolve(tool).equals(tool);
  }

  /** Absolute path of {@code tool} from PATH plus the sbin directories, or {@code tool} itself. */
  private static String resolve(String tool) {
    if (tool.contains("/")) {
      return tool;
    }
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return Path.of(dir, tool).toString();
      }
    }
    return tool;
  }

  /** Deletes namespaces left by test JVMs that died before cleaning up (their pid is gone). */
  private static void removeStaleNamespaces() {
    Result list = run("ip", "netns", "list");
    if (list.exit() != 0) {
      return;
    }
    for (String line : list.output().split("\n")) {
      String name = line.strip().split("\\s+")[0];
      if (!name.startsWith(PREFIX)) {
        continue;
      }
      String[] parts = name.substring(PREFIX.length()).split("-");
      try {
        long pid = Long.parseLong(parts[0]);
        if (ProcessHandle.of(pid).isEmpty()) {
          run("ip", "netns", "del", name);
        }
      } catch (NumberFormatException e) {
        // not one of ours after all
      }
    }
  }
}
