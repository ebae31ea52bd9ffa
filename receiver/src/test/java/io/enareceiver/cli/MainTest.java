package io.enareceiver.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line as users type it, through {@link Main#execute(PrintWriter, PrintWriter, String...)}:
 * which command runs, what it prints where, and the exit code. Cheap cases only: nothing here
 * starts the agent or reads a counter (one case lists the machine's interfaces, as stats does).
 */
class MainTest {
  private static final String VALID = """
      receivers:
        ethtool:
          collection_interval: 10s
          interfaces:
            include: []
          replay:
            - name: eth1
              mac: 0a:1b:2c:3d:4e:5f
              captures: builtin:dns-throttling
      exporters:
        console: {}
      service:
        pipelines:
          metrics:
            receivers: [ethtool]
            exporters: [console]
      """;

  @TempDir
  Path dir;

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  // --- which command runs

  @Test
  void withoutACommandTheArgumentsAreRuns() {
    Path missing = dir.resolve("missing.yaml");

    Result r = run("--config", missing.toString(), "--interface", "eth0");

    assertThat(r.code()).as(r.err()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains(missing.toString()).contains("does not exist");
  }

  // --- validate

  @Test
  void validateAcceptsAGoodConfiguration() throws IOException {
    Path good = write("good.yaml", VALID);

    Result r = run("validate", "--config", good.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(good + ": configuration is valid" + System.lineSeparator());
    assertThat(r.err()).isEmpty();
  }

  @Test
  void validateAcceptsTheOptionValueAfterAnEqualsSign() throws IOException {
    Path good = write("good.yaml", VALID);

    Result r = run("validate", "--config=" + good);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("configuration is valid");
  }

  @Test
  void validatePrintsTheProblemsOfABadConfigurationAsTheyAre() throws IOException {
    Path bad = write("bad.yaml", VALID.replace("collection_interval: 10s", "collection_interval: often"));

    Result r = run("validate", "--config", bad.toString());

    assertThat(r.code()).isEqualTo(Main.USAGE);
    // ConfigException messages print without the "ena-receiver: " prefix: file:line: key: problem.
    assertThat(r.err()).startsWith(bad + ":3: receivers.ethtool.collection_interval:");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void helpAnswersEvenWhenARequiredOptionIsMissing() {
    Result r = run("validate", "--help");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Usage: ena-receiver validate").contains("Configuration file to check.");
  }

  // --- usage errors

  /**
   * Every usage error has one shape: exit code 2, the message as the first line of stderr, the
   * usage of the command the user asked for right below it, and nothing on stdout. Each row
   * names the rule it pins.
   */
  @ParameterizedTest
  @MethodSource("usageErrors")
  void aUsageErrorPrintsTheMessageThenTheUsage(List<String> args, String message, String usage, TestInfo row) {
    // The row's name in every failure message: surefire's report shows only the row's index.
    assertUsageError(row.getDisplayName(), run(args.toArray(String[]::new)), message, usage);
  }

  private static final String FROM_ALONE =
      "--from reads saved captures; it cannot be combined with --interface, --config or --watch";

  static Stream<Arguments> usageErrors() {
    return Stream.of(
        argumentSet("without a command only run's options are accepted (--all is stats')",
            List.of("--all"), "Unknown option: '--all'", "ena-receiver run"),
        argumentSet("validate needs --config",
            List.of("validate"), "Missing required option: '--config=FILE'", "ena-receiver validate --config <FILE>"),
        argumentSet("an option without its value",
            List.of("validate", "--config"), "Missing value for option '--config' (FILE)", "ena-receiver validate"),
        argumentSet("an unknown option is named",
            List.of("validate", "--nosuch", "x"), "Unknown option: '--nosuch'", "ena-receiver validate"),
        argumentSet("long options must be spelled out (no --conf for --config)",
            List.of("validate", "--conf", "x.yaml"), "Unknown option: '--conf'", "ena-receiver validate"),
        argumentSet("a stray argument",
            List.of("stats", "--interface", "eth0", "eth1"), "Unexpected argument: 'eth1'", "ena-receiver stats"),
        argumentSet("stats --format is table or json",
            List.of("stats", "--format", "xml"),
            "Invalid value for option '--format': expected one of [table, json], found 'xml'", "ena-receiver stats"),
        argumentSet("stats --watch is at least 1s",
            List.of("stats", "--watch", "0.5s"),
            "--watch 0.5s: at least 1s (each read is a command to the ENA device)", "ena-receiver stats"),
        argumentSet("stats --watch must be a duration",
            List.of("stats", "--watch", "soon"),
            "--watch soon: expected a duration such as 15s, 500ms or 1m30s (units: ns, us, ms, s, m, h), found 'soon'",
            "ena-receiver stats"),
        argumentSet("stats --from cannot be combined with --interface",
            List.of("stats", "--from", "a.txt", "--interface", "x"), FROM_ALONE, "ena-receiver stats"),
        argumentSet("stats --from cannot be combined with a bare --watch (it means 1s: watching)",
            List.of("stats", "--watch", "--from", "a.txt"), FROM_ALONE, "ena-receiver stats"),
        argumentSet("a mistyped option after --from's files is not taken as a file",
            List.of("stats", "--from", "a.txt", "--bogus"), "Unknown option: '--bogus'", "ena-receiver stats"),
        argumentSet("a mistyped option after a bare --watch is not taken as its interval",
            List.of("stats", "--watch", "--bogus"), "Unknown option: '--bogus'", "ena-receiver stats"),
        argumentSet("a mistyped option after --config is not taken as its file",
            List.of("validate", "--config", "--x"), "Unknown option: '--x'", "ena-receiver validate"),
        argumentSet("the help flag names at most one command",
            List.of("--help", "stats", "validate"), "Unexpected argument: 'validate'", "ena-receiver [-h]"),
        argumentSet("help of an unknown command",
            List.of("help", "nosuch"), "Unknown command: 'nosuch' (commands: run, stats, validate)",
            "ena-receiver [-h]"));
  }

  /** Not a row of the table: it needs a valid file, so that the repetition is the only fault. */
  @Test
  void anOptionGivenTwiceThatTakesOneValueIsAUsageError() throws IOException {
    Path good = write("good.yaml", VALID);

    Result r = run("validate", "--config", good.toString(), "--config", good.toString());

    assertUsageError("validate --config twice", r,
        "Option '--config' should be given only once", "ena-receiver validate");
  }

  /** The shape of a usage error: exit code 2, message, usage of {@code usage} (its start), empty stdout. */
  private static void assertUsageError(String what, Result r, String message, String usage) {
    assertThat(r.code()).as("%s: exit code%n%s", what, r.err()).isEqualTo(Main.USAGE);
    List<String> err = r.err().lines().toList();
    assertThat(err).as("%s: stderr lines", what).hasSizeGreaterThan(1);
    assertThat(err.getFirst()).as("%s: message", what).isEqualTo(message);
    assertThat(err.get(1)).as("%s: usage below the message", what).startsWith("Usage: " + usage + " ");
    assertThat(r.out()).as("%s: stdout", what).isEmpty();
  }

  // --- stats

  @Test
  void statsInterfaceIsRepeatableAndAnUnknownOneIsARuntimeFailure() {
    Result r = run("stats", "--interface", "enanosuch0", "--interface", "enanosuch1");

    assertThat(r.code()).isEqualTo(Main.RUNTIME_FAILURE);
    // Both named: neither occurrence of the repeated option was lost.
    assertThat(r.err()).contains("enanosuch0").contains("enanosuch1");
  }

  // --- stats over saved captures, end to end

  @Test
  void statsFromReadsSavedCaptures() throws IOException {
    Path capture = capture("capture.txt", 4242, 9085);

    Result r = run("stats", "--from", capture.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("INTERFACE  DRIVER  BW_IN  BW_OUT   PPS  CONNTRACK  LINKLOCAL  CONNTRACK_AVAIL");
    assertThat(r.out()).containsPattern("(?m)^eth0 +ena +0 +0 +4242 +0 +9085 +-$");
  }

  @Test
  void statsFromTakesSeveralFilesAndJson() throws IOException {
    Path first = capture("first.txt", 4242, 9085);
    Path second = capture("second.txt", 7, 8);

    Result r = run("stats", "--from", first.toString(), second.toString(), "--format", "json");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("{\"interfaces\":[{\"name\":\"eth0\"")
        .contains("\"pps_allowance_exceeded\":4242").contains("\"pps_allowance_exceeded\":7");
  }

  /** A real ENA capture with the pps and linklocal counters set, so that the table shows them. */
  private Path capture(String name, long pps, long linklocal) throws IOException {
    String text;
    try (InputStream in = getClass().getResourceAsStream("/captures/ena-2.x-kernel5.4-2queues-qmar1.txt")) {
      assertThat(in).as("test capture").isNotNull();
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String changed = text.replace("pps_allowance_exceeded: 0", "pps_allowance_exceeded: " + pps)
        .replace("linklocal_allowance_exceeded: 0", "linklocal_allowance_exceeded: " + linklocal);
    assertThat(changed).as("capture with counters set").contains("pps_allowance_exceeded: " + pps);
    return write(name, changed);
  }

  // --- help and version

  // Each case is a command line, its words separated by single spaces.

  @ParameterizedTest
  @ValueSource(strings = {"--version", "-V", "stats -V", "validate --version", "help --version"})
  void versionPrintsTheVersionLine(String line) {
    Result r = run(line.split(" "));

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).matches("ena-receiver \\d+\\.\\d+\\.\\d+\\S* \\(Java .+\\)\\R");
  }

  /** However the help of a command is asked for, before or after its name. */
  @ParameterizedTest
  @ValueSource(strings = {"help stats", "stats --help", "stats -h", "help stats --help", "--help stats", "-h stats"})
  void helpOfACommandDescribesItsOptions(String line) {
    Result r = run(line.split(" "));

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith("Usage: ena-receiver stats")
        .contains("Show the ENA allowance counters")
        .containsPattern("--watch <INTERVAL> +Refresh every INTERVAL \\(default 1s, at least 1s\\)")
        .contains("--from <FILE>").contains("-h,--help").contains("-V,--version");
    assertThat(r.err()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"--help", "-h", "help", "help --help"})
  void topLevelHelpListsTheCommands(String line) {
    Result r = run(line.split(" "));

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .containsPattern("(?m)^  run +Run the receiver")
        .containsPattern("(?m)^  stats +Show the ENA allowance counters")
        .containsPattern("(?m)^  validate +Check a configuration file")
        .containsPattern("(?m)^  help +");
    assertThat(r.err()).isEmpty();
  }
}
