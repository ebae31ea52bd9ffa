package io.enareceiver.ena;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the text {@code ethtool -S IFACE} prints into a {@link Capture}.
 *
 * <p>Accepted: an optional {@code NIC statistics:} line; statistic lines {@code name: value}
 * indented by spaces or tabs; {@code #} comment lines ({@code # interface: NAME} and
 * {@code # driver: NAME} are read as metadata); blank lines. A name may itself contain
 * {@code ": "}, brackets or spaces ({@code [0]: rx_bytes: 5}, {@code Tx LPI entry count: 0}),
 * so the value is what follows the <em>last</em> {@code ": "}. Values are unsigned 64-bit
 * decimals.
 *
 * <p>A line that is not a statistic is recorded in {@link Capture#skipped()} and never fails
 * the capture on its own; a capture without a single statistic is a {@link CaptureException}.
 * Input is bounded ({@link #MAX_CHARS} characters, {@link #MAX_LINE} per line, at most
 * {@link #MAX_PROBLEMS} problems kept) so that hostile input can neither hang the parser nor
 * exhaust memory: the work is one linear pass.
 */
public final class CaptureParser {
  /** Largest capture accepted: real ones are a few KiB (751 mlx5 stats are about 30 KiB). */
  public static final int MAX_CHARS = 4 * 1024 * 1024;
  /** Longest line treated as a possible statistic; longer lines are skipped. */
  public static final int MAX_LINE = 4096;
  /** Skipped lines recorded individually; the rest are counted in one final entry. */
  public static final int MAX_PROBLEMS = 100;
  /** Interface name when the capture does not say. */
  public static final String DEFAULT_INTERFACE = "eth0";

  private static final String HEADER = "NIC statistics:";
  private static final String EXPECTED =
      "expected the output of `ethtool -S IFACE`: lines of the form 'name: value' with an unsigned"
          + " 64-bit decimal value, optionally after a 'NIC statistics:' line; '#' starts a comment";
  private static final String MAX_U64 = "18446744073709551615";

  private CaptureParser() {}

  /** Parses a capture file; the file name is used in every message. */
  public static Capture parse(Path file) throws CaptureException {
    String source = file.toString();
    try (InputStream in = Files.newInputStream(file)) {
      return parse(in, source);
    } catch (NoSuchFileException e) {
      throw new CaptureException(source, "no such file; " + EXPECTED, e);
    } catch (IOException e) {
      throw new CaptureException(source, "cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Parses UTF-8 bytes; malformed bytes become U+FFFD (the affected line is then skipped or
   * keeps an odd name) rather than failing the whole capture.
   */
  public static Capture parse(InputStream in, String source) throws CaptureException {
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    return parse(new InputStreamReader(in, decoder), source);
  }

  /** Parses characters from a reader (not closed here), reading at most {@link #MAX_CHARS} + 1. */
  public static Capture parse(Reader reader, String source) throws CaptureException {
    StringBuilder text = new StringBuilder(8192);
    char[] buf = new char[8192];
    try {
      int n;
      while ((n = reader.read(buf)) > 0) {
        text.append(buf, 0, n);
        if (text.length() > MAX_CHARS) {
          throw tooLarge(source);
        }
      }
    } catch (IOException e) {
      throw new CaptureException(source, "cannot read: " + e.getMessage(), e);
    }
    return parse(text, source);
  }

  /** Parses text already in memory. */
  public static Capture parse(CharSequence text, String source) throws CaptureException {
    if (text.length() > MAX_CHARS) {
      throw tooLarge(source);
    }
    return new Run(text, source).parse();
  }

  private static CaptureException tooLarge(String source) {
    return new CaptureException(source, "larger than " + MAX_CHARS + " characters; " + EXPECTED
        + " (real captures are a few KiB)");
  }

  /** State of one parse: the text, its metadata and what was collected so far. */
  private static final class Run {
    private final CharSequence text;
    private final String source;
    private final List<String> names = new ArrayList<>();
    private long[] values = new long[128];
    private final List<ParseProblem> problems = new ArrayList<>();
    private int problemCount;
    private int firstUnrecordedLine;
    private String interfaceName;
    private String driver;

    Run(CharSequence text, String source) {
      this.text = text;
      this.source = source;
    }

    Capture parse() throws CaptureException {
      int length = text.length();
      int lineNo = 0;
      int start = 0;
      while (start < length) {
        lineNo++;
        int end = start;
        while (end < length && text.charAt(end) != '\n') {
          end++;
        }
        line(lineNo, start, end);
        start = end + 1;
      }
      if (names.isEmpty()) {
        throw noStatistics(lineNo);
      }
      if (problemCount > problems.size()) {
        int more = problemCount - problems.size();
        problems.add(new ParseProblem(firstUnrecordedLine, "",
            "and " + more + " more line(s) from here on that are not statistics"));
      }
      long[] exact = java.util.Arrays.copyOf(values, names.size());
      return new Capture(interfaceName == null ? DEFAULT_INTERFACE : interfaceName,
          driver == null ? "" : driver, names, exact, problems, source);
    }

    private void line(int lineNo, int start, int end) {
      if (end - start > MAX_LINE) {
        problem(lineNo, text.subSequence(start, start + ParseProblem.MAX_TEXT).toString(),
            "line longer than " + MAX_LINE + " characters");
        return;
      }
      String line = text.subSequence(start, end).toString().strip();
      if (line.isEmpty() || line.equals(HEADER)) {
        return;
      }
      if (line.charAt(0) == '#') {
        comment(line);
        return;
      }
      int sep = line.lastIndexOf(": ");
      if (sep < 0) {
        problem(lineNo, line, "not a statistic: expected 'name: value'");
        return;
      }
      String name = line.substring(0, sep).strip();
      String value = line.substring(sep + 2).strip();
      if (name.isEmpty()) {
        problem(lineNo, line, "statistic without a name");
        return;
      }
      if (hasControlCharacter(name)) {
        problem(lineNo, line, "statistic name contains control characters");
        return;
      }
      String why = checkValue(value);
      if (why != null) {
        problem(lineNo, line, why);
        return;
      }
      add(name, Long.parseUnsignedLong(value));
    }

    /** Why the value is not an unsigned 64-bit decimal, or null when it is one. */
    private static String checkValue(String value) {
      if (value.isEmpty()) {
        return "missing value after ': '";
      }
      if (value.charAt(0) == '-' && value.length() > 1 && allDigits(value, 1)) {
        return "negative value; statistics are unsigned 64-bit";
      }
      if (!allDigits(value, 0)) {
        return "value is not an unsigned decimal integer";
      }
      int firstNonZero = 0;
      while (firstNonZero < value.length() - 1 && value.charAt(firstNonZero) == '0') {
        firstNonZero++;
      }
      int digits = value.length() - firstNonZero;
      if (digits > MAX_U64.length()
          || (digits == MAX_U64.length() && value.substring(firstNonZero).compareTo(MAX_U64) > 0)) {
        return "value above 2^64-1 (" + MAX_U64 + ")";
      }
      return null;
    }

    private static boolean allDigits(String s, int from) {
      for (int i = from; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c < '0' || c > '9') {
          return false;
        }
      }
      return true;
    }

    private static boolean hasControlCharacter(String s) {
      for (int i = 0; i < s.length(); i++) {
        if (Character.isISOControl(s.charAt(i))) {
          return true;
        }
      }
      return false;
    }

    /** Reads {@code # interface: X} and {@code # driver: X}; the first of each wins. */
    private void comment(String line) {
      String body = line.substring(1).strip();
      if (interfaceName == null && body.startsWith("interface:")) {
        String word = firstWord(body.substring("interface:".length()));
        if (!word.isEmpty()) {
          interfaceName = word;
        }
      } else if (driver == null && body.startsWith("driver:")) {
        String word = firstWord(body.substring("driver:".length()));
        if (!word.isEmpty()) {
          driver = word;
        }
      }
    }

    /** Leading run of name characters: "ena, version 1.2.0k" gives "ena". */
    private static String firstWord(String s) {
      String t = s.strip();
      int end = 0;
      while (end < t.length() && end < 64) {
        char c = t.charAt(end);
        if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == '@')) {
          break;
        }
        end++;
      }
      return t.substring(0, end);
    }

    private void add(String name, long value) {
      if (names.size() == values.length) {
        values = java.util.Arrays.copyOf(values, values.length * 2);
      }
      values[names.size()] = value;
      names.add(name);
    }

    private void problem(int lineNo, String line, String why) {
      problemCount++;
      if (problems.size() < MAX_PROBLEMS) {
        problems.add(new ParseProblem(lineNo, line, why));
      } else if (problemCount == MAX_PROBLEMS + 1) {
        firstUnrecordedLine = lineNo;
      }
    }

    private CaptureException noStatistics(int lines) {
      String what;
      if (text.isEmpty() || text.chars().allMatch(Character::isWhitespace)) {
        what = "empty capture";
      } else if (problems.isEmpty()) {
        what = "no statistics in " + lines + " line(s), only comments or headers";
      } else {
        ParseProblem first = problems.getFirst();
        what = "no statistics in " + lines + " line(s); " + problemCount
            + " line(s) could not be read, the first at line " + first.line() + ": " + first.why();
      }
      return new CaptureException(source, what + "; " + EXPECTED);
    }
  }
}
