package io.enareceiver.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * A small seeded mutation fuzzer: derives inputs from a committed seed corpus by byte-level
 * edits (bit flips, inserted/deleted/overwritten runs, splices of two corpus entries, duplicated
 * lines, huge numbers, deep nesting, format-specific tokens). Deterministic for a given seed and
 * bounded in size, so a failure replays exactly. It is what runs in the default build; the
 * coverage-guided run is Jazzer's (profile {@code fuzz}). Shared by the config and receiver tests (the config module publishes its test-jar).
 */
public final class CorpusMutator {
  private static final List<String> HUGE_NUMBERS =
      List.of("18446744073709551616", "-1", "9".repeat(400), "1e309", "0x7fffffffffffffff",
          "9223372036854775808ns", "99999999999999h");

  private final List<byte[]> corpus;
  private final List<String> tokens;
  private final int maxBytes;

  /**
   * @param tokens format-specific fragments to insert (YAML anchors, "name: value", ...)
   * @param maxBytes inputs are cut to this size, which bounds the work per input
   */
  public CorpusMutator(List<byte[]> corpus, List<String> tokens, int maxBytes) {
    if (corpus.isEmpty()) {
      throw new IllegalArgumentException("empty seed corpus");
    }
    this.corpus = List.copyOf(corpus);
    this.tokens = List.copyOf(tokens);
    this.maxBytes = maxBytes;
  }

  /** Every regular file under a classpath resource directory, sorted by name. */
  public static List<byte[]> load(String resourceDir) {
    try (Stream<Path> files = Files.list(Path.of(CorpusMutator.class.getResource(resourceDir).toURI()))) {
      List<byte[]> out = new ArrayList<>();
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        out.add(Files.readAllBytes(file));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("seed corpus " + resourceDir + " is not on the test classpath", e);
    }
  }

  public List<byte[]> corpus() {
    return corpus;
  }

  /** One corpus entry with one to eight stacked edits. */
  public byte[] next(SplittableRandom random) {
    byte[] data = corpus.get(random.nextInt(corpus.size()));
    int edits = random.nextInt(1, 9);
    for (int i = 0; i < edits; i++) {
      data = mutate(data, random);
      if (data.length > maxBytes) {
        data = Arrays.copyOf(data, maxBytes);
      }
    }
    return data;
  }

  private byte[] mutate(byte[] in, SplittableRandom random) {
    int at = random.nextInt(in.length + 1);
    return switch (random.nextInt(9)) {
      case 0 -> flipBit(in, random);
      case 1 -> replace(in, at, Math.min(in.length - at, random.nextInt(1, 17)), randomBytes(random));
      case 2 -> replace(in, at, Math.min(in.length - at, random.nextInt(1, 65)), new byte[0]); // delete
      case 3 -> replace(in, at, 0, randomBytes(random)); // insert
      case 4 -> splice(in, corpus.get(random.nextInt(corpus.size())), random);
      case 5 -> duplicateLines(in, random);
      case 6 -> replace(in, at, 0, ascii(HUGE_NUMBERS.get(random.nextInt(HUGE_NUMBERS.size()))));
      case 7 -> replace(in, at, 0, ascii(nesting(random)));
      default -> replace(in, at, 0, tokens.get(random.nextInt(tokens.size())).getBytes(StandardCharsets.UTF_8));
    };
  }

  private static byte[] flipBit(byte[] in, SplittableRandom random) {
    if (in.length == 0) {
      return in;
    }
    byte[] out = in.clone();
    int i = random.nextInt(out.length);
    out[i] ^= (byte) (1 << random.nextInt(8));
    return out;
  }

  private static byte[] randomBytes(SplittableRandom random) {
    byte[] out = new byte[random.nextInt(1, 9)];
    for (int i = 0; i < out.length; i++) {
      // Mostly structure characters and digits, sometimes any byte (invalid UTF-8 included).
      out[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : (byte) " \n\t:-[]{},#&*!|>'\"0123456789".charAt(random.nextInt(28));
    }
    return out;
  }

  /** The head of one input and the tail of another, cut at random points. */
  private static byte[] splice(byte[] a, byte[] b, SplittableRandom random) {
    int cutA = random.nextInt(a.length + 1);
    int cutB = random.nextInt(b.length + 1);
    byte[] out = Arrays.copyOf(a, cutA + b.length - cutB);
    System.arraycopy(b, cutB, out, cutA, b.length - cutB);
    return out;
  }

  /** Repeats a run of whole lines right after itself, up to 64 times. */
  private static byte[] duplicateLines(byte[] in, SplittableRandom random) {
    List<Integer> starts = new ArrayList<>(List.of(0));
    for (int i = 0; i < in.length; i++) {
      if (in[i] == '\n') {
        starts.add(i + 1);
      }
    }
    int first = random.nextInt(starts.size());
    int last = Math.min(starts.size() - 1, first + random.nextInt(1, 4));
    int from = starts.get(first);
    int to = last == first ? in.length : starts.get(last);
    byte[] run = Arrays.copyOfRange(in, from, to);
    byte[] repeated = new byte[run.length * random.nextInt(1, 65)];
    for (int i = 0; i < repeated.length; i += Math.max(1, run.length)) {
      System.arraycopy(run, 0, repeated, i, run.length);
    }
    return replace(in, to, 0, repeated);
  }

  /** Deeply nested flow or block collections: the depth limits must answer, not the stack. */
  private static String nesting(SplittableRandom random) {
    int depth = random.nextInt(10, 2000);
    return switch (random.nextInt(3)) {
      case 0 -> "[".repeat(depth) + "]".repeat(random.nextInt(depth + 1));
      case 1 -> "{a: ".repeat(depth);
      default -> {
        StringBuilder block = new StringBuilder("\n");
        for (int i = 0; i < Math.min(depth, 300); i++) {
          block.append(" ".repeat(i)).append("k").append(i).append(":\n");
        }
        yield block.toString();
      }
    };
  }

  private static byte[] replace(byte[] in, int at, int length, byte[] with) {
    byte[] out = new byte[in.length - length + with.length];
    System.arraycopy(in, 0, out, 0, at);
    System.arraycopy(with, 0, out, at, with.length);
    System.arraycopy(in, at + length, out, at + with.length, in.length - at - length);
    return out;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
