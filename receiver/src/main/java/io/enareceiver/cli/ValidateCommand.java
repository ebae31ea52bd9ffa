package io.enareceiver.cli;

import io.enareceiver.config.Config;
import io.enareceiver.config.ConfigLoader;
import io.enareceiver.config.ReplayConfig;
import io.enareceiver.replay.ReplayStatSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code ena-receiver validate --config FILE}: checks a configuration, prints every problem. */
final class ValidateCommand implements Subcommand {
  @Override
  public String name() {
    return "validate";
  }

  @Override
  public String description() {
    return "Check a configuration file and print every problem with its file, line and key.";
  }

  @Override
  public Options options() {
    return new Options()
        .addOption(Option.builder().longOpt("config").hasArg().argName("FILE").required()
            .desc("Configuration file to check.").get());
  }

  @Override
  public int run(CommandLine line, PrintWriter out, PrintWriter err) throws Exception {
    Path config = Path.of(Cli.value(line, "config", null));
    // ConfigException propagates: Main prints its problems and exits 2.
    Config cfg = ConfigLoader.load(config);
    // Replayed captures are input too: parse them now (a bad one throws CaptureException, exit 2)
    // so that validate finds what run would refuse at start.
    for (ReplayConfig r : cfg.ethtool().replay()) {
      ReplayStatSource.open(r.name(), r.mac(), r.driver(), r.captures(), r.files(), r.loop()).close();
    }
    out.println(config + ": configuration is valid");
    return Main.OK;
  }
}
