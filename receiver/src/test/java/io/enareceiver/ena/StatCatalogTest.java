package io.enareceiver.ena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.enareceiver.config.KnownMetrics;
import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatCatalogTest {

  private static StatClassification classify(String file) throws CaptureException {
    Capture c = Captures.parse(file);
    return StatCatalog.classify(c.driver(), c.names());
  }

  private static StatClass byName(StatClassification k, String name) {
    return k.all().stream().filter(c -> c.statName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void ena2xAllowanceCountersFeedTheAllowanceMetric() throws Exception {
    StatClassification k = classify(Captures.ENA_2X);

    assertThat(k.group(StatGroup.ALLOWANCE))
        .extracting(StatClass::statName, StatClass::metric, StatClass::kind, StatClass::unit,
            c -> c.attributes().get(EnaAttributes.ALLOWANCE))
        .containsExactly(
            tuple("bw_in_allowance_exceeded", KnownMetrics.ALLOWANCE_EXCEEDED, StatKind.COUNTER, "{packet}", "bw_in"),
            tuple("bw_out_allowance_exceeded", KnownMetrics.ALLOWANCE_EXCEEDED, StatKind.COUNTER, "{packet}", "bw_out"),
            tuple("pps_allowance_exceeded", KnownMetrics.ALLOWANCE_EXCEEDED, StatKind.COUNTER, "{packet}", "pps"),
            tuple("conntrack_allowance_exceeded", KnownMetrics.ALLOWANCE_EXCEEDED, StatKind.COUNTER, "{packet}", "conntrack"),
            tuple("linklocal_allowance_exceeded", KnownMetrics.ALLOWANCE_EXCEEDED, StatKind.COUNTER, "{packet}", "linklocal"));
    assertThat(k.hasAllowanceStats()).isTrue();
    assertThat(k.hasConntrackAvailable()).isFalse();
    assertThat(k.hasSrdStats()).isFalse();
  }

  @Test
  void publicAllowanceListIsInTheDocumentedOrderWhichIsTheDriversOrder() throws Exception {
    assertThat(StatCatalog.ALLOWANCE_STATS).containsExactly(
        "bw_in_allowance_exceeded", "bw_out_allowance_exceeded", "pps_allowance_exceeded",
        "conntrack_allowance_exceeded", "linklocal_allowance_exceeded");
    // A real ENA capture lists them in the same order.
    assertThat(classify(Captures.ENA_2X).group(StatGroup.ALLOWANCE)).extracting(StatClass::statName)
        .containsExactlyElementsOf(StatCatalog.ALLOWANCE_STATS);

    List<String> names = new ArrayList<>(StatCatalog.ALLOWANCE_STATS);
    names.add(StatCatalog.CONNTRACK_AVAILABLE_STAT);
    StatClassification k = StatCatalog.classify(StatCatalog.ENA_DRIVER, names);
    assertThat(k.group(StatGroup.ALLOWANCE)).extracting(c -> c.attributes().get(EnaAttributes.ALLOWANCE))
        .containsExactly("bw_in", "bw_out", "pps", "conntrack", "linklocal");
    assertThat(k.group(StatGroup.CONNTRACK_AVAILABLE)).extracting(StatClass::statName)
        .containsExactly(StatCatalog.CONNTRACK_AVAILABLE_STAT);
  }

  @Test
  void ena2xDeviceEventsQueuesAndGenericAccountForEveryStat() throws Exception {
    StatClassification k = classify(Captures.ENA_2X);

    assertThat(k.group(StatGroup.DEVICE_EVENT)).extracting(StatClass::statName).containsExactly(
        "tx_timeout", "suspend", "resume", "wd_expired", "interface_up", "interface_down", "admin_q_pause");
    assertThat(byName(k, "interface_up"))
        .returns(KnownMetrics.DEVICE_EVENTS, StatClass::metric)
        .returns(StatKind.COUNTER, StatClass::kind)
        .returns("{event}", StatClass::unit)
        .returns(Attributes.of(EnaAttributes.EVENT, "interface_up"), StatClass::attributes);

    // 2 queues x 4 packet/byte counters; the other 31 queue stats per queue and ena_admin_q_* are generic.
    assertThat(k.group(StatGroup.QUEUE)).hasSize(8);
    Map<StatGroup, Long> counts = k.all().stream()
        .collect(Collectors.groupingBy(StatClass::group, Collectors.counting()));
    assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of(
        StatGroup.ALLOWANCE, 5L, StatGroup.DEVICE_EVENT, 7L, StatGroup.QUEUE, 8L, StatGroup.GENERIC, 71L));
    assertThat(byName(k, "ena_admin_q_submitted_cmd"))
        .returns(StatGroup.GENERIC, StatClass::group)
        .returns(KnownMetrics.ETHTOOL_STAT, StatClass::metric)
        .returns(StatKind.GAUGE, StatClass::kind)
        .returns("{value}", StatClass::unit)
        .returns(Attributes.of(EnaAttributes.STAT_NAME, "ena_admin_q_submitted_cmd"), StatClass::attributes);
    assertThat(byName(k, "queue_0_tx_doorbells").group()).isEqualTo(StatGroup.GENERIC);
  }

  @Test
  void queueCountersCarryQueueNumberAndDirection() throws Exception {
    StatClassification k = classify(Captures.ENA_1X);

    assertThat(byName(k, "queue_3_rx_bytes"))
        .returns(KnownMetrics.QUEUE_BYTES, StatClass::metric)
        .returns("By", StatClass::unit)
        .returns(StatKind.COUNTER, StatClass::kind)
        .returns(Attributes.of(EnaAttributes.QUEUE, 3L, EnaAttributes.DIRECTION, "receive"), StatClass::attributes);
    assertThat(byName(k, "queue_0_tx_cnt"))
        .returns(KnownMetrics.QUEUE_PACKETS, StatClass::metric)
        .returns("{packet}", StatClass::unit)
        .returns(Attributes.of(EnaAttributes.QUEUE, 0L, EnaAttributes.DIRECTION, "transmit"), StatClass::attributes);
    assertThat(k.group(StatGroup.QUEUE)).hasSize(16);
  }

  @Test
  void ena1xHasOldEventNamesAndExplainsMissingAllowances() throws Exception {
    StatClassification k = classify(Captures.ENA_1X);

    assertThat(k.group(StatGroup.DEVICE_EVENT)).extracting(StatClass::statName).containsExactly(
        "tx_timeout", "io_suspend", "io_resume", "wd_expired", "interface_up", "interface_down", "admin_q_pause");
    assertThat(k.hasAllowanceStats()).isFalse();
    assertThat(k.group(StatGroup.ALLOWANCE)).isEmpty();
    assertThat(k.missingStatsExplanations("1.2.0k"))
        .containsExactly("ena driver 1.2.0k has no allowance counters (they need ENA 2.2.10 or later)");
    assertThat(k.missingStatsExplanations(" ")).singleElement().asString().startsWith("ena driver (version unknown) has no");
  }

  @Test
  void ena2xExplainsMissingConntrackGauge() throws Exception {
    StatClassification k = classify(Captures.ENA_2X);

    assertThat(k.missingStatsExplanations("2.6.0g"))
        .containsExactly("ena driver 2.6.0g has no conntrack_allowance_available gauge (needs 2.8.1 or later)");
  }

  @Test
  void fullModernSetNeedsNoExplanation() {
    StatClassification k = StatCatalog.classify("ena", List.of(
        "total_resets", "bw_in_allowance_exceeded", "bw_out_allowance_exceeded", "pps_allowance_exceeded",
        "conntrack_allowance_exceeded", "linklocal_allowance_exceeded", "conntrack_allowance_available",
        "ena_srd_mode", "phc_cnt"));

    assertThat(k.missingStatsExplanations("2.13.0g")).isEmpty();
    assertThat(byName(k, "conntrack_allowance_available"))
        .returns(StatGroup.CONNTRACK_AVAILABLE, StatClass::group)
        .returns(KnownMetrics.CONNTRACK_AVAILABLE, StatClass::metric)
        .returns(StatKind.GAUGE, StatClass::kind)
        .returns("{connection}", StatClass::unit)
        .returns(Attributes.empty(), StatClass::attributes);
    assertThat(byName(k, "total_resets").metric()).isEqualTo(KnownMetrics.DEVICE_EVENTS);
    assertThat(byName(k, "phc_cnt").group()).isEqualTo(StatGroup.GENERIC);
  }

  @Test
  void enaExpressDocExampleSrdGroupAndTypoIsGeneric() throws Exception {
    StatClassification k = classify(Captures.ENA_EXPRESS_DOC);

    assertThat(k.all())
        .extracting(StatClass::statName, StatClass::metric, StatClass::kind, StatClass::unit, StatClass::attributes)
        .containsExactly(
            tuple("ena_srd_mode", KnownMetrics.SRD_MODE, StatKind.GAUGE, "{mode}", Attributes.empty()),
            tuple("ena_srd_tx_pkts", KnownMetrics.SRD_PACKETS, StatKind.COUNTER, "{packet}",
                Attributes.of(EnaAttributes.DIRECTION, "transmit")),
            tuple("pena_srd_eligible_tx_pkts", KnownMetrics.ETHTOOL_STAT, StatKind.GAUGE, "{value}",
                Attributes.of(EnaAttributes.STAT_NAME, "pena_srd_eligible_tx_pkts")),
            tuple("ena_srd_rx_pkts", KnownMetrics.SRD_PACKETS, StatKind.COUNTER, "{packet}",
                Attributes.of(EnaAttributes.DIRECTION, "receive")),
            tuple("ena_srd_resource_utilization", KnownMetrics.SRD_RESOURCE_UTILIZATION, StatKind.GAUGE, "%",
                Attributes.empty()));
    assertThat(k.hasSrdStats()).isTrue();
    // A grep for ena_srd has no allowance lines: the explanation is honest about what it sees.
    assertThat(k.missingStatsExplanations("2.8.3g")).singleElement().asString().contains("no allowance counters");
  }

  @Test
  void eligibleTxPacketsWithCorrectSpelling() {
    StatClassification k = StatCatalog.classify("ena", List.of("ena_srd_eligible_tx_pkts"));

    assertThat(k.get(0))
        .returns(KnownMetrics.SRD_ELIGIBLE_PACKETS, StatClass::metric)
        .returns(StatKind.COUNTER, StatClass::kind)
        .returns(Attributes.of(EnaAttributes.DIRECTION, "transmit"), StatClass::attributes);
  }

  @ParameterizedTest
  @ValueSource(strings = {Captures.BNX2X, Captures.MLX5, Captures.VIRTIO})
  void otherDriversAreAllGeneric(String file) throws Exception {
    Capture c = Captures.parse(file);
    StatClassification k = StatCatalog.classify(c.driver(), c.names());

    assertThat(k.size()).isEqualTo(c.size());
    assertThat(k.all()).allSatisfy(s -> {
      assertThat(s.group()).isEqualTo(StatGroup.GENERIC);
      assertThat(s.metric()).isEqualTo(KnownMetrics.ETHTOOL_STAT);
      assertThat(s.unit()).isEqualTo("{value}");
    });
    assertThat(k.missingStatsExplanations("1.0")).isEmpty();
    assertThat(k.isEna()).isFalse();
  }

  @Test
  void enaNamesOnAnotherDriverAreGeneric() {
    StatClassification k = StatCatalog.classify("bnx2x",
        List.of("tx_timeout", "linklocal_allowance_exceeded", "queue_0_tx_cnt"));

    assertThat(k.all()).extracting(StatClass::group).containsOnly(StatGroup.GENERIC);
    assertThat(k.hasAllowanceStats()).isFalse();
  }

  @Test
  void enaCapturesClassifiedAsOtherDriverWhenDriverUnknown() throws Exception {
    Capture c = Captures.parse(Captures.ENA_2X);

    assertThat(StatCatalog.classify("", c.names()).group(StatGroup.GENERIC)).hasSize(c.size());
  }

  @Test
  void repeatedNamesGetDistinctSeriesAttributes() {
    StatClassification k = StatCatalog.classify("ena",
        List.of("tx_timeout", "rx_bytes", "tx_timeout", "rx_bytes", "rx_bytes"));

    assertThat(k.all()).extracting(StatClass::index, StatClass::group, c -> c.attributes().asMap().values().iterator().next())
        .containsExactly(
            tuple(0, StatGroup.DEVICE_EVENT, "tx_timeout"),
            tuple(1, StatGroup.GENERIC, "rx_bytes"),
            tuple(2, StatGroup.GENERIC, "tx_timeout#2"),
            tuple(3, StatGroup.GENERIC, "rx_bytes#2"),
            tuple(4, StatGroup.GENERIC, "rx_bytes#3"));
  }

  @Test
  void queueLookalikesStayGeneric() {
    StatClassification k = StatCatalog.classify("ena", List.of(
        "queue__tx_cnt", "queue_x_tx_cnt", "queue_1234567890_tx_cnt", "queue_2_xdp_tx_cnt", "queue_1_tx_cnt_x",
        "queue_٣_tx_cnt", "queue_007_rx_cnt"));

    assertThat(k.all()).extracting(StatClass::group).containsExactly(
        StatGroup.GENERIC, StatGroup.GENERIC, StatGroup.GENERIC, StatGroup.GENERIC, StatGroup.GENERIC,
        StatGroup.GENERIC, StatGroup.QUEUE);
    assertThat(k.get(6).attributes().get(EnaAttributes.QUEUE)).isEqualTo(7L);
  }

  @Test
  void classifiesOnlyTheCountedPrefixOfASnapshotArray() {
    String[] names = {"tx_timeout", "suspend", "leftover"};
    StatClassification k = StatCatalog.classify("ena", names, 2);

    assertThat(k.size()).isEqualTo(2);
    assertThat(k.all()).extracting(StatClass::statName).containsExactly("tx_timeout", "suspend");
  }
}
