package io.enareceiver.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real kernel interfaces for the read-path benchmarks: {@code pairs} veth pairs in the current
 * network namespace, named {@code jb<pid>a<i>} / {@code jb<pid>b<i>} so that they cannot clash with
 * anything else on the host, and deleted again by {@link #close()} (deleting one end deletes its
 * peer). Needs root and {@code ip} (iproute2).
 */
final class BenchVeths implements AutoCloseable {
  private final String prefix;
  private final List<String> names = new ArrayList<>();

  private BenchVeths(String prefix) {
    this.prefix = prefix;
  }

  /** Creates {@code pairs} pairs, both ends up: {@code 2 * pairs} interfaces. */
  static BenchVeths create(int pairs) throws IOException, InterruptedException {
    // 15 characters at most: "jb" + up to 7 pid digits + "a" + 2 digits = 12.
    BenchVeths veths = new BenchVeths("jb" + (ProcessHandle.current().pid() % 10_000_000));
    try {
      for (int i = 0; i < pairs; i++) {
        String a = String.format("%sa%02d", veths.prefix, i);
        String b = String.format("%sb%02d", veths.prefix, i);
        ip("link", "add", a, "type", "veth", "peer", "name", b);
        veths.names.add(a);
        veths.names.add(b);
        ip("link", "set", a, "up");
        ip("link", "set", b, "up");
      }
    } catch (IOException | RuntimeException e) {
      veths.close();
      throw e;
    }
    return veths;
  }

  /** The glob that selects exactly these interfaces. */
  String glob() {
    return prefix + "*";
  }

  List<String> names() {
    return List.copyOf(names);
  }

  @Override
  public void close() {
    for (String name : names) {
      if (name.contains(prefix + "a")) {
        try {
          ip("link", "del", name);
        } catch (IOException | InterruptedException e) {
          System.err.println("BenchVeths: cannot delete " + name + ": " + e.getMessage());
        }
      }
    }
    names.clear();
  }

  private static void ip(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("ip");
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed (root and iproute2 needed): " + out.strip());
    }
  }
}
