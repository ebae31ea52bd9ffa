package io.enareceiver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void withoutACommandOnlyRunsOptionsAreAccepted() {
    // --all is a stats option: taken as run's arguments it is unknown.
    Result r = run("--all");

    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains("Unknown option: '--all'").contains("Usage: ena-receiver run");
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
  void validateNeedsConfig() {
    Result r = run("validate");

    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertThat(r.err().lines().findFirst()).hasValue("Missing required option: '--config=FILE'");
    assertThat(r.err()).contains("Usage: ena-receiver validate --config <FILE>");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void anOptionWithoutItsValueIsAUsageError() {
    Result r = run("validate", "--config");

    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertThat(r.err()).startsWith("Missing value for option '--config' (FILE)");
  }

  @Test
  void helpAnswersEvenWhenARequiredOptionIsMissing() {
    Result r = run("validate", "--help");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Usage: ena-receiver validate").contains("Configuration file to check.");
  }

  @Test
  void anOptionGivenTwiceThatTakesOneValueIsAUsageError() throws IOException {
    Path good = write("good.yaml", VALID);

    Result r = run("validate", "--config", good.toString(), "--config", good.toString());

    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertThat(r.err()).startsWith("Option '--config' should be given only once");
  }

  // --- usage errors

  @Test
  void anUnknownOptionIsAUsageErrorNamingIt() {
    Result r = run("validate", "--nosuch", "x");

    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertThat(r.err().lines().findFirst()).hasValue("Unknown option: '--nosuch'");
    assertThat(r.err()).contains("Usage: ena-receiver validate");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void longOptionsMustBeSpelledOut() {
    Result r = run("validate", "--conf", "x.yaml");

    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertThat(r.err()).startsWith("Unknown option: '--conf'");
  }

  @Test
  void aStrayArgumentIsAUsageError() {
    Result r = run("stats", "--interface", "eth0", "eth1");

    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertThat(r.err()).startsWith("Unexpected argument: 'eth1'");
  }

  @Test
  void statsFormatIsTableOrJson() {
    Result r = run("stats", "--format", "xml");

    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertThat(r.err().lines().findFirst()).hasValueSatisfying(line -> assertThat(line)
        .contains("--format").contains("xml").contains("table").contains("json"));
    assertThat(r.err()).contains("Usage: ena-receiver stats");
  }

  @Test
  void statsWatchsIntervalIsAtLeastOneSecond() {
    Result r = run("stats", "--watch", "0.5s");

    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains("--watch 0.5s").contains("at least 1s");
  }

  @Test
  void statsWatchsIntervalMustBeADuration() {
    Result r = run("stats", "--watch", "soon");

    assertThat(r.code()).isEqualTo(Main.USAGE);
    // A usage error like the parser's: the message, then the usage.
    assertThat(r.err()).startsWith("--watch soon:").contains("Usage: ena-receiver stats");
  }

  @Test
  void statsFromCannotBeCombinedWithInterface() {
    Result r = run("stats", "--from", "a.txt", "--interface", "x");

    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains("cannot be combined").contains("Usage: ena-receiver stats");
  }

  @Test
  void aMistypedOptionAfterAnOptionThatTakesValuesIsNotTakenAsAValue() {
    Result afterFrom = run("stats", "--from", "a.txt", "--bogus");
    Result afterBareWatch = run("stats", "--watch", "--bogus");
    Result afterConfig = run("validate", "--config", "--x");

    assertThat(List.of(afterFrom, afterBareWatch, afterConfig)).allSatisfy(r -> {
      assertThat(r.code()).isEqualTo(Main.USAGE);
      assertThat(r.err()).containsPattern("Unknown option: '--(bogus|x)'").contains("Usage: ena-receiver");
    });
  }

  @Test
  void statsInterfaceIsRepeatableAndAnUnknownOneIsARuntimeFailure() {
    Result r = run("stats", "--interface", "enanosuch0", "--interface", "enanosuch1");

    assertThat(r.code()).isEqualTo(Main.RUNTIME_FAILURE);
    // Both named: neither occurrence of the repeated option was lost.
    assertThat(r.err()).contains("enanosuch0").contains("enanosuch1");
  }

  @Test
  void statsFromCannotBeCombinedWithABareWatch() {
    // A bare --watch means 1s, so it is watching.
    Result r = run("stats", "--watch", "--from", "a.txt");

    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains("cannot be combined");
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

  @Test
  void versionPrintsTheVersionLine() {
    for (String[] args : new String[][] {{"--version"}, {"-V"}, {"stats", "-V"}, {"validate", "--version"}}) {
      Result r = run(args);

      assertThat(r.code()).as(String.join(" ", args)).isZero();
      assertThat(r.out()).as(String.join(" ", args)).matches("ena-receiver \\d+\\.\\d+\\.\\d+\\S* \\(Java .+\\)\\R");
    }
  }

  @Test
  void helpOfACommandDescribesItsOptions() {
    for (String[] args : new String[][] {{"help", "stats"}, {"stats", "--help"}, {"stats", "-h"}}) {
      Result r = run(args);

      assertThat(r.code()).as(String.join(" ", args)).isZero();
      assertThat(r.out()).as(String.join(" ", args))
          .startsWith("Usage: ena-receiver stats")
          .contains("Show the ENA allowance counters")
          .containsPattern("--watch <INTERVAL> +Refresh every INTERVAL \\(default 1s, at least 1s\\)")
          .contains("--from <FILE>").contains("-h,--help").contains("-V,--version");
      assertThat(r.err()).isEmpty();
    }
  }

  @Test
  void topLevelHelpListsTheCommands() {
    for (String[] args : new String[][] {{"--help"}, {"-h"}, {"help"}}) {
      Result r = run(args);

      assertThat(r.code()).as(String.join(" ", args)).isZero();
      assertThat(r.out()).as(String.join(" ", args))
          .containsPattern("(?m)^  run +Run the receiver")
          .containsPattern("(?m)^  stats +Show the ENA allowance counters")
          .containsPattern("(?m)^  validate +Check a configuration file")
          .containsPattern("(?m)^  help +");
    }
  }

  @Test
  void helpOfAnUnknownCommandIsAUsageError() {
    Result r = run("help", "nosuch");

    assertThat(r.code()).isEqualTo(Main.USAGE);
    assertThat(r.err()).startsWith("Unknown command: 'nosuch'");
    assertThat(r.out()).isEmpty();
  }
}
