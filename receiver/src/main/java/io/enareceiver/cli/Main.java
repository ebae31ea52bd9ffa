package io.enareceiver.cli;

import io.enareceiver.ReceiverVersion;
import io.enareceiver.agent.StartupException;
import io.enareceiver.config.ConfigException;
import io.enareceiver.ena.CaptureException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * Entry point of {@code java -jar ena-receiver.jar}. Without a command it runs the receiver
 * ({@code run}), like a collector binary does.
 *
 * <p>Exit codes, for every command: 0 success, 2 usage or configuration error (including a
 * capture that a replay entry or {@code stats --from} names and that cannot be used: it is
 * input the user gave, like the config file), 1 runtime failure.
 */
public final class Main {
  public static final int OK = 0;
  public static final int RUNTIME_FAILURE = 1;
  public static final int USAGE = 2;

  private static final String DESCRIPTION =
      "Reads ENA allowance counters (ethtool -S) straight from the driver and pushes them over OTLP.";
  /** Where the command summaries start in the top-level help. */
  private static final int SUMMARY_COLUMN = 12;

  private Main() {}

  public static void main(String[] args) {
    Logging.install();
    System.exit(execute(args));
  }

  /** Runs a command line on standard output and error and returns its exit code (no System.exit). */
  public static int execute(String... args) {
    return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs a command line; the first argument picks the command, Commons CLI parses the rest. */
  static int execute(PrintWriter out, PrintWriter err, String... args) {
    Logging.configure("info");
    try {
      String first = args.length == 0 ? "" : args[0];
      String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
      return switch (first) {
        case "help" -> help(rest, out, err);
        // `ena-receiver --help [COMMAND]` is `ena-receiver help [COMMAND]`, with the flag kept.
        case "-h", "--help", "-V", "--version" -> help(args, out, err);
        default -> {
          Subcommand named = command(first);
          // Not a command: the arguments are run's, as in `java -jar ena-receiver.jar --config x`.
          yield named != null ? runCommand(named, rest, out, err) : runCommand(new RunCommand(), args, out, err);
        }
      };
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** Every command, in the order the top-level help lists them. Cheap: options are built on use. */
  private static List<Subcommand> commands() {
    return List.of(new RunCommand(), new StatsCommand(), new ValidateCommand());
  }

  private static Subcommand command(String name) {
    return commands().stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
  }

  private static int runCommand(Subcommand command, String[] args, PrintWriter out, PrintWriter err) {
    Options options = Cli.withStandardOptions(command.options());
    try {
      CommandLine line = Cli.parse(options, args, 0);
      if (line.hasOption(Cli.HELP)) {
        printHelp(out, command, options);
        return OK;
      }
      if (line.hasOption(Cli.VERSION)) {
        out.println(ReceiverVersion.versionLine());
        return OK;
      }
      return command.run(line, out, err);
    } catch (ParseException e) {
      err.println(Cli.message(e, options));
      printHelp(err, command, options);
      return USAGE;
    } catch (Exception e) {
      err.println(message(e));
      return exitCode(e);
    }
  }

  /**
   * {@code ena-receiver help [COMMAND]}, {@code ena-receiver -h|--help [COMMAND]} and
   * {@code ena-receiver -V|--version}: the help of a command when one is named (with or without a
   * help flag: {@code help stats --help} is still the help of stats), else the top-level help.
   */
  private static int help(String[] args, PrintWriter out, PrintWriter err) {
    Options options = Cli.withStandardOptions(new Options());
    try {
      CommandLine line = Cli.parse(options, args, 1);
      if (line.hasOption(Cli.VERSION)) {
        out.println(ReceiverVersion.versionLine());
        return OK;
      }
      if (line.getArgList().isEmpty()) {
        printTopLevelHelp(out);
        return OK;
      }
      String name = line.getArgList().getFirst();
      Subcommand command = command(name);
      if (command == null) {
        throw new ParseException("Unknown command: '" + name + "' (commands: "
            + String.join(", ", commands().stream().map(Subcommand::name).toList()) + ")");
      }
      printHelp(out, command, Cli.withStandardOptions(command.options()));
      return OK;
    } catch (ParseException e) {
      err.println(Cli.message(e, options));
      printTopLevelHelp(err);
      return USAGE;
    }
  }

  private static void printHelp(PrintWriter w, Subcommand command, Options options) {
    Cli.printHelp(w, "ena-receiver " + command.name(), command.description(), options, true);
  }

  private static void printTopLevelHelp(PrintWriter w) {
    Cli.printHelp(w, "ena-receiver [-h] [-V] [COMMAND [OPTION...]]", DESCRIPTION, Cli.withStandardOptions(new Options()), false);
    w.println();
    w.println("Commands:");
    for (Subcommand command : commands()) {
      summary(w, command.name(), command.description().lines().findFirst().orElse(""));
    }
    summary(w, "help", "Show the help of COMMAND, or this help: help [COMMAND].");
    w.println();
    Cli.printWrapped(w, 0, "Without a command, ena-receiver runs the receiver: `ena-receiver --config FILE` is "
        + "`ena-receiver run --config FILE`. Every command accepts -h/--help and -V/--version.");
  }

  private static void summary(PrintWriter w, String name, String text) {
    String padded = "  " + name + " ".repeat(Math.max(1, SUMMARY_COLUMN - 2 - name.length()));
    Cli.printWrapped(w, SUMMARY_COLUMN, padded + text);
  }

  /** The exit code of a failed command: 2 for bad input the user gave, else 1. */
  static int exitCode(Exception e) {
    return e instanceof StartupException s ? s.exitCode()
        : e instanceof ConfigException || e instanceof CaptureException ? USAGE
        : RUNTIME_FAILURE;
  }

  static String message(Exception e) {
    if (e instanceof ConfigException) {
      return e.getMessage();
    }
    return "ena-receiver: " + (e.getMessage() == null ? e.toString() : e.getMessage());
  }
}
