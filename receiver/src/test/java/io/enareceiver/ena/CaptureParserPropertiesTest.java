package io.enareceiver.ena;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.testing.RandomInputs;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Whatever the input, the parser answers with a Capture or a CaptureException: never another
 * exception, never an unbounded loop. Sizes are bounded by the generators, so a run is finite.
 */
class CaptureParserPropertiesTest {

  private static final List<String> REAL = List.of(Captures.ENA_1X, Captures.ENA_2X,
      Captures.ENA_EXPRESS_DOC, Captures.BNX2X, Captures.MLX5, Captures.VIRTIO);

  @Test
  void randomTextGivesCaptureOrCaptureException() {
    RandomInputs.forAll(300, random ->
        assertOnlyCaptureOrCaptureException(RandomInputs.anyString(random, 2000).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void randomStatLikeLinesGiveCaptureOrCaptureException() {
    RandomInputs.forAll(300, random -> {
      Capture c = assertOnlyCaptureOrCaptureException(statLikeText(random).getBytes(StandardCharsets.UTF_8));
      if (c != null) {
        assertThat(c.names()).hasSameSizeAs(c.values());
        assertThat(c.names()).allSatisfy(n -> assertThat(n).isNotBlank());
      }
    });
  }

  @Test
  void mutatedRealCapturesGiveCaptureOrCaptureException() {
    RandomInputs.forAll(400, random -> assertOnlyCaptureOrCaptureException(mutatedCapture(random)));
  }

  @Test
  void truncatedRealCaptureKeepsAPrefixOfTheNames() {
    RandomInputs.forAll(50, random -> {
      try {
        assertTruncationKeepsAPrefix(RandomInputs.pick(random, REAL), random.nextInt(101));
      } catch (CaptureException e) {
        throw new AssertionError("a whole real capture must parse", e);
      }
    });
  }

  private static void assertTruncationKeepsAPrefix(String file, int percent) throws CaptureException {
    String text = Captures.text(file);
    Capture whole = CaptureParser.parse(text, file);
    String cut = text.substring(0, text.length() * percent / 100);
    Capture part;
    try {
      part = CaptureParser.parse(cut, file + " (truncated)");
    } catch (CaptureException e) {
      assertThat(e.getMessage()).contains("truncated");
      return;
    }
    // The last line may be cut inside the value ("rx_bytes: 12" of "rx_bytes: 1234"), so only
    // the names before it must match exactly.
    int n = part.size();
    assertThat(part.names().subList(0, n - 1)).as("%s cut at %d%%", file, percent)
        .isEqualTo(whole.names().subList(0, n - 1));
    for (int i = 0; i < n - 1; i++) {
      assertThat(part.value(i)).isEqualTo(whole.value(i));
    }
  }

  private static Capture assertOnlyCaptureOrCaptureException(byte[] bytes) {
    try {
      return CaptureParser.parse(new ByteArrayInputStream(bytes), "generated");
    } catch (CaptureException e) {
      assertThat(e.getMessage()).startsWith("generated: ");
      return null;
    }
  }

  private static final List<String> INDENTS = List.of("", "     ", "\t", " \t ");
  private static final List<String> SEPARATORS = List.of(": ", ":", " : ", "");

  /** Up to 60 lines that look like statistics: odd names, separators and values. */
  private static String statLikeText(SplittableRandom random) {
    int lines = random.nextInt(61);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines; i++) {
      if (i > 0) {
        out.append('\n');
      }
      out.append(RandomInputs.pick(random, INDENTS))
          .append(RandomInputs.string(random, "abc_[]: 0#\t", 40))
          .append(RandomInputs.pick(random, SEPARATORS))
          .append(value(random));
    }
    return out.toString();
  }

  private static String value(SplittableRandom random) {
    return switch (random.nextInt(3)) {
      case 0 -> Long.toUnsignedString(random.nextLong());
      case 1 -> RandomInputs.string(random, "0123456789", 45);
      default -> RandomInputs.string(random, "-+0123456789 x", 25);
    };
  }

  private static final List<String> INSERTS = List.of(
      ": ", ":", "::: ", "\n", "\r", "\t", "#", "-", "[9]: ", " 18446744073709551616",
      " 99999999999999999999999999999999999999", "NIC statistics:\n", "\u0000", "\uFFFD",
      "x".repeat(CaptureParser.MAX_LINE + 10), "9".repeat(5000), ": 1\n".repeat(2000));

  /** A real capture with one to eight edits: truncation, a byte overwritten, text inserted. */
  private static byte[] mutatedCapture(SplittableRandom random) {
    byte[] out = Captures.text(RandomInputs.pick(random, REAL)).getBytes(StandardCharsets.UTF_8);
    int edits = random.nextInt(1, 9);
    for (int i = 0; i < edits; i++) {
      int at = out.length == 0 ? 0 : random.nextInt(out.length);
      out = switch (random.nextInt(3)) {
        case 0 -> Arrays.copyOf(out, at);
        case 1 -> {
          if (out.length > 0) {
            out[at] = (byte) random.nextInt(256);
          }
          yield out;
        }
        default -> insertAt(out, at, RandomInputs.pick(random, INSERTS).getBytes(StandardCharsets.UTF_8));
      };
    }
    return out;
  }

  private static byte[] insertAt(byte[] in, int pos, byte[] what) {
    byte[] out = new byte[in.length + what.length];
    System.arraycopy(in, 0, out, 0, pos);
    System.arraycopy(what, 0, out, pos, what.length);
    System.arraycopy(in, pos, out, pos + what.length, in.length - pos);
    return out;
  }
}
