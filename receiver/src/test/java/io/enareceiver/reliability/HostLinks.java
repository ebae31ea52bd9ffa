package io.enareceiver.reliability;

import io.enareceiver.testing.netns.NetnsFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Links in the test process's own network namespace, which is what {@code /sys/class/net} (and
 * so {@code KernelInterfaceTracker}) shows. Every name starts with a prefix unique to this JVM
 * and instance, so the host's own interfaces are never touched; {@link #close()} deletes
 * whatever is left with that prefix. Many links at once go through {@code ip -batch}.
 *
 * <p>Checks its prerequisites like {@link NetnsFixture} (skip with the reason, or fail under
 * {@code -Dena.requireRoot=true}).
 */
final class HostLinks implements AutoCloseable {
  private final String prefix;

  /** @param tag one or two letters telling tests apart in {@code ip link} listings */
  HostLinks(String tag) {
    NetnsFixture.create().close(); // root, ip, tc, ethtool; else skip or fail
    // "r" + tag + pid in base 36: at most 8 characters, leaving 7 of the 15 for the test.
    this.prefix = "r" + tag + Long.toString(ProcessHandle.current().pid(), 36);
    close(); // a previous run of this pid (unlikely) left links behind
  }

  String prefix() {
    return prefix;
  }

  /** Runs {@code ip -batch} over these lines (each an ip command without the leading "ip"). */
  static void batch(List<String> lines) {
    if (lines.isEmpty()) {
      return;
    }
    try {
      Path file = Files.createTempFile("ip-batch", ".txt");
      try {
        Files.write(file, lines);
        NetnsFixture.exec("ip", "-batch", file.toString());
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates veth pairs {@code <prefix><stem><i>a} / {@code ...b} for each i; returns the a-names. */
  List<String> addVethPairs(String stem, int from, int count) {
    List<String> lines = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      String a = prefix + stem + i + "a";
      names.add(a);
      lines.add("link add " + a + " type veth peer name " + prefix + stem + i + "b");
    }
    batch(lines);
    return names;
  }

  /** Deletes links by name (deleting one end of a veth pair deletes both). */
  static void delete(List<String> names) {
    batch(names.stream().map(n -> "link del " + n).toList());
  }

  /** Names of links that start with the prefix, as the kernel lists them now. */
  List<String> existing() {
    String[] all = new java.io.File("/sys/class/net").list();
    List<String> mine = new ArrayList<>();
    if (all != null) {
      for (String n : all) {
        if (n.startsWith(prefix)) {
          mine.add(n);
        }
      }
    }
    return mine;
  }

  @Override
  public void close() {
    // Deleting a veth end deletes its peer: ignore "cannot find device" for the peers.
    for (String n : existing()) {
      NetnsFixture.run("ip", "link", "del", n);
    }
  }
}
