package io.enareceiver.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.MissingArgumentException;
import org.apache.commons.cli.MissingOptionException;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.commons.cli.UnrecognizedOptionException;

/**
 * What every command shares: the standard {@code -h/--help} and {@code -V/--version} options,
 * parsing with Commons CLI, the help text, and the one-line message of a usage error.
 *
 * <p>Commons CLI rather than an annotation-driven library: it builds a handful of {@link Option}
 * objects for the command that runs, with no reflection, which keeps the agent's class metadata
 * (and so its resident memory) small.
 */
final class Cli {
  static final String HELP = "help";
  static final String VERSION = "version";

  /** The help is read in a terminal: 80 columns. */
  private static final int WIDTH = 80;
  private static final int LEFT_PAD = 2;
  private static final int DESCRIPTION_PAD = 3;

  private Cli() {}

  /** {@code options} plus {@code -h/--help} and {@code -V/--version}, which every command accepts. */
  static Options withStandardOptions(Options options) {
    return options
        .addOption(Option.builder("h").longOpt(HELP).desc("Show this help message and exit.").get())
        .addOption(Option.builder("V").longOpt(VERSION).desc("Print version information and exit.").get());
  }

  /**
   * Parses {@code args}: long options must be spelled out ({@code --conf} is not {@code --config}),
   * and at most {@code maxArguments} arguments may stand outside options.
   */
  static CommandLine parse(Options options, String[] args, int maxArguments) throws ParseException {
    CommandLine line = new StandardOptionsFirstParser().parse(options, args);
    rejectOptionsTakenAsValues(line);
    List<String> arguments = line.getArgList();
    if (arguments.size() > maxArguments) {
      throw new ParseException("Unexpected argument: '" + arguments.get(maxArguments) + "'");
    }
    return line;
  }

  /**
   * Commons CLI takes any token after an option that wants a value as that value, unless it is a
   * declared option: {@code stats --from a.txt --bogus} would read a file named "--bogus" and
   * {@code stats --watch --bogus} would complain about a duration. A value that looks like an
   * option is a mistyped option: say so, as for any unknown option.
   */
  private static void rejectOptionsTakenAsValues(CommandLine line) throws UnrecognizedOptionException {
    for (Option option : line.getOptions()) {
      String[] values = option.getValues();
      for (String value : values == null ? new String[0] : values) {
        if (value.length() > 1 && value.startsWith("-")) {
          throw new UnrecognizedOptionException("Unknown option: '" + value + "'", value);
        }
      }
    }
  }

  /**
   * The value of an option that may be given once, or {@code fallback} when it is absent or has no
   * value. Commons CLI keeps every occurrence; a second {@code --config} would silently lose one.
   */
  static String value(CommandLine line, String option, String fallback) throws ParseException {
    long given = Arrays.stream(line.getOptions()).filter(o -> option.equals(o.getLongOpt())).count();
    if (given > 1) {
      throw new ParseException("Option '--" + option + "' should be given only once");
    }
    return line.getOptionValue(option, fallback);
  }

  /** Every value of a repeatable option, in command-line order; empty when it is absent. */
  static List<String> values(CommandLine line, String option) {
    String[] values = line.getOptionValues(option);
    return values == null ? List.of() : List.of(values);
  }

  /**
   * The first line of a usage error, naming the option or value at fault in the spelling the
   * user typed ({@code --config}, not Commons CLI's key {@code config}).
   */
  static String message(ParseException e, Options options) {
    return switch (e) {
      case UnrecognizedOptionException u -> "Unknown option: '" + u.getOption() + "'";
      case MissingArgumentException m -> "Missing value for option '" + spelling(m.getOption()) + "' ("
          + m.getOption().getArgName() + ")";
      case MissingOptionException m -> "Missing required option: " + missing(m).stream()
          .map(key -> "'" + synopsis(options.getOption(String.valueOf(key))) + "'")
          .collect(Collectors.joining(", "));
      default -> e.getMessage();
    };
  }

  /**
   * The help of a command: usage line, description, options in the order the command declares
   * them.
   *
   * <p>This is Commons CLI's classic formatter, deprecated since 1.10 in favour of
   * {@code org.apache.commons.cli.help.HelpFormatter}. The newer one pads every line of the option
   * table with trailing spaces, adds a centred "Options / Description" title row, and wraps the
   * usage line between an option and its value; the classic one prints the compact, aligned help
   * users know from other tools.
   */
  @SuppressWarnings("deprecation")
  static void printHelp(PrintWriter w, String syntax, String description, Options options, boolean autoUsage) {
    org.apache.commons.cli.HelpFormatter formatter = formatter();
    formatter.printHelp(w, WIDTH, syntax, description, options, LEFT_PAD, DESCRIPTION_PAD, null, autoUsage);
    w.flush();
  }

  /**
   * Text under a help, wrapped at the help's width; lines after the first are indented by
   * {@code hangingIndent} (a table of commands and their summaries).
   */
  @SuppressWarnings("deprecation")
  static void printWrapped(PrintWriter w, int hangingIndent, String text) {
    formatter().printWrapped(w, WIDTH, hangingIndent, text);
    w.flush();
  }

  @SuppressWarnings("deprecation")
  private static org.apache.commons.cli.HelpFormatter formatter() {
    org.apache.commons.cli.HelpFormatter formatter = org.apache.commons.cli.HelpFormatter.builder().get();
    formatter.setSyntaxPrefix("Usage: ");
    // Declaration order: the options a command is about come first, -h and -V last.
    formatter.setOptionComparator(null);
    return formatter;
  }

  /** The keys of the missing options (Commons CLI's list is a raw type). */
  private static List<?> missing(MissingOptionException e) {
    return e.getMissingOptions();
  }

  /** {@code --config}, or {@code -h} for an option with only a short name. */
  private static String spelling(Option option) {
    return option.hasLongOpt() ? "--" + option.getLongOpt() : "-" + option.getOpt();
  }

  /** {@code --config=FILE}: the option as the help shows it. */
  private static String synopsis(Option option) {
    return option.hasArg() ? spelling(option) + "=" + option.getArgName() : spelling(option);
  }

  /**
   * Commons CLI's parser, except that {@code --help} and {@code --version} answer even when a
   * required option is missing: {@code validate --help} shows the help instead of complaining
   * that {@code --config} is missing.
   */
  private static final class StandardOptionsFirstParser extends DefaultParser {
    StandardOptionsFirstParser() {
      super(false); // no partial matching of long options
    }

    @Override
    protected void checkRequiredOptions() throws MissingOptionException {
      if (!cmd.hasOption(HELP) && !cmd.hasOption(VERSION)) {
        super.checkRequiredOptions();
      }
    }
  }
}
