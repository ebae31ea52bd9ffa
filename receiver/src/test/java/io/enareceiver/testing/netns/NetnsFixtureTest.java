package io.enareceiver.testing.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class NetnsFixtureTest {

  @Test
  void missingPrerequisitesSkipUnlessRootIsRequired() {
    String previous = System.getProperty("ena.requireRoot");
    try {
      System.setProperty("ena.requireRoot", "false");
      assertThatThrownBy(() -> NetnsFixture.requireOrSkip(false, "needs a thing"))
          .isInstanceOf(TestAbortedException.class).hasMessageContaining("needs a thing");
      System.setProperty("ena.requireRoot", "true");
      assertThatThrownBy(() -> NetnsFixture.requireOrSkip(false, "needs a thing"))
          .isInstanceOf(AssertionError.class)
          .hasMessage("needs a thing (ena.requireRoot=true: failing instead of skipping)");
      NetnsFixture.requireOrSkip(true, "never thrown");
    } finally {
      if (previous == null) {
        System.clearProperty("ena.requireRoot");
      } else {
        System.setProperty("ena.requireRoot", previous);
      }
    }
  }

  @Test
  void closeDeletesTheNamespaces() {
    NetnsFixture.Namespace ns;
    try (NetnsFixture fixture = NetnsFixture.create()) {
      ns = fixture.namespace();
      assertThat(Files.exists(ns.file())).isTrue();
      assertThat(fixture.execIn(ns, "cat", "/proc/sys/net/ipv6/conf/all/disable_ipv6").strip()).isEqualTo("1");
    }
    assertThat(Files.exists(ns.file())).isFalse();
    assertThat(NetnsFixture.exec("ip", "netns", "list")).doesNotContain(ns.name());
  }
}
