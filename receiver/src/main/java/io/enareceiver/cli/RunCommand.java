package io.enareceiver.cli;

import io.enareceiver.agent.Agent;
import io.enareceiver.config.Config;
import io.enareceiver.config.ConfigLoader;
import io.enareceiver.config.Durations;
import io.enareceiver.ReceiverVersion;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ena-receiver run}: the agent. Samples every {@code sampling_interval}, exports every
 * {@code collection_interval}, and on SIGTERM makes a final export and exits within 5 seconds.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the receiver: sample the driver every second, export over OTLP every collection interval.")
final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = System.getLogger(RunCommand.class.getName());

  @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (default: built-in defaults).")
  Path config;

  @Option(names = "--interface", paramLabel = "NAME", description = "Monitor this interface whatever the filters say (repeatable).")
  List<String> interfaces = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Config cfg = config == null ? ConfigLoader.defaults() : ConfigLoader.load(config);
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
