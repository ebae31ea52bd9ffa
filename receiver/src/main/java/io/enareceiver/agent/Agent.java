package io.enareceiver.agent;

import io.enareceiver.ReceiverVersion;
import io.enareceiver.config.Config;
import io.enareceiver.config.InterfacesConfig;
import io.enareceiver.config.InterfacePattern;
import io.enareceiver.config.KnownMetrics;
import io.enareceiver.config.MetricSettings;
import io.enareceiver.config.ReplayConfig;
import io.enareceiver.ena.CaptureException;
import io.enareceiver.ethtool.CompositeTracker;
import io.enareceiver.ethtool.EthtoolException;
import io.enareceiver.ethtool.EthtoolReader;
import io.enareceiver.ethtool.InterfaceDiscovery;
import io.enareceiver.ethtool.InterfaceSelector;
import io.enareceiver.ethtool.InterfaceTracker;
import io.enareceiver.ethtool.KernelInterfaceTracker;
import io.enareceiver.export.MetricExporterFactory;
import io.enareceiver.health.HealthServer;
import io.enareceiver.metrics.CatalogStatMapper;
import io.enareceiver.metrics.EnaMetricProducer;
import io.enareceiver.metrics.ResourceResolver;
import io.enareceiver.metrics.Sampler;
import io.enareceiver.metrics.SamplingLoop;
import io.enareceiver.metrics.SelfTelemetry;
import io.enareceiver.replay.ReplayInterfaceTracker;
import io.enareceiver.replay.ReplayStatSource;
import io.enareceiver.resource.IdentityService;
import io.enareceiver.resource.ResourceFactory;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The running receiver: sampling loop, metric producer on an SDK meter provider whose periodic
 * reader exports every collection interval, EC2 identity in the background, health endpoint.
 * Built from a validated {@link Config}; {@link #close()} stops it with a final export.
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = System.getLogger(Agent.class.getName());
  /**
   * Whole shutdown budget is 5 s: an export in flight may finish (so the final one is not dropped
   * as "exporter busy"), then the final export gets the rest, with slack for the JVM to exit.
   */
  private static final Duration IN_FLIGHT_BUDGET = Duration.ofMillis(1_500);
  /** The whole shutdown, from the stop signal: the loop, an export in flight, the final export. */
  private static final Duration SHUTDOWN_EXPORT_BUDGET = Duration.ofMillis(4_000);

  private final Config config;
  private final Sampler sampler;
  private final SamplingLoop loop;
  private final SdkMeterProvider meterProvider;
  private final IdentityService identity;
  private final HealthServer health;
  private final List<ObservedExporter> exporters;
  private volatile boolean closed;

  private Agent(Config config, Sampler sampler, SamplingLoop loop, SdkMeterProvider meterProvider,
      IdentityService identity, HealthServer health, List<ObservedExporter> exporters) {
    this.config = config;
    this.exporters = exporters;
    this.sampler = sampler;
    this.loop = loop;
    this.meterProvider = meterProvider;
    this.identity = identity;
    this.health = health;
  }

  /**
   * Starts everything and returns once the first sample has been taken and the first export
   * is on its way.
   *
   * @param explicitInterfaces interfaces to monitor whatever the filters say (CLI
   *     {@code --interface}); empty for the configured filters
   */
  public static Agent start(Config config, Set<String> explicitInterfaces, Function<String, String> env, PrintStream console)
      throws IOException, EthtoolException, CaptureException, StartupException {
    Clock clock = Clock.getDefault();
    long startMono = System.nanoTime();
    checkInterfaces(config, explicitInterfaces);
    SelfTelemetry self = new SelfTelemetry(clock.now());
    Duration sampling = config.ethtool().samplingInterval();

    InterfaceTracker tracker = tracker(config, explicitInterfaces);
    Map<String, Boolean> enabled = enabledMetrics(config);
    CatalogStatMapper mapper = new CatalogStatMapper(
        name -> enabled.getOrDefault(name, false), genericStatFilter(config.ethtool().metrics().get(KnownMetrics.ETHTOOL_STAT)));
    Sampler sampler = new Sampler(tracker, mapper, sampling, clock,
        BootTime.epochNanos(Path.of("/proc/stat"), clock.now()), self);

    IdentityService identity = IdentityService.fromEnv(env);
    ResourceFactory resources = new ResourceFactory(identity::current, env);
    ResourceResolver resolver = new ResourceResolver() {
      @Override
      public io.opentelemetry.sdk.resources.Resource forInterface(io.enareceiver.ethtool.NetInterface iface) {
        return resources.resourceFor(iface);
      }

      @Override
      public io.opentelemetry.sdk.resources.Resource base() {
        return resources.baseResource();
      }
    };
    EnaMetricProducer producer = new EnaMetricProducer(sampler, resolver, enabled, ReceiverVersion.get(), clock);

    List<ObservedExporter> exporters = new ArrayList<>();
    PeriodicMetricReader reader = PeriodicMetricReader.builder(exporter(config, env, console, self, exporters))
        .setInterval(config.ethtool().collectionInterval())
        .build();
    SdkMeterProvider meterProvider = SdkMeterProvider.builder()
        .registerMetricReader(reader)
        .registerMetricProducer(producer)
        // The SDK reports on its own reader from the second export on, under the node's
        // resource; the receiver has its own ena_receiver.* self-telemetry instead.
        .registerView(InstrumentSelector.builder().setMeterName("io.opentelemetry.sdk.metrics").build(),
            View.builder().setAggregation(Aggregation.drop()).build())
        .build();

    identity.start();
    SamplingLoop loop = new SamplingLoop(sampler, sampling);
    HealthServer health = null;
    try {
      HealthVerdicts verdicts = new HealthVerdicts(self, sampling, startMono, System::nanoTime);
      health = HealthServer.start(config.telemetry().healthEndpoint(), verdicts::liveness, verdicts::readiness);
    } catch (IOException | IllegalArgumentException e) {
      meterProvider.shutdown();
      sampler.close();
      identity.close();
      throw new IOException("cannot serve health checks on " + config.telemetry().healthEndpoint() + ": " + e.getMessage(), e);
    }
    Agent agent = new Agent(config, sampler, loop, meterProvider, identity, health, List.copyOf(exporters));
    loop.start();
    agent.firstExport(sampling);
    return agent;
  }

  /**
   * Fails start-up when an interface named on the command line does not exist: a runtime
   * failure that names the available ones.
   */
  private static void checkInterfaces(Config config, Set<String> explicit) throws StartupException {
    Path sysfs = InterfaceDiscovery.DEFAULT_ROOT;
    List<String> unknown = explicit.stream().filter(n -> !java.nio.file.Files.exists(sysfs.resolve(n))).sorted().toList();
    if (!unknown.isEmpty()) {
      String[] names = new java.io.File(sysfs.toString()).list();
      String available = names == null ? "(none)" : String.join(", ", new java.util.TreeSet<>(List.of(names)));
      throw new StartupException(EXIT_RUNTIME_FAILURE, unknown.stream()
          .map(n -> "no interface named " + n + "; available: " + available)
          .collect(java.util.stream.Collectors.joining("\n")));
    }
  }

  private static final int EXIT_RUNTIME_FAILURE = 1;

  /** Export as soon as the first sample is in rather than one collection interval later. */
  private void firstExport(Duration sampling) {
    long deadline = System.nanoTime() + Math.min(sampling.toNanos(), Duration.ofSeconds(2).toNanos());
    while (sampler.self().passes() == 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    meterProvider.forceFlush();
  }

  private static InterfaceTracker tracker(Config config, Set<String> explicit) throws EthtoolException, CaptureException {
    List<InterfaceTracker> trackers = new ArrayList<>();
    InterfacesConfig filters = config.ethtool().interfaces();
    EthtoolReader reader = EthtoolReader.open();
    KernelInterfaceTracker kernel = new KernelInterfaceTracker(InterfaceDiscovery.DEFAULT_ROOT, reader,
        new InterfaceSelector(filters.include(), filters.exclude(), filters.drivers()), explicit);
    trackers.add(kernel);
    List<ReplayStatSource> replayed = new ArrayList<>();
    try {
      for (ReplayConfig r : config.ethtool().replay()) {
        replayed.add(ReplayStatSource.open(r.name(), r.mac(), r.driver(), r.captures(), r.files(), r.loop()));
      }
    } catch (CaptureException | RuntimeException e) {
      kernel.close(); // its reader and its rtnetlink socket
      replayed.forEach(ReplayStatSource::close);
      throw e;
    }
    if (!replayed.isEmpty()) {
      trackers.add(new ReplayInterfaceTracker(replayed));
    }
    return new CompositeTracker(trackers);
  }

  static Map<String, Boolean> enabledMetrics(Config config) {
    Map<String, Boolean> enabled = new HashMap<>(KnownMetrics.defaults());
    config.ethtool().metrics().forEach((name, settings) -> enabled.put(name, settings.enabled()));
    return Map.copyOf(enabled);
  }

  static Predicate<String> genericStatFilter(MetricSettings settings) {
    if (settings == null) {
      return name -> true;
    }
    List<InterfacePattern> include = settings.include().stream().map(InterfacePattern::compile).toList();
    List<InterfacePattern> exclude = settings.exclude().stream().map(InterfacePattern::compile).toList();
    return name -> include.stream().anyMatch(p -> p.matches(name)) && exclude.stream().noneMatch(p -> p.matches(name));
  }

  private static MetricExporter exporter(Config config, Function<String, String> env, PrintStream console, SelfTelemetry self,
      List<ObservedExporter> observed) {
    for (String name : config.pipelineExporters()) {
      MetricExporter one = MetricExporterFactory.create(List.of(name), config.otlp(), env, console);
      observed.add(new ObservedExporter(name, one, self));
    }
    return observed.size() == 1 ? observed.getFirst() : new io.enareceiver.export.CompositeMetricExporter(List.copyOf(observed));
  }

  public InetSocketAddress healthAddress() {
    return health.address();
  }

  public SelfTelemetry self() {
    return sampler.self();
  }

  public Sampler sampler() {
    return sampler;
  }

  public Config config() {
    return config;
  }

  /** Stops sampling, makes a final export (bounded), and releases everything. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    // One budget for the whole shutdown, counted from here: stopping the loop, letting an
    // export in flight finish, the final export; the JVM exits well inside 5 s.
    long start = System.nanoTime();
    boolean loopStopped = loop.stop(Duration.ofMillis(800));
    // The reader runs one export at a time and drops a collection while one is in flight, the
    // final one included: let a running export finish (bounded) so the latest values go out.
    for (ObservedExporter e : exporters) {
      long left = IN_FLIGHT_BUDGET.toNanos() - (System.nanoTime() - start);
      if (!e.awaitIdle(Duration.ofNanos(Math.max(0, left)))) {
        LOG.log(Level.WARNING, "an export to " + e + " still runs after " + IN_FLIGHT_BUDGET.toMillis()
            + " ms; the final export may be dropped");
      }
    }
    exporters.forEach(ObservedExporter::allowFinalExport);
    // shutdown() collects and exports one last time, then shuts the exporter down.
    long leftMillis = Math.max(0, (SHUTDOWN_EXPORT_BUDGET.toNanos() - (System.nanoTime() - start)) / 1_000_000);
    var result = meterProvider.shutdown().join(leftMillis, TimeUnit.MILLISECONDS);
    if (!result.isSuccess()) {
      LOG.log(Level.WARNING, "final export did not complete within " + SHUTDOWN_EXPORT_BUDGET.toMillis() + " ms of stopping");
    }
    health.close();
    identity.close();
    if (loopStopped) {
      sampler.close();
    } else {
      // A read still runs on the sampling thread: closing the reader's socket and memory under
      // it is not safe, and the process is about to exit anyway.
      LOG.log(Level.WARNING, "a sampling pass still runs; leaving its sources open");
    }
  }
}
