package io.enareceiver.ena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CaptureParserTest {

  /** Counts checked by hand against the files: every non-comment line after "NIC statistics:". */
  @ParameterizedTest
  @CsvSource({
      Captures.ENA_1X + ", 104, eth0, ena",
      Captures.ENA_2X + ", 91, eth0, ena",
      Captures.ENA_EXPRESS_DOC + ", 5, eth0, ena",
      Captures.BNX2X + ", 189, eth0, bnx2x",
      Captures.MLX5 + ", 751, eth0, mlx5_core",
      Captures.VIRTIO + ", 13, ens3, virtio_net",
  })
  void everyRealCaptureParsesCompletely(String file, int stats, String iface, String driver) throws Exception {
    Capture c = Captures.parse(file);

    assertThat(c.size()).isEqualTo(stats);
    assertThat(c.names()).hasSize(stats);
    assertThat(c.skipped()).as("skipped lines of %s", file).isEmpty();
    assertThat(c.interfaceName()).isEqualTo(iface);
    assertThat(c.driver()).isEqualTo(driver);
    assertThat(c.source()).endsWith(file);
  }

  @Test
  void ena2xKeepsDriverOrderAndValues() throws Exception {
    Capture c = Captures.parse(Captures.ENA_2X);

    assertThat(c.names().subList(0, 7)).containsExactly(
        "tx_timeout", "suspend", "resume", "wd_expired", "interface_up", "interface_down", "admin_q_pause");
    assertThat(c.value("interface_up")).isEqualTo(2);
    assertThat(c.value("queue_0_rx_bytes")).isEqualTo(262838443L);
    assertThat(c.value("linklocal_allowance_exceeded")).isZero();
    assertThat(c.names().getLast()).isEqualTo("ena_admin_q_no_completion");
  }

  @Test
  void bnx2xNamesWithBracketsInnerColonAndSpaces() throws Exception {
    Capture c = Captures.parse(Captures.BNX2X);

    assertThat(c.names().getFirst()).isEqualTo("[0]: rx_bytes");
    assertThat(c.value(0)).isEqualTo(209487403324L);
    assertThat(c.names()).contains("[7]: tx_bytes", "rx_bytes");
    assertThat(c.value("[7]: tx_bytes")).isEqualTo(48114336428L);
    assertThat(c.value("rx_bytes")).isEqualTo(1703594885772L);
    assertThat(c.names().getLast()).isEqualTo("Tx LPI entry count");
    assertThat(c.value("Tx LPI entry count")).isZero();
  }

  @Test
  void tabIndentedDocExampleKeepsTheTypo() throws Exception {
    Capture c = Captures.parse(Captures.ENA_EXPRESS_DOC);

    assertThat(c.names()).containsExactly("ena_srd_mode", "ena_srd_tx_pkts", "pena_srd_eligible_tx_pkts",
        "ena_srd_rx_pkts", "ena_srd_resource_utilization");
  }

  @Test
  void mlx5WithoutInterfaceHeaderDefaultsToEth0() throws Exception {
    Capture c = Captures.parse(Captures.MLX5);

    assertThat(c.interfaceName()).isEqualTo(CaptureParser.DEFAULT_INTERFACE);
    assertThat(c.value("tx_bytes")).isEqualTo(2655285206479L);
  }

  @Test
  void unsignedValuesUpToTwoToTheSixtyFour() throws Exception {
    Capture c = CaptureParser.parse("""
        NIC statistics:
             big: 9223372036854775808
             max: 18446744073709551615
             padded: 00000000000000000000018446744073709551615
        """, "u64");

    assertThat(c.value("big")).isEqualTo(Long.MIN_VALUE);
    assertThat(Long.toUnsignedString(c.value("big"))).isEqualTo("9223372036854775808");
    assertThat(c.value("max")).isEqualTo(-1L);
    assertThat(c.value("padded")).isEqualTo(-1L);
    assertThat(c.skipped()).isEmpty();
  }

  @Test
  void twoToTheSixtyFourAndNegativesAreSkippedWithLineNumbers() throws Exception {
    Capture c = CaptureParser.parse("""
        NIC statistics:
             ok: 1
             too_big: 18446744073709551616
             negative: -5
             words: many
             no value here
             : 7
        """, "bad-values");

    assertThat(c.names()).containsExactly("ok");
    assertThat(c.skipped()).extracting(ParseProblem::line).containsExactly(3, 4, 5, 6, 7);
    assertThat(c.skipped().get(0).why()).contains("above 2^64-1");
    assertThat(c.skipped().get(0).text()).isEqualTo("too_big: 18446744073709551616");
    assertThat(c.skipped().get(1).why()).contains("negative");
    assertThat(c.skipped().get(2).why()).contains("not an unsigned decimal");
    assertThat(c.skipped().get(3).why()).contains("expected 'name: value'");
    assertThat(c.skipped().get(4).why()).contains("without a name");
    assertThat(c.skipped().get(0).format("bad-values")).startsWith("bad-values:3: value above 2^64-1");
  }

  @Test
  void crlfAndMixedIndentationAndNoHeader() throws Exception {
    Capture c = CaptureParser.parse(new StringReader("a: 1\r\n\t b: 2\r\n\r\n     c: 3"), "crlf");

    assertThat(c.names()).containsExactly("a", "b", "c");
    assertThat(c.values()).containsExactly(1, 2, 3);
  }

  @Test
  void duplicateNamesAreAllKeptInOrder() throws Exception {
    Capture c = CaptureParser.parse("rx_bytes: 1\n[0]: rx_bytes: 2\nrx_bytes: 3\n", "dup");

    assertThat(c.names()).containsExactly("rx_bytes", "[0]: rx_bytes", "rx_bytes");
    assertThat(c.values()).containsExactly(1, 2, 3);
  }

  @Test
  void emptyFileIsAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.txt"), "");

    assertThatThrownBy(() -> CaptureParser.parse(empty))
        .isInstanceOf(CaptureException.class)
        .hasMessageStartingWith(empty.toString() + ": empty capture")
        .hasMessageContaining("expected the output of `ethtool -S IFACE`");
  }

  @Test
  void commentsOnlyIsAnError(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("comments.txt"), "# interface: eth0\n# driver: ena\n\nNIC statistics:\n");

    assertThatThrownBy(() -> CaptureParser.parse(file))
        .isInstanceOf(CaptureException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("only comments or headers")
        .satisfies(e -> assertThat(((CaptureException) e).source()).isEqualTo(file.toString()));
  }

  @Test
  void garbageOnlyIsAnErrorSayingWhereItStarts() {
    assertThatThrownBy(() -> CaptureParser.parse("hello\nworld\n", "garbage.txt"))
        .isInstanceOf(CaptureException.class)
        .hasMessageStartingWith("garbage.txt: no statistics in 2 line(s); 2 line(s) could not be read, the first at line 1");
  }

  @Test
  void missingFileIsACaptureException(@TempDir Path dir) {
    Path missing = dir.resolve("nope.txt");

    assertThatThrownBy(() -> CaptureParser.parse(missing))
        .isInstanceOf(CaptureException.class)
        .hasMessageStartingWith(missing + ": no such file");
  }

  @Test
  void oversizedInputIsRejectedBeforeParsing(@TempDir Path dir) throws Exception {
    Path big = dir.resolve("big.txt");
    Files.writeString(big, "a: 1\n".repeat(CaptureParser.MAX_CHARS / 5 + 1));

    assertThatThrownBy(() -> CaptureParser.parse(big))
        .isInstanceOf(CaptureException.class)
        .hasMessageContaining("larger than " + CaptureParser.MAX_CHARS);
  }

  @Test
  void overlongLineIsSkippedNotFatal() throws Exception {
    String longLine = "x".repeat(CaptureParser.MAX_LINE + 1) + ": 1";
    Capture c = CaptureParser.parse("a: 1\n" + longLine + "\nb: 2\n", "long");

    assertThat(c.names()).containsExactly("a", "b");
    assertThat(c.skipped()).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(2);
      assertThat(p.why()).contains("longer than");
      assertThat(p.text().length()).isLessThanOrEqualTo(ParseProblem.MAX_TEXT + 3);
    });
  }

  @Test
  void problemsAreCappedWithASummaryEntry() throws Exception {
    String text = "a: 1\n" + "junk\n".repeat(CaptureParser.MAX_PROBLEMS + 50);
    Capture c = CaptureParser.parse(text, "junk");

    assertThat(c.skipped()).hasSize(CaptureParser.MAX_PROBLEMS + 1);
    ParseProblem last = c.skipped().getLast();
    assertThat(last.line()).isEqualTo(CaptureParser.MAX_PROBLEMS + 2);
    assertThat(last.why()).isEqualTo("and 50 more line(s) from here on that are not statistics");
  }

  @Test
  void invalidUtf8DoesNotFailTheCapture(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bytes.txt");
    Files.write(file, new byte[] {'a', ':', ' ', '1', '\n', (byte) 0xff, (byte) 0xfe, ':', ' ', '2', '\n'});

    Capture c = CaptureParser.parse(file);

    assertThat(c.names()).containsExactly("a", "\uFFFD\uFFFD");
  }

  @Test
  void valuesAccessorDoesNotExposeTheArray() throws Exception {
    Capture c = CaptureParser.parse("a: 1\n", "copy");
    c.values()[0] = 99;

    assertThat(c.value(0)).isEqualTo(1);
  }
}
