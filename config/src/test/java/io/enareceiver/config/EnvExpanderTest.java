package io.enareceiver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvExpanderTest {
  private final EnvExpander expander =
      new EnvExpander(Map.of("HOST", "collector", "EMPTY", "", "PORT", "4317")::get);

  @Test
  void expandsWholeAndEmbeddedReferences() {
    assertThat(expander.expand("${env:HOST}").value()).isEqualTo("collector");
    assertThat(expander.expand("http://${env:HOST}:${env:PORT}/x").value())
        .isEqualTo("http://collector:4317/x");
  }

  @Test
  void defaultAppliesOnlyWhenUnset() {
    assertThat(expander.expand("${env:MISSING:-http://localhost:4317}").value())
        .isEqualTo("http://localhost:4317");
    assertThat(expander.expand("${env:EMPTY:-fallback}").value()).isEmpty();
    assertThat(expander.expand("${env:HOST:-fallback}").value()).isEqualTo("collector");
    assertThat(expander.expand("${env:MISSING:-}").value()).isEmpty();
  }

  @Test
  void doubleDollarIsALiteralDollar() {
    assertThat(expander.expand("price$$5").value()).isEqualTo("price$5");
    assertThat(expander.expand("$${env:HOST}").value()).isEqualTo("${env:HOST}");
    assertThat(expander.expand("$${env:HOST}").referenced()).isFalse();
  }

  @Test
  void loneDollarIsKept() {
    assertThat(expander.expand("a$b$").value()).isEqualTo("a$b$");
  }

  @Test
  void valueIsNotExpandedAgain() {
    EnvExpander nested = new EnvExpander(Map.of("A", "${env:B}")::get);
    assertThat(nested.expand("${env:A}").value()).isEqualTo("${env:B}");
  }

  @Test
  void unsetWithoutDefaultNamesTheVariable() {
    assertThatThrownBy(() -> expander.expand("http://${env:COLLECTOR_HOST}:4317"))
        .hasMessageContaining("environment variable COLLECTOR_HOST is not set")
        .hasMessageContaining("${env:COLLECTOR_HOST:-default}");
  }

  @Test
  void malformedReferencesAreExplained() {
    assertThatThrownBy(() -> expander.expand("${env:HOST")).hasMessageContaining("unterminated");
    assertThatThrownBy(() -> expander.expand("${HOST}")).hasMessageContaining("unsupported reference '${HOST}'");
    assertThatThrownBy(() -> expander.expand("${file:/etc/x}")).hasMessageContaining("unsupported reference");
    assertThatThrownBy(() -> expander.expand("${env:1X}")).hasMessageContaining("not an environment variable name");
  }
}
