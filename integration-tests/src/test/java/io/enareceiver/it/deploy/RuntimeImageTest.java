package io.enareceiver.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container's Java runtime, built the way the Dockerfile builds it (deploy/build-runtime.sh,
 * jdeps + jlink), runs the receiver jar with the flags of deploy/jvm.options.
 */
class RuntimeImageTest {
  private static Path jar;
  private static Path runtime;
  private static String modules;

  @BeforeAll
  static void buildRuntime() throws IOException {
    Path root = DeployFiles.root();
    jar = root.resolve("receiver/target/ena-receiver.jar");
    assumeTrue(Files.isRegularFile(jar), "receiver/target/ena-receiver.jar is not built; run ./mvnw -pl receiver -am package first");
    runtime = root.resolve("integration-tests/target/runtime");
    var result = ExternalTool.exec(root, Map.of("JAVA_HOME", System.getProperty("java.home")),
        List.of("bash", root.resolve("deploy/build-runtime.sh").toString(), jar.toString(), runtime.toString())).assertSuccess();
    assertThat(result.output()).contains("runtime with modules");
    modules = Files.readString(runtime.resolve("ena-receiver.modules")).strip();
  }

  @Test
  void runtimeHoldsOnlyTheModulesTheJarNeeds() throws IOException {
    assertThat(modules.split(",")).contains("java.base", "jdk.unsupported").doesNotHaveDuplicates().doesNotContain("jdk.compiler", "jdk.jshell", "java.sql", "jdk.jfr");
    assertThat(runtime.resolve("bin/java")).isExecutable();
    assertThat(runtime.resolve("include")).doesNotExist();
    assertThat(runtime.resolve("man")).doesNotExist();
    // jvm.options runs with -Xshare:off, so the runtime carries no archive (~14 MB) for nothing.
    assertThat(runtime.resolve("lib/server/classes.jsa")).as("CDS archive, unused with -Xshare:off").doesNotExist();
    System.out.printf("jlink runtime: %d MiB, modules %s%n", size(runtime) >> 20, modules);
  }

  @Test
  void jvmOptionsAreAllAppliedByTheLauncher() {
    var result = java("-XX:+PrintFlagsFinal", "-version").assertSuccess();
    String flags = result.output();
    assertThat(flag(flags, "UseSerialGC")).isEqualTo("true");
    assertThat(flag(flags, "MaxHeapSize")).isEqualTo(String.valueOf(32L << 20));
    assertThat(flag(flags, "ThreadStackSize")).isEqualTo("256");
    assertThat(flag(flags, "TieredStopAtLevel")).isEqualTo("1");
    assertThat(flag(flags, "ExitOnOutOfMemoryError")).isEqualTo("true");
    assertThat(flag(flags, "MaxMetaspaceSize")).isEqualTo(String.valueOf(48L << 20));
    assertThat(flag(flags, "UsePerfData")).isEqualTo("false");
    // -Xshare:off has no flag to print; the VM's version line says "sharing" when a CDS archive is
    // mapped. The trimmed runtime has no archive, so ask the full JDK running this test, which has.
    String jdkJava = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String version = ExternalTool.exec(DeployFiles.root(), Map.of(),
        List.of(jdkJava, "@" + DeployFiles.deploy("jvm.options"), "-version")).assertSuccess().output();
    assertThat(version.lines().filter(l -> l.contains("Server VM")).findFirst())
        .as("VM version line of the full JDK with jvm.options")
        .hasValueSatisfying(line -> assertThat(line).contains("mixed mode").doesNotContain("sharing"));
    assertThat(flag(flags, "InitialHeapSize")).isEqualTo(String.valueOf(4L << 20));
    assertThat(flag(flags, "MaxNewSize")).isEqualTo(String.valueOf(2L << 20));
    assertThat(flag(flags, "MinHeapFreeRatio")).isEqualTo("10");
    assertThat(flag(flags, "MaxHeapFreeRatio")).isEqualTo("30");
    // Diagnostic flags are printed only when unlocked: these two also prove the unlock works.
    assertThat(flag(flags, "AsyncDeflationInterval")).isEqualTo("10000");
    assertThat(flag(flags, "ServiceThreadCleanupInterval")).isEqualTo("10000");
    assertThat(flag(flags, "StringTableSize")).isEqualTo("8192");
  }

