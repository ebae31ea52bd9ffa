package io.enareceiver.cli;

import io.enareceiver.config.Config;
import io.enareceiver.config.ConfigLoader;
import io.enareceiver.config.ReplayConfig;
import io.enareceiver.replay.ReplayStatSource;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ena-receiver validate --config FILE}: checks a configuration, prints every problem. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check a configuration file and print every problem with its file, line and key.")
final class ValidateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "Configuration file to check.")
  Path config;

  @Override
  public Integer call() throws Exception {
    // ConfigException propagates: Main prints its problems and exits 2.
    Config cfg = ConfigLoader.load(config);
    // Replayed captures are input too: parse them now (a bad one throws CaptureException, exit 2)
    // so that validate finds what run would refuse at start.
    for (ReplayConfig r : cfg.ethtool().replay()) {
      ReplayStatSource.open(r.name(), r.mac(), r.driver(), r.captures(), r.files(), r.loop()).close();
    }
    spec.commandLine().getOut().println(config + ": configuration is valid");
    return Main.OK;
  }
}
