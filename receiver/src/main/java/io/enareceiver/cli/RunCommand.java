package io.enareceiver.cli;

import io.enareceiver.agent.Agent;
import io.enareceiver.config.Config;
import io.enareceiver.config.ConfigLoader;
import io.enareceiver.config.Durations;
import io.enareceiver.ReceiverVersion;
import java.io.PrintWriter;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code ena-receiver run}: the agent. Samples every {@code sampling_interval}, exports every
 * {@code collection_interval}, and on SIGTERM makes a final export and exits within 5 seconds.
 */
final class RunCommand implements Subcommand {
  private static final Logger LOG = System.getLogger(RunCommand.class.getName());

  @Override
  public String name() {
    return "run";
  }

  @Override
  public String description() {
    return "Run the receiver: sample the driver every second, export over OTLP every collection interval.";
  }

  @Override
  public Options options() {
    return new Options()
        .addOption(Option.builder().longOpt("config").hasArg().argName("FILE")
            .desc("Configuration file (default: built-in defaults).").get())
        .addOption(Option.builder().longOpt("interface").hasArg().argName("NAME")
            .desc("Monitor this interface whatever the filters say (repeatable).").get());
  }

  /** The console exporter writes to System.out itself: {@code out} stays unused by the agent. */
  @Override
  public int run(CommandLine line, PrintWriter out, PrintWriter err) throws Exception {
    String config = Cli.value(line, "config", null);
    List<String> interfaces = Cli.values(line, "interface");
    Config cfg = config == null ? ConfigLoader.defaults() : ConfigLoader.load(Path.of(config));
    Logging.configure(cfg.telemetry().logLevel());
    CountDownLatch stopped = new CountDownLatch(1);
    Agent agent = Agent.start(cfg, new LinkedHashSet<>(interfaces), System::getenv, System.out);
    Thread hook = Thread.ofPlatform().name("ena-shutdown").unstarted(() -> {
      LOG.log(Level.INFO, "stopping: final export");
      agent.close();
      stopped.countDown();
    });
    Runtime.getRuntime().addShutdownHook(hook);
    LOG.log(Level.INFO, "ena-receiver {0} started: sampling every {1}, exporting every {2} to {3}; health on http://{4}/readyz",
        ReceiverVersion.get(), Durations.format(cfg.ethtool().samplingInterval()), Durations.format(cfg.ethtool().collectionInterval()),
        String.join(", ", cfg.pipelineExporters()), hostPort(agent));
    stopped.await();
    return Main.OK;
  }

  private static String hostPort(Agent agent) {
    var a = agent.healthAddress();
    String host = a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }
}
