package io.enareceiver.cli;

import java.io.PrintWriter;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * One command of {@code ena-receiver} ({@code run}, {@code stats}, {@code validate}): what its
 * help shows, the options it takes, and what it does once Commons CLI has parsed them.
 */
interface Subcommand {
  /** The word that selects the command: {@code ena-receiver NAME ...}. */
  String name();

  /** For the help: the first line is the summary the top-level help lists, further lines add detail. */
  String description();

  /**
   * The command's own options ({@link Cli} adds {@code -h/--help} and {@code -V/--version}). Built
   * on each call, so that only the command that runs pays for its options.
   */
  Options options();

  /**
   * Runs the command.
   *
   * @param out what the user asked for (tables, JSON, "configuration is valid")
   * @param err diagnostics
   * @return the exit code, {@link Main#OK} or {@link Main#RUNTIME_FAILURE}
   * @throws ParseException for an option value the parser took but the command cannot use (a
   *     usage error: Main prints it with the command's help and exits 2)
   * @throws Exception anything else: Main maps it to an exit code ({@link Main#exitCode})
   */
  int run(CommandLine line, PrintWriter out, PrintWriter err) throws Exception;
}