  /**
   * The CompileCommand exclusions of jvm.options take effect: starting the receiver compiles
   * methods, but none of the start-up-only code. Without the exclusions, jar reading and class
   * loading alone compile dozens of java.util.zip and jdk.internal.loader methods here.
   */
  @Test
  void startUpOnlyCodeIsNotCompiled() {
    var result = java("-XX:+PrintCompilation", "-jar", jar.toString(), "--version");
    assertThat(result.exitCode()).as("exit code; output:\n" + result.output()).isZero();
    assertThat(result.output()).as("a malformed CompileCommand is reported on the output").doesNotContainIgnoringCase("CompileCommand");
    List<String> compiled = result.output().lines().filter(l -> l.contains("::")).toList();
    assertThat(compiled).as("methods compiled while the receiver starts").hasSizeGreaterThan(100);
    List<Pattern> excluded = exclusions();
    assertThat(excluded).as("exclusions in jvm.options").hasSizeGreaterThan(10);
    assertThat(compiled).as("compiled methods of excluded start-up code")
        .noneMatch(line -> excluded.stream().anyMatch(p -> p.matcher(line).find()));
  }

  /**
   * The thresholds lowered for the sampling pass take effect: with the demo configuration (one
   * replayed interface, one pass a second) {@code Sampler.sampleOnce}, which runs once per pass,
   * is compiled after about a dozen passes. At the default thresholds it takes ~200 passes, so
   * without the two CompileThresholdScaling lines this fails. The 60 s are a cap on the wait (60
   * passes), not a target: passes come once a second however slow the machine.
   */
  @Test
  void theSamplingPassIsCompiledAfterAFewPasses(@TempDir Path dir) throws IOException, InterruptedException {
    Path compilerLog = dir.resolve("print-compilation.log");
    List<String> command = javaCommand(
        // The VM's own output to stderr, alone in the log: the demo prints every export on stdout,
        // and a line of it could land inside a PrintCompilation line.
        "-XX:+PrintCompilation", "-XX:+DisplayVMOutputToStderr",
        "-jar", jar.toString(), "run", "--config",
        DeployFiles.root().resolve("config/examples/dns-throttling-demo.yaml").toString());
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(compilerLog.toFile());
    // Only what the receiver needs: no OTEL_* or AWS_* settings of the machine running the test.
    builder.environment().clear();
    builder.environment().putAll(Map.of("PATH", "/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED", "true"));
    String sampleOnce = " io.enareceiver.metrics.Sampler::sampleOnce ";
    long start = System.nanoTime();
    Process receiver = builder.start();
    try {
      long cap = start + TimeUnit.SECONDS.toNanos(60);
      while (!Files.readString(compilerLog).contains(sampleOnce) && receiver.isAlive() && System.nanoTime() < cap) {
        Thread.sleep(500);
      }
      String log = Files.readString(compilerLog);
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      assertThat(receiver.isAlive()).as("receiver still running after %d s; its stderr:%n%s", seconds, log).isTrue();
      List<String> ownCompiled = log.lines().filter(l -> l.contains(" io.enareceiver.")).toList();
      assertThat(log.contains(sampleOnce))
          .as("%s compiled within %d s (~%d passes); the agent's methods compiled by then (%d):%n%s",
              sampleOnce.strip(), seconds, seconds, ownCompiled.size(), String.join("\n", ownCompiled))
          .isTrue();
    } finally {
      receiver.destroy();
      if (!receiver.waitFor(10, TimeUnit.SECONDS)) {
        receiver.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Needs the receiver's {@code --version} option (prints the version, exits 0). */
  @Test
  void receiverStartsOnTheRuntimeAndPrintsItsVersion() throws IOException {
    String version;
    try (JarFile jf = new JarFile(jar.toFile())) {
      version = jf.getManifest().getMainAttributes().getValue("Implementation-Version");
    }
    assertThat(version).as("Implementation-Version in the jar manifest").isNotBlank();
    var result = java("-jar", jar.toString(), "--version");
    assertThat(result.exitCode()).as("exit code of --version; output:\n" + result.output()).isZero();
    assertThat(result.output()).contains(version);
  }

  private static ExternalTool.Result java(String... args) {
    return ExternalTool.exec(DeployFiles.root(), Map.of(), javaCommand(args));
  }

  /** The runtime's java with the flags of deploy/jvm.options, as the container starts it, then {@code args}. */
  private static List<String> javaCommand(String... args) {
    return Stream.concat(Stream.of(runtime.resolve("bin/java").toString(), "@" + DeployFiles.deploy("jvm.options")),
        Stream.of(args)).toList();
  }

  /**
   * The other half of the exclusions' contract: none of them reaches code that runs every second
   * or every export, which must stay compilable (and inlinable: an excluded method is never
   * inlined either). A wider pattern, e.g. all of java/lang/invoke or java/util/zip, fails here.
   */
  @Test
  void noExclusionReachesTheSteadyStatePath() {
    List<String> steadyState = List.of(
        "java.lang.invoke.LambdaForm$MH/0x0000000001000400", "java.lang.invoke.LambdaForm$DMH/0x0000000001000800",
        "java.lang.invoke.Invokers$Holder", "java.lang.invoke.DirectMethodHandle$Holder",
        "java.lang.invoke.DirectMethodHandle", "java.lang.invoke.MethodHandle", "java.lang.invoke.VarHandleGuards",
        "java.lang.invoke.VarHandleSegmentAsLongs", "jdk.internal.foreign.AbstractMemorySegmentImpl",
        "jdk.internal.foreign.abi.SharedUtils", "java.lang.reflect.Array", "java.util.zip.CRC32",
        "java.util.zip.GZIPOutputStream", "java.util.zip.Deflater", "java.util.HashMap", "java.lang.String",
        "io.enareceiver.metrics.Sampler", "io.enareceiver.ethtool.EthtoolReader",
        "io.opentelemetry.exporter.internal.marshal.Serializer", "okhttp3.internal.http2.Http2Writer",
        "okio.Buffer", "kotlin.jvm.internal.Intrinsics");
    List<Pattern> excluded = exclusions();
    assertThat(steadyState).as("steady-state classes matched by an exclusion")
        .noneMatch(name -> excluded.stream().anyMatch(p -> p.matcher(" " + name + "::run").find()));
  }

  /** The CompileCommand exclusions of jvm.options, each as {@link #compiledMethodOf} matches it. */
  private static List<Pattern> exclusions() {
    return DeployFiles.jvmOptionLines().stream()
        .filter(l -> l.startsWith("-XX:CompileCommand=exclude,"))
        .map(RuntimeImageTest::compiledMethodOf)
        .toList();
  }

  /**
   * What PrintCompilation prints for a method that an exclusion matches: {@code
   * exclude,java/util/zip/*.*} becomes " java.util.zip.<anything>::".
   */
  private static Pattern compiledMethodOf(String option) {
    String classPattern = option.substring(option.indexOf(',') + 1, option.lastIndexOf('.')).replace('/', '.');
    return Pattern.compile(" " + Arrays.stream(classPattern.split("\\*", -1)).map(Pattern::quote)
        .collect(Collectors.joining("\\S*")) + "::");
  }

  private static String flag(String printFlagsFinal, String name) {
    return printFlagsFinal.lines()
        .map(String::trim)
        .map(l -> l.split("\\s+"))
        .filter(f -> f.length >= 4 && f[1].equals(name))
        .map(f -> f[3])
        .findFirst()
        .orElseThrow(() -> new AssertionError("flag " + name + " not printed"));
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
