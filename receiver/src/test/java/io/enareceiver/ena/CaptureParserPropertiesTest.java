package io.enareceiver.ena;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/**
 * Whatever the input, the parser answers with a Capture or a CaptureException: never another
 * exception, never an unbounded loop. Sizes are bounded by the generators, so a run is finite.
 */
class CaptureParserPropertiesTest {

  private static final List<String> REAL = List.of(Captures.ENA_1X, Captures.ENA_2X,
      Captures.ENA_EXPRESS_DOC, Captures.BNX2X, Captures.MLX5, Captures.VIRTIO);

  @Property(tries = 300)
  void randomTextGivesCaptureOrCaptureException(@ForAll @StringLength(max = 2000) String text) {
    assertOnlyCaptureOrCaptureException(text.getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 300)
  void randomStatLikeLinesGiveCaptureOrCaptureException(@ForAll("statLikeText") String text) {
    Capture c = assertOnlyCaptureOrCaptureException(text.getBytes(StandardCharsets.UTF_8));
    if (c != null) {
      assertThat(c.names()).hasSameSizeAs(c.values());
      assertThat(c.names()).allSatisfy(n -> assertThat(n).isNotBlank());
    }
  }

  @Property(tries = 400)
  void mutatedRealCapturesGiveCaptureOrCaptureException(@ForAll("mutatedCaptures") byte[] bytes) {
    assertOnlyCaptureOrCaptureException(bytes);
  }

  @Property(tries = 50)
  void truncatedRealCaptureKeepsAPrefixOfTheNames(
      @ForAll("realCaptureNames") String file, @ForAll @IntRange(min = 0, max = 100) int percent) throws Exception {
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
    assertThat(part.names().subList(0, n - 1)).isEqualTo(whole.names().subList(0, n - 1));
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

  @Provide
  Arbitrary<String> realCaptureNames() {
    return Arbitraries.of(REAL);
  }

  @Provide
  Arbitrary<String> statLikeText() {
    Arbitrary<String> name = Arbitraries.strings().withChars("abc_[]: 0#\t").ofMaxLength(40);
    Arbitrary<String> value = Arbitraries.oneOf(
        Arbitraries.longs().map(Long::toUnsignedString),
        Arbitraries.strings().numeric().ofMaxLength(45),
        Arbitraries.strings().withChars("-+0123456789 x").ofMaxLength(25));
    Arbitrary<String> indent = Arbitraries.of("", "     ", "\t", " \t ");
    Arbitrary<String> line = Combinators.combine(indent, name, Arbitraries.of(": ", ":", " : ", ""), value)
        .as((i, n, sep, v) -> i + n + sep + v);
    return line.list().ofMaxSize(60).map(lines -> String.join("\n", lines));
  }

  @Provide
  Arbitrary<byte[]> mutatedCaptures() {
    Arbitrary<byte[]> real = Arbitraries.of(REAL).map(f -> Captures.text(f).getBytes(StandardCharsets.UTF_8));
    return Combinators.combine(real, mutation().list().ofMinSize(1).ofMaxSize(8))
        .as((bytes, mutations) -> {
          byte[] out = bytes;
          for (Mutation m : mutations) {
            out = m.apply(out);
          }
          return out;
        });
  }

  /** One edit of a capture's bytes, at a relative position in [0, 1). */
  private interface Mutation {
    byte[] apply(byte[] in);
  }

  private static Arbitrary<Mutation> mutation() {
    Arbitrary<Double> at = Arbitraries.doubles().between(0, 1).ofScale(6).filter(d -> d < 1);
    Arbitrary<Mutation> truncate = at.map(p -> in -> java.util.Arrays.copyOf(in, (int) (in.length * p)));
    Arbitrary<Mutation> flip = Combinators.combine(at, Arbitraries.integers().between(0, 255))
        .as((p, b) -> in -> {
          if (in.length == 0) {
            return in;
          }
          byte[] out = in.clone();
          out[(int) (out.length * p)] = (byte) b.intValue();
          return out;
        });
    Arbitrary<Mutation> insert = Combinators.combine(at, Arbitraries.of(
            ": ", ":", "::: ", "\n", "\r", "\t", "#", "-", "[9]: ", " 18446744073709551616",
            " 99999999999999999999999999999999999999", "NIC statistics:\n", "\u0000", "\uFFFD",
            "x".repeat(CaptureParser.MAX_LINE + 10), "9".repeat(5000), ": 1\n".repeat(2000)))
        .as((p, s) -> in -> insertAt(in, (int) (in.length * p), s.getBytes(StandardCharsets.UTF_8)));
    return Arbitraries.oneOf(truncate, flip, insert);
  }

  private static byte[] insertAt(byte[] in, int pos, byte[] what) {
    byte[] out = new byte[in.length + what.length];
    System.arraycopy(in, 0, out, 0, pos);
    System.arraycopy(what, 0, out, pos, what.length);
    System.arraycopy(in, pos, out, pos + what.length, in.length - pos);
    return out;
  }
}
