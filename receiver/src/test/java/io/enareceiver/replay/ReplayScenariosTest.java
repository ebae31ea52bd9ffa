package io.enareceiver.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.enareceiver.ena.Capture;
import io.enareceiver.ena.CaptureException;
import io.enareceiver.ena.CaptureParser;
import io.enareceiver.ena.StatCatalog;
import io.enareceiver.ena.StatClassification;
import io.enareceiver.ethtool.NetInterface;
import io.enareceiver.ethtool.StatSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReplayScenariosTest {

  /** What README.md of the scenario promises; the end-to-end tests rely on the same numbers. */
  private static final long DOCUMENTED_TOTAL = 9085;
  private static final int DOCUMENTED_RISING_SECONDS = 20;
  private static final long DOCUMENTED_PEAK = 900;

  private static Scenario scenario;

  @BeforeAll
  static void load() throws CaptureException {
    scenario = ReplayScenarios.loadBuiltin("dns-throttling");
  }

  private static long[] series(String stat) {
    return scenario.captures().stream().mapToLong(c -> c.value(stat)).toArray();
  }

  private static List<Long> increases(String stat) {
    long[] v = series(stat);
    List<Long> out = new ArrayList<>();
    for (int i = 1; i < v.length; i++) {
      out.add(v[i] - v[i - 1]);
    }
    return out;
  }

  @Test
  void builtinScenarioDescribesItsInterface() {
    assertThat(scenario.iface()).isEqualTo(new NetInterface("eth0", 0, "0a:1b:2c:3d:4e:5f", "ena", "up"));
    assertThat(scenario.captures()).hasSize(60);
    assertThat(ReplayScenarios.builtinNames()).contains("dns-throttling");
  }

  @Test
  void linklocalIncreasesMatchTheDocumentedTotals() throws IOException {
    List<Long> inc = increases("linklocal_allowance_exceeded");
    long total = inc.stream().mapToLong(Long::longValue).sum();
    long rising = inc.stream().filter(d -> d > 0).count();

    assertThat(inc).allSatisfy(d -> assertThat(d).isNotNegative());
    assertThat(total).isEqualTo(DOCUMENTED_TOTAL);
    assertThat(rising).isEqualTo(DOCUMENTED_RISING_SECONDS);
    assertThat(inc.stream().mapToLong(Long::longValue).max().orElseThrow()).isEqualTo(DOCUMENTED_PEAK);
    // 15 flat seconds first, then the burst in consecutive seconds 16..35, then flat.
    assertThat(inc.subList(0, 15)).containsOnly(0L);
    assertThat(inc.subList(15, 35)).allSatisfy(d -> assertThat(d).isBetween(40L, 900L));
    assertThat(inc.subList(35, 59)).containsOnly(0L);

    // Whitespace-normalised so the README may wrap its lines anywhere.
    String readme = resource("/scenarios/dns-throttling/README.md").replaceAll("\\s+", " ");
    assertThat(readme).contains("total increase: **" + DOCUMENTED_TOTAL + "** packets; seconds that rose: **"
        + DOCUMENTED_RISING_SECONDS + "**; highest per-second increase: **" + DOCUMENTED_PEAK + "**");
    assertThat(readme).contains(joinIncreases(inc.subList(15, 35)));
  }

  @Test
  void otherAllowancesStayZeroAndTrafficGrows() {
    for (String stat : List.of("bw_in_allowance_exceeded", "bw_out_allowance_exceeded", "pps_allowance_exceeded",
        "conntrack_allowance_exceeded")) {
      assertThat(series(stat)).as(stat).containsOnly(0L);
    }
    for (String stat : List.of("queue_0_tx_cnt", "queue_1_tx_cnt", "queue_0_rx_bytes", "queue_1_rx_bytes",
        "ena_admin_q_submitted_cmd")) {
      assertThat(increases(stat)).as(stat).allSatisfy(d -> assertThat(d).isPositive());
    }
  }

  @Test
  void everyCaptureKeepsTheRealNamesAndUnchangedValues() throws Exception {
    Capture real = CaptureParser.parse(testCapture("ena-2.x-kernel5.4-2queues-qmar1.txt"));
    Capture first = scenario.captures().getFirst();

    assertThat(scenario.captures()).allSatisfy(c -> {
      assertThat(c.names()).isEqualTo(real.names());
      assertThat(c.skipped()).isEmpty();
      assertThat(c.value("tx_timeout")).isEqualTo(real.value("tx_timeout"));
      assertThat(c.value("interface_up")).isEqualTo(real.value("interface_up"));
      assertThat(c.value("queue_1_rx_csum_good")).isEqualTo(real.value("queue_1_rx_csum_good"));
    });
    assertThat(first).usingRecursiveComparison().comparingOnlyFields("names").isEqualTo(real);
    assertThat(first.values()).containsExactly(real.values());
  }

  @Test
  void captureHeadersNameTheSourceAndTheEdits() throws IOException {
    String text = resource("/scenarios/dns-throttling/016.txt");

    assertThat(text).contains("# source: GitHub qmar1/packet_drop_linux");
    assertThat(text).contains("# changed values (why: simulate a DNS-throttling episode on real ENA names): "
        + "linklocal_allowance_exceeded;");
  }

  @Test
  void scenarioIsAnEnaWithAllowancesButNoConntrackGauge() {
    Capture c = scenario.captures().getFirst();
    StatClassification k = StatCatalog.classify(scenario.driver(), c.names());

    assertThat(k.hasAllowanceStats()).isTrue();
    assertThat(k.hasConntrackAvailable()).isFalse();
  }

  @Test
  void replayOfTheScenarioKeepsOneNamesGenerationAndHoldsTheEnd() throws Exception {
    var source = ReplayStatSource.open("eth0", "0a:1b:2c:3d:4e:5f", "ena", "builtin:dns-throttling", List.of(), false);
    StatSnapshot snap = new StatSnapshot();
    int linklocal = -1;
    long generation = -1;
    for (int i = 0; i < 70; i++) {
      source.read(snap);
      if (i == 0) {
        linklocal = snap.indexOf("linklocal_allowance_exceeded");
        generation = snap.namesGeneration();
      }
    }

    assertThat(snap.namesGeneration()).isEqualTo(generation);
    assertThat(snap.values()[linklocal]).isEqualTo(DOCUMENTED_TOTAL);
  }

  @Test
  void unknownScenarioListsTheKnownOnes() {
    assertThatThrownBy(() -> ReplayScenarios.load("builtin:nope", List.of()))
        .isInstanceOf(CaptureException.class)
        .hasMessage("builtin:nope: no built-in scenario 'nope'; built-in scenarios: dns-throttling");
    assertThatThrownBy(() -> ReplayScenarios.load("builtin:../scenarios", List.of()))
        .isInstanceOf(CaptureException.class)
        .hasMessageContaining("no built-in scenario '../scenarios'");
  }

  private static String joinIncreases(List<Long> inc) {
    return String.join(", ", inc.stream().map(String::valueOf).toList());
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = ReplayScenariosTest.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Path testCapture(String name) throws URISyntaxException {
    return Path.of(ReplayScenariosTest.class.getResource("/captures/" + name).toURI());
  }
}
