package io.enareceiver.it.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.it.harness.CollectorProcess;
import io.enareceiver.it.harness.ManagedProcess;
import io.enareceiver.it.harness.WorkDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scenario 0: the shipped collector configs load in the real collector ({@code otelcol validate}),
 * with the environment each one reads.
 *
 * <p>Nothing here may reach AWS: every run sets {@code AWS_EC2_METADATA_DISABLED=true} and points
 * the shared AWS config and credentials files at {@code /dev/null}. That matters because the
 * sigv4auth extension resolves credentials while the config is validated: without any, its AWS
 * SDK falls back to the instance metadata service (169.254.169.254), which a test must never call.
 * So the AMP config is validated with dummy static keys, and a second test pins down that without
 * credentials validation fails (rather than silently passing on a machine that has some).
 */
class CollectorConfigsValidateIT {
  private static final Path DEPLOY = WorkDirs.repositoryRoot().resolve("deploy/collector");
  private static final Map<String, String> NO_AWS = Map.of(
      "AWS_EC2_METADATA_DISABLED", "true",
      "AWS_CONFIG_FILE", "/dev/null",
      "AWS_SHARED_CREDENTIALS_FILE", "/dev/null",
      "AWS_ACCESS_KEY_ID", "",
      "AWS_SECRET_ACCESS_KEY", "",
      "AWS_SESSION_TOKEN", "",
      "AWS_PROFILE", "");
  private static final Map<String, String> AMP_ENV = Map.of(
      "HOST_IP", "127.0.0.1",
      "AWS_REGION", "eu-west-1",
      "AMP_REMOTE_WRITE_ENDPOINT",
      "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-00000000-0000-0000-0000-000000000000/api/v1/remote_write");

  @Test
  void localConfigValidatesWithItsDefaults() {
    Result r = validate("collector-local.yaml", Map.of());
    assertThat(r.code()).as(r.output()).isZero();
  }

  @Test
  void ampConfigValidatesWithItsEnvironmentAndCredentials() {
    Result r = validate("collector-amp.yaml", with(AMP_ENV, Map.of(
        "AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY", "dummy-secret-for-validate")));
    assertThat(r.code()).as(r.output()).isZero();
  }

  @Test
  void ampConfigNeedsCredentialsAlreadyAtValidation() {
    Result r = validate("collector-amp.yaml", AMP_ENV);
    assertThat(r.code()).as(r.output()).isNotZero();
    assertThat(r.output()).contains("sigv4auth").contains("credential");
  }

  @Test
  void ampConfigFailsWithoutTheEndpointItReads() {
    // Proves validation reads the environment: the same file without AMP_REMOTE_WRITE_ENDPOINT.
    Result r = validate("collector-amp.yaml", with(Map.of("HOST_IP", "127.0.0.1", "AWS_REGION", "eu-west-1", "AMP_REMOTE_WRITE_ENDPOINT", ""),
        Map.of("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY", "dummy-secret-for-validate")));
    assertThat(r.code()).as(r.output()).isNotZero();
  }

  @Test
  void cloudwatchConfigNeedsAwsemfWhichOnlyTheAdotCollectorHas() throws IOException {
    // The test collector is built from the components of the AMP path; awsemf is not among them,
    // so the CloudWatch variant is validated here only up to that exporter. The ADOT image has it.
    Result components = run(Map.of(), "components");
    assertThat(components.code()).as(components.output()).isZero();
    Result r = validate("collector-cloudwatch.yaml", with(AMP_ENV, Map.of("K8S_NODE_NAME", "node-1")));
    if (components.output().contains("awsemf")) {
      assertThat(r.code()).as(r.output()).isZero();
    } else {
      assertThat(r.code()).as(r.output()).isNotZero();
      assertThat(r.output()).as("the only problem is the missing exporter")
          .contains("unknown type: \"awsemf\"");
    }
  }

  private record Result(int code, String output) {}

  private static Result validate(String file, Map<String, String> env) {
    return run(env, "validate", "--config=" + DEPLOY.resolve(file));
  }

  private static Result run(Map<String, String> env, String... args) {
    ManagedProcess.Builder b = ManagedProcess.builder("otelcol-" + args[0], CollectorProcess.binary())
        .env(with(NO_AWS, env));
    for (String a : args) {
      b.arg(a);
    }
    ManagedProcess p = b.start();
    int code = p.awaitExit(Duration.ofSeconds(60));
    try {
      return new Result(code, Files.readString(p.logFile()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Map<String, String> with(Map<String, String> base, Map<String, String> more) {
    Map<String, String> all = new java.util.HashMap<>(base);
    all.putAll(more);
    return all;
  }
}
