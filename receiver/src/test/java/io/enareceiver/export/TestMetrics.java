package io.enareceiver.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableGaugeData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Instant;
import java.util.List;

/**
 * MetricData shaped like the agent's (DESIGN §5): one resource per ENI, a cumulative monotonic
 * sum with a DNS-throttling episode on link-local, and the conntrack gauge. Timestamps carry
 * nanoseconds so a test sees any truncation.
 */
final class TestMetrics {
  private TestMetrics() {}

  static final long START_NANOS = nanos(Instant.parse("2025-05-01T10:00:00.123456789Z"));
  static final long TIME_NANOS = nanos(Instant.parse("2025-05-01T10:00:15.987654321Z"));

  static final AttributeKey<String> IFACE = AttributeKey.stringKey("network.interface.name");
  static final AttributeKey<String> ALLOWANCE = AttributeKey.stringKey("aws.ena.allowance");

  static final Resource RESOURCE =
      Resource.create(
          Attributes.builder()
              .put("service.name", "ena-receiver")
              .put("k8s.node.name", "ip-10-0-1-23.ec2.internal")
              .put("host.type", "m6i.large")
              .put("aws.ec2.eni.id", "eni-0abc123")
              .put("aws.ec2.eni.device_index", 0L)
              .build());

  static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.builder("io.enareceiver").setVersion("0.1.0").build();

  static MetricData allowanceExceeded() {
    return ImmutableMetricData.createLongSum(
        RESOURCE, SCOPE, "aws.ena.allowance.exceeded",
        "Packets dropped because an ENI allowance was exceeded", "{packet}",
        ImmutableSumData.create(
            true,
            AggregationTemporality.CUMULATIVE,
            List.of(
                ImmutableLongPointData.create(START_NANOS, TIME_NANOS,
                    Attributes.of(IFACE, "eth0", ALLOWANCE, "pps"), 0L),
                ImmutableLongPointData.create(START_NANOS, TIME_NANOS,
                    Attributes.of(IFACE, "eth0", ALLOWANCE, "linklocal"), 1234L))));
  }

  static MetricData conntrackAvailable() {
    return ImmutableMetricData.createLongGauge(
        RESOURCE, SCOPE, "aws.ena.conntrack.available",
        "Tracked connections still available before the allowance is reached", "{connection}",
        ImmutableGaugeData.create(
            List.of(ImmutableLongPointData.create(START_NANOS, TIME_NANOS, Attributes.of(IFACE, "eth0"), 42017L))));
  }

  static List<MetricData> all() {
    return List.of(allowanceExceeded(), conntrackAvailable());
  }

  static long nanos(Instant i) {
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }
}
