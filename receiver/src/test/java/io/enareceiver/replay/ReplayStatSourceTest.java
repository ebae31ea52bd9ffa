package io.enareceiver.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.enareceiver.ena.Capture;
import io.enareceiver.ena.CaptureException;
import io.enareceiver.ena.CaptureParser;
import io.enareceiver.ethtool.EthtoolException;
import io.enareceiver.ethtool.NetInterface;
import io.enareceiver.ethtool.StatSnapshot;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayStatSourceTest {

  private static final NetInterface IFACE = ReplayStatSource.replayInterface("eth9", "0a:00:00:00:00:09", "ena");

  private static Capture capture(String text) throws CaptureException {
    return CaptureParser.parse(text, "inline");
  }

  private static List<Capture> threeCaptures() throws CaptureException {
    return List.of(capture("a: 1\nb: 10\n"), capture("a: 2\nb: 20\n"), capture("a: 3\nb: 30\n"));
  }

  private static long[] readValues(ReplayStatSource source, StatSnapshot snap, int times) throws EthtoolException {
    long[] firstValues = new long[times];
    for (int i = 0; i < times; i++) {
      source.read(snap);
      firstValues[i] = snap.values()[0];
    }
    return firstValues;
  }

  @Test
  void interfaceIsSimulatedAndUp() {
    assertThat(IFACE).isEqualTo(new NetInterface("eth9", 0, "0a:00:00:00:00:09", "ena", "up"));
  }

  @Test
  void loopStartsOverAfterTheLastCapture() throws Exception {
    var source = new ReplayStatSource(IFACE, threeCaptures(), true);

    assertThat(readValues(source, new StatSnapshot(), 7)).containsExactly(1, 2, 3, 1, 2, 3, 1);
  }

  @Test
  void withoutLoopTheLastCaptureIsHeld() throws Exception {
    var source = new ReplayStatSource(IFACE, threeCaptures(), false);
    StatSnapshot snap = new StatSnapshot();

    assertThat(readValues(source, snap, 6)).containsExactly(1, 2, 3, 3, 3, 3);
    assertThat(snap.values()[snap.indexOf("b")]).isEqualTo(30);
    assertThat(source.nextIndex()).isEqualTo(2);
  }

  @Test
  void sameNamesKeepTheGenerationAndTheArray() throws Exception {
    var source = new ReplayStatSource(IFACE, threeCaptures(), true);
    StatSnapshot snap = new StatSnapshot();

    source.read(snap);
    long generation = snap.namesGeneration();
    String[] names = snap.names();
    source.read(snap);
    source.read(snap);
    source.read(snap);

    assertThat(snap.namesGeneration()).isEqualTo(generation);
    assertThat(snap.names()).isSameAs(names);
    assertThat(snap.count()).isEqualTo(2);
  }

  @Test
  void changedNamesBumpTheGeneration() throws Exception {
    // Like `ethtool -L` going from 1 to 2 queues and back.
    var source = new ReplayStatSource(IFACE, List.of(
        capture("queue_0_tx_cnt: 5\n"),
        capture("queue_0_tx_cnt: 6\nqueue_1_tx_cnt: 1\n"),
        capture("queue_0_tx_cnt: 7\nqueue_1_tx_cnt: 2\n"),
        capture("queue_0_tx_cnt: 8\n")), false);
    StatSnapshot snap = new StatSnapshot();
    long[] generations = new long[4];
    int[] counts = new int[4];

    for (int i = 0; i < 4; i++) {
      source.read(snap);
      generations[i] = snap.namesGeneration();
      counts[i] = snap.count();
    }

    assertThat(counts).containsExactly(1, 2, 2, 1);
    assertThat(generations[1]).isGreaterThan(generations[0]);
    assertThat(generations[2]).isEqualTo(generations[1]);
    assertThat(generations[3]).isGreaterThan(generations[2]);
    assertThat(snap.values()[0]).isEqualTo(8);
  }

  @Test
  void capturesWithEqualNameListsShareOneArray() throws Exception {
    var source = new ReplayStatSource(IFACE, List.of(
        capture("a: 1\n"), capture("b: 1\n"), capture("a: 2\n")), true);
    StatSnapshot snap = new StatSnapshot();

    source.read(snap);
    String[] first = snap.names();
    source.read(snap);
    source.read(snap);

    assertThat(snap.names()).isSameAs(first);
    assertThat(snap.namesGeneration()).isEqualTo(3);
  }

  @Test
  void everyReadIsStampedWithTheClock() throws Exception {
    AtomicLong clock = new AtomicLong(1_000);
    var source = new ReplayStatSource(IFACE, threeCaptures(), true, () -> clock.getAndAdd(1_000_000_000L));
    StatSnapshot snap = new StatSnapshot();

    source.read(snap);
    assertThat(snap.epochNanos()).isEqualTo(1_000);
    source.read(snap);
    assertThat(snap.epochNanos()).isEqualTo(1_000_001_000L);
  }

  @Test
  void badCaptureFailsAtConstructionNamingTheFile(@TempDir Path dir) throws Exception {
    Path good = Files.writeString(dir.resolve("001.txt"), "NIC statistics:\n     a: 1\n");
    Path bad = Files.writeString(dir.resolve("002.txt"), "# only a comment\n");

    assertThatThrownBy(() -> ReplayStatSource.open("eth0", "", "ena", dir + "/*.txt", List.of(good, bad), true))
        .isInstanceOf(CaptureException.class)
        .hasMessageStartingWith(bad + ": ")
        .hasMessageContaining("no statistics");
  }

  @Test
  void noFilesIsAnErrorNamingTheSpec() {
    assertThatThrownBy(() -> ReplayStatSource.open("eth0", "", "ena", "/captures/*.txt", List.of(), true))
        .isInstanceOf(CaptureException.class)
        .hasMessageStartingWith("/captures/*.txt: no capture files match")
        .hasMessageContaining("builtin:NAME (built-in: dns-throttling)");
  }

  @Test
  void filesPlayInTheGivenOrder(@TempDir Path dir) throws Exception {
    Path a = Files.writeString(dir.resolve("a.txt"), "x: 5\n");
    Path b = Files.writeString(dir.resolve("b.txt"), "x: 9\n");
    var source = ReplayStatSource.open("eth3", "0a:bb:cc:dd:ee:ff", "ena", dir.toString(), List.of(b, a), false);

    assertThat(readValues(source, new StatSnapshot(), 3)).containsExactly(9, 5, 5);
    assertThat(source.iface().name()).isEqualTo("eth3");
    assertThat(source.iface().mac()).isEqualTo("0a:bb:cc:dd:ee:ff");
  }

  @Test
  void readingAfterCloseIsAnError() throws Exception {
    var source = new ReplayStatSource(IFACE, threeCaptures(), true);
    source.close();

    assertThatThrownBy(() -> source.read(new StatSnapshot()))
        .isInstanceOf(EthtoolException.class)
        .hasMessageContaining("eth9 is closed");
  }

  @Test
  void steadyStateReadAllocatesNothing() throws Exception {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported()
        && threads.isThreadAllocatedMemoryEnabled(), "this JVM cannot measure per-thread allocation");
    Scenario scenario = ReplayScenarios.loadBuiltin("dns-throttling");
    var source = ReplayStatSource.ofScenario(scenario, true);
    StatSnapshot snap = new StatSnapshot();
    for (int i = 0; i < 20_000; i++) { // warm up: first read installs names, JIT compiles read()
      source.read(snap);
    }
    long generation = snap.namesGeneration();
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 100_000; i++) {
      source.read(snap);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    // One allocation per read, even a 16-byte object, would be >= 1.6 MB over 100 000 reads.
    // The bound leaves room only for the measurement itself (about 600 bytes seen) and the
    // occasional JIT or MXBean bookkeeping, so it stays far below a per-read cost.
    assertThat(allocated).as("bytes allocated by 100000 reads").isLessThan(64 * 1024);
    assertThat(snap.namesGeneration()).isEqualTo(generation);
    assertThat(snap.count()).isEqualTo(91);
  }
}
