package io.enareceiver.ethtool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InterfaceSelectorTest {

  private static final NetInterface ETH0 = new NetInterface("eth0", 2, "02:00:00:00:00:01", "ena", "up");
  private static final NetInterface ETH1 = new NetInterface("eth1", 3, "02:00:00:00:00:02", "ena", "up");
  private static final NetInterface LO = new NetInterface("lo", 1, "00:00:00:00:00:00", "", "unknown");
  private static final NetInterface ENI = new NetInterface("eni1a2b3c", 7, "", "veth", "up");
  private static final NetInterface VETH = new NetInterface("veth9", 8, "", "veth", "up");
  private static final NetInterface VIRTIO = new NetInterface("ens5", 4, "", "virtio_net", "up");
  private static final List<NetInterface> ALL = List.of(LO, ETH0, ETH1, VIRTIO, ENI, VETH);

  private final InterfaceSelector defaults =
      new InterfaceSelector(List.of("*"), List.of("lo", "veth*", "eni*"), List.of("ena"));

  @Test
  void defaultFiltersKeepOnlyEnaInterfaces() {
    InterfaceSelector.Selection s = defaults.select(ALL, Set.of());
    assertThat(s.selected()).containsExactly(ETH0, ETH1);
    assertThat(s.unknownExplicit()).isEmpty();
    assertThat(s.problems()).isEmpty();
  }

  @Test
  void emptyDriverListMeansAnyDriverIncludingNone() {
    InterfaceSelector any = new InterfaceSelector(List.of("*"), List.of("veth*"), List.of());
    assertThat(any.select(ALL, Set.of()).selected()).containsExactly(LO, ETH0, ETH1, VIRTIO, ENI);
  }

  @Test
  void includeGlobsWithClassesAndSingleCharacters() {
    InterfaceSelector s = new InterfaceSelector(List.of("eth[!0]", "en?5"), List.of(), List.of());
    assertThat(s.select(ALL, Set.of()).selected()).containsExactly(ETH1, VIRTIO);
  }

  @Test
  void driverGlobs() {
    InterfaceSelector s = new InterfaceSelector(List.of("*"), List.of(), List.of("virtio*"));
    assertThat(s.select(ALL, Set.of()).selected()).containsExactly(VIRTIO);
  }

  @Test
  void explicitNamesBypassEveryFilter() {
    InterfaceSelector.Selection s = defaults.select(ALL, Set.of("lo", "veth9"));
    assertThat(s.selected()).containsExactly(LO, VETH);
    assertThat(s.unknownExplicit()).isEmpty();
  }

  @Test
  void unknownExplicitNamesAreReportedWithWhatIsAvailable() {
    InterfaceSelector.Selection s = defaults.select(ALL, Set.of("eth0", "eth9"));
    assertThat(s.selected()).containsExactly(ETH0);
    assertThat(s.unknownExplicit()).containsExactly("eth9");
    assertThat(s.problems()).containsExactly(
        "no interface named eth9; available: eni1a2b3c, ens5, eth0, eth1, lo, veth9");
  }

  @Test
  void metacharactersOutsideGlobSyntaxMatchThemselves() {
    InterfaceSelector s = new InterfaceSelector(List.of("br.0", "a+b"), List.of(), List.of());
    NetInterface dotted = new NetInterface("br.0", 9, "", "", "up");
    NetInterface brx0 = new NetInterface("brx0", 10, "", "", "up");
    NetInterface plus = new NetInterface("a+b", 11, "", "", "up");
    assertThat(s.select(List.of(dotted, brx0, plus), Set.of()).selected()).containsExactly(dotted, plus);
  }

  @Test
  void malformedGlobNamesTheKeyAndThePattern() {
    assertThatThrownBy(() -> new InterfaceSelector(List.of("*"), List.of("eth[0"), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("interfaces.exclude: pattern 'eth[0' has a '[' without a closing ']'");
    assertThatThrownBy(() -> new InterfaceSelector(List.of("eth\\"), List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("interfaces.include: ");
    assertThatThrownBy(() -> new InterfaceSelector(List.of("*"), List.of(), List.of("")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("interfaces.drivers: ");
  }

  @Test
  void backslashMakesTheNextCharacterLiteralAsInTheConfigModule() {
    // The same glob rules as the config validation: a pattern the config accepted must not
    // mean something else here.
    InterfaceSelector s = new InterfaceSelector(List.of("eth\\*"), List.of(), List.of());
    NetInterface star = new NetInterface("eth*", 12, "", "", "up");
    assertThat(s.select(List.of(ETH0, star), Set.of()).selected()).containsExactly(star);
  }

  @Test
  void nameMatchesAppliesIncludeAndExcludeButNotDrivers() {
    assertThat(defaults.nameMatches("eth0")).isTrue();
    assertThat(defaults.nameMatches("ens5")).as("driver virtio_net is not consulted").isTrue();
    assertThat(defaults.nameMatches("lo")).isFalse();
    assertThat(defaults.nameMatches("veth9")).isFalse();
    assertThat(defaults.nameMatches("eni1a2b3c")).isFalse();
    InterfaceSelector onlyEth = new InterfaceSelector(List.of("eth*"), List.of("eth1"), List.of("ena"));
    assertThat(onlyEth.nameMatches("eth0")).isTrue();
    assertThat(onlyEth.nameMatches("eth1")).as("excluded").isFalse();
    assertThat(onlyEth.nameMatches("ens5")).as("not included").isFalse();
    InterfaceSelector none = new InterfaceSelector(List.of(), List.of(), List.of());
    assertThat(none.nameMatches("eth0")).as("no include glob selects nothing").isFalse();
  }
}
