package io.enareceiver.cli;

import io.enareceiver.config.ConfigException;
import io.enareceiver.ReceiverVersion;
import io.enareceiver.ena.CaptureException;
import java.util.Arrays;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code java -jar ena-receiver.jar}. Without a command it runs the receiver
 * ({@code run}), like a collector binary does.
 *
 * <p>Exit codes, for every command: 0 success, 2 usage or configuration error (including a
 * capture that a replay entry or {@code stats --capture} names and that cannot be used: it is
 * input the user gave, like the config file), 1 runtime failure.
 */
@Command(
    name = "ena-receiver",
    mixinStandardHelpOptions = true,
    versionProvider = ReceiverVersion.Provider.class,
    description = "Reads ENA allowance counters (ethtool -S) straight from the driver and pushes them over OTLP.",
    subcommands = {RunCommand.class, StatsCommand.class, ValidateCommand.class, CommandLine.HelpCommand.class})
public final class Main {
  public static final int OK = 0;
  public static final int RUNTIME_FAILURE = 1;
  public static final int USAGE = 2;

  private static final Set<String> TOP_LEVEL = Set.of("run", "stats", "validate", "help", "-h", "--help", "-V", "--version");

  private Main() {}

  public static void main(String[] args) {
    Logging.install();
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code (for tests: no System.exit). */
  public static int execute(String... args) {
    Logging.configure("info");
    String[] effective = args.length == 0 || !TOP_LEVEL.contains(args[0]) ? prepend("run", args) : args;
    CommandLine cli = commandLine();
    return cli.execute(effective);
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(Main.class);
    cli.setExitCodeExceptionMapper(e -> e instanceof io.enareceiver.agent.StartupException s ? s.exitCode()
        : e instanceof ConfigException || e instanceof UsageException || e instanceof CaptureException ? USAGE
        : RUNTIME_FAILURE);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println(message(e));
      return commandLine.getExitCodeExceptionMapper().getExitCode(e);
    });
    return cli;
  }

  static String message(Exception e) {
    if (e instanceof ConfigException) {
      return e.getMessage();
    }
    return "ena-receiver: " + (e.getMessage() == null ? e.toString() : e.getMessage());
  }

  private static String[] prepend(String first, String[] rest) {
    String[] out = new String[rest.length + 1];
    out[0] = first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }

  /** A mistake in how the command was called that parsing alone cannot catch. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  @Override
  public String toString() {
    return "ena-receiver " + Arrays.toString(TOP_LEVEL.toArray());
  }
}
