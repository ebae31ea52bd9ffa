package io.enareceiver.ena;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.List;

/**
 * The contract the fuzzers check for {@link CaptureParser#parse(java.io.InputStream, String)}:
 * any bytes give a consistent Capture or a CaptureException naming the source; any other
 * exception (or error) escapes and is a finding.
 */
final class CaptureFuzzTarget {
  private CaptureFuzzTarget() {}

  static final String SOURCE = "fuzz.txt";

  /** Fragments that steer mutations towards the parser's own syntax. */
  /**
   * The seed corpus: the real captures the parser tests use (one copy of them in the tree) plus
   * the fuzz-only seeds in {@code fuzz/captures/}.
   */
  static List<byte[]> seedCorpus() {
    List<byte[]> seeds = new java.util.ArrayList<>(io.enareceiver.testing.CorpusMutator.load("/captures"));
    seeds.addAll(io.enareceiver.testing.CorpusMutator.load("/fuzz/captures"));
    return List.copyOf(seeds);
  }

  static final List<String> TOKENS = List.of(
      ": ", ":", "::: ", "\n", "\r\n", "\r", "\t", "     ", "#", "# interface: ", "# driver: ena\n",
      "NIC statistics:\n", "[0]: ", "queue_0_", "rx_bytes: ", "bw_in_allowance_exceeded: ",
      " 18446744073709551615", " 18446744073709551616", " +5", " -0", " 0x10", "\u0000", "\uFFFD",
      "\u00e9", "x".repeat(CaptureParser.MAX_LINE + 1), ": 1\n".repeat(200));

  static void check(byte[] input) {
    try {
      Capture capture = CaptureParser.parse(new ByteArrayInputStream(input), SOURCE);
      assertThat(capture.size()).isPositive();
      assertThat(capture.names()).hasSize(capture.size());
      assertThat(capture.names()).allSatisfy(name -> assertThat(name).isNotBlank());
      assertThat(capture.skipped().size()).isLessThanOrEqualTo(CaptureParser.MAX_PROBLEMS + 1);
    } catch (CaptureException e) {
      assertThat(e.getMessage()).startsWith(SOURCE + ": ");
    }
  }
}
