package io.enareceiver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class InterfacePatternTest {

  @ParameterizedTest
  @CsvSource({
    "*, eth0, true",
    "eth*, eth0, true",
    "eth*, ens5, false",
    "eth?, eth1, true",
    "eth?, eth10, false",
    "ens[5-7], ens6, true",
    "ens[5-7], ens8, false",
    "ens[!5], ens5, false",
    "ens[!5], ens6, true",
    "br-*, br-1a2b, true",
    "vxlan.calico, vxlan.calico, true",
    "vxlan.calico, vxlanXcalico, false",
    "lo, lo, true",
    "lo, lo0, false",
    "a\\*, a*, true",
    "a\\*, ab, false",
    "queue_*_rx_cnt, queue_3_rx_cnt, true",
    "[]x], ], true",
    "[a.], ., true",
    "[a.], b, false"
  })
  void matchesWholeNames(String glob, String name, boolean expected) {
    assertThat(InterfacePattern.compile(glob).matches(name)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "eth[0", "[", "x\\", "ens[9-1]"})
  void refusesInvalidPatterns(String glob) {
    assertThatThrownBy(() -> InterfacePattern.compile(glob))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(glob.isEmpty() ? "empty" : glob);
  }
}
