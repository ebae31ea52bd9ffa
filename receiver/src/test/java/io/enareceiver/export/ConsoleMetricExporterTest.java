package io.enareceiver.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableDoublePointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableGaugeData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.resources.Resource;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleMetricExporterTest {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final ConsoleMetricExporter exporter =
      new ConsoleMetricExporter(new PrintStream(bytes, true, StandardCharsets.UTF_8));

  private List<String> lines() {
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void printsOneLinePerPointWithTimeTypeUnitSortedAttributesValueStartAndIdentity() {
    assertThat(exporter.export(TestMetrics.all()).isSuccess()).isTrue();

    assertThat(lines())
        .containsExactly(
            "2025-05-01T10:00:15.987Z aws.ena.allowance.exceeded sum,monotonic {packet} "
                + "{aws.ena.allowance=linklocal, network.interface.name=eth0} 1234 "
                + "start=2025-05-01T10:00:00.123Z node=ip-10-0-1-23.ec2.internal type=m6i.large eni=eni-0abc123",
            "2025-05-01T10:00:15.987Z aws.ena.allowance.exceeded sum,monotonic {packet} "
                + "{aws.ena.allowance=pps, network.interface.name=eth0} 0 "
                + "start=2025-05-01T10:00:00.123Z node=ip-10-0-1-23.ec2.internal type=m6i.large eni=eni-0abc123",
            "2025-05-01T10:00:15.987Z aws.ena.conntrack.available gauge {connection} "
                + "{network.interface.name=eth0} 42017 "
                + "start=2025-05-01T10:00:00.123Z node=ip-10-0-1-23.ec2.internal type=m6i.large eni=eni-0abc123");
  }

  @Test
  void noUnitNoAttributesNoIdentityAndDoubleValues() {
    MetricData gauge =
        ImmutableMetricData.createDoubleGauge(
            Resource.empty(), TestMetrics.SCOPE, "aws.ena.srd.resource_utilization", "", "",
            ImmutableGaugeData.create(
                List.of(ImmutableDoublePointData.create(0, 1_500_000_000L, Attributes.empty(), 12.5))));
    MetricData upDown =
        ImmutableMetricData.createDoubleSum(
            Resource.empty(), TestMetrics.SCOPE, "x.level", "", "By",
            ImmutableSumData.create(false, AggregationTemporality.CUMULATIVE,
                List.of(ImmutableDoublePointData.create(0, 0, Attributes.empty(), -3.0))));

    exporter.export(List.of(gauge, upDown));

    assertThat(lines())
        .containsExactly(
            "1970-01-01T00:00:01.500Z aws.ena.srd.resource_utilization gauge - {} 12.5 start=1970-01-01T00:00:00.000Z",
            "1970-01-01T00:00:00.000Z x.level sum,non-monotonic By {} -3.0 start=1970-01-01T00:00:00.000Z");
  }

  @Test
  void identityShowsOnlyTheResourceAttributesPresent() {
    Resource nodeOnly = Resource.create(Attributes.builder().put("k8s.node.name", "node-a").build());
    MetricData m =
        ImmutableMetricData.createLongSum(
            nodeOnly, TestMetrics.SCOPE, "n", "", "1",
            ImmutableSumData.create(true, AggregationTemporality.CUMULATIVE,
                List.of(io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData.create(0, 0, Attributes.empty(), 7))));
    exporter.export(List.of(m));
    assertThat(lines()).singleElement().asString().endsWith(" 7 start=1970-01-01T00:00:00.000Z node=node-a");
  }

  @Test
  void isCumulativeForEveryInstrument() {
    for (InstrumentType t : InstrumentType.values()) {
      assertThat(exporter.getAggregationTemporality(t)).isEqualTo(AggregationTemporality.CUMULATIVE);
    }
  }

  @Test
  void exportAfterShutdownFailsAndPrintsNothing() {
    assertThat(exporter.shutdown().isSuccess()).isTrue();
    assertThat(exporter.export(TestMetrics.all()).isSuccess()).isFalse();
    assertThat(bytes.size()).isZero();
  }

  @Test
  void brokenStreamGivesAFailedResultInsteadOfThrowing() {
    OutputStream broken =
        new OutputStream() {
          @Override
          public void write(int b) throws java.io.IOException {
            throw new java.io.IOException("closed pipe");
          }
        };
    ConsoleMetricExporter e = new ConsoleMetricExporter(new PrintStream(broken, true, StandardCharsets.UTF_8));
    assertThat(e.export(TestMetrics.all()).isSuccess()).isFalse();
  }
}
