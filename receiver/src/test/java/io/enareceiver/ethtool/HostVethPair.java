package io.enareceiver.ethtool;

import io.enareceiver.testing.netns.NetnsFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A veth pair in this process's own network namespace, the one {@code /sys/class/net} shows (and
 * so a {@link KernelInterfaceTracker} on the real sysfs): ends {@code <stem>a<tag>} and
 * {@code <stem>b<tag>}, the tag taken from the pid so that two test JVMs never share a name.
 *
 * <p>The names are fixed when the pair is made, the links exist only from {@link #add()} to
 * {@link #delete()}: a test can build its selector first and create the links in the middle, to
 * see them appear. {@link #close()} deletes them if they are still there.
 */
final class HostVethPair implements AutoCloseable {
  private final String stem;
  private final long tag;
  private final String a;
  private final String b;

  private HostVethPair(String stem) {
    this.stem = stem;
    this.tag = ProcessHandle.current().pid();
    this.a = stem + "a" + tag;
    this.b = stem + "b" + tag;
  }

  /**
   * Names a pair without creating it, after checking the prerequisites like {@link NetnsFixture}
   * (root, ip, tc, ethtool: skips the test, or fails it under {@code -Dena.requireRoot=true}).
   *
   * @param stem a few letters that no other test uses, at most 7 (names are 15 bytes at most, a
   *     pid up to 7 digits)
   */
  static HostVethPair named(String stem) {
    NetnsFixture.create().close();
    return new HostVethPair(stem);
  }

  String a() {
    return a;
  }

  String b() {
    return b;
  }

  /** What both names start with. */
  String stem() {
    return stem;
  }

  /**
   * An include pattern for both ends and no other link: not even the same test's pair in another
   * JVM, which has another pid.
   */
  String pattern() {
    return stem + "?" + tag;
  }

  /** Creates the pair ({@code ip link add}); fails the test if it cannot. */
  HostVethPair add() {
    NetnsFixture.exec("ip", "link", "add", a, "type", "veth", "peer", "name", b);
    return this;
  }

  /** Deletes the pair (deleting one end deletes its peer); fails the test if it cannot. */
  void delete() {
    NetnsFixture.exec("ip", "link", "del", a);
  }

  /** The kernel's ifindex of end a, from sysfs. */
  int ifindexOfA() throws IOException {
    return Integer.parseInt(Files.readString(Path.of("/sys/class/net", a, "ifindex")).strip());
  }

  @Override
  public void close() {
    if (Files.exists(Path.of("/sys/class/net", a))) {
      NetnsFixture.run("ip", "link", "del", a);
    }
  }
}
