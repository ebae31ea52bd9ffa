package io.enareceiver.agent;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** Reads what the test receivers decoded: flat points with their resource and request index. */
final class Exported {
  static final String INTERFACE = "network.interface.name";
  static final String ALLOWANCE = "aws.ena.allowance";

  private Exported() {}

  /**
   * One data point as it arrived.
   *
   * @param request index of the request it arrived in (arrival order)
   * @param resource the attributes of its Resource
   * @param attributes its own attributes
   */
  record Point(int request, Map<String, Object> resource, Metric metric, Map<String, Object> attributes,
      long start, long time, double value) {
    String attr(String key) {
      Object v = attributes.get(key);
      return v == null ? null : v.toString();
    }

    /** Identifies the series: metric, resource interface and point attributes. */
    String series() {
      return metric.getName() + resource.get(INTERFACE) + attributes;
    }
  }

  static Map<String, Object> attributes(List<KeyValue> kvs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      out.put(kv.getKey(), value(kv.getValue()));
    }
    return out;
  }

  static Object value(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case BOOL_VALUE -> v.getBoolValue();
      default -> v.toString();
    };
  }

  /** Every number data point of every metric in {@code requests}. */
  static List<Point> points(List<ExportMetricsServiceRequest> requests) {
    List<Point> out = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      for (ResourceMetrics rm : requests.get(i).getResourceMetricsList()) {
        Map<String, Object> resource = attributes(rm.getResource().getAttributesList());
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          for (Metric m : sm.getMetricsList()) {
            for (NumberDataPoint p : numberPoints(m)) {
              Map<String, Object> attrs = attributes(p.getAttributesList());
              // The interface is a point attribute by contract; keep it on the resource view too
              // so series can be keyed by interface whichever level carries it.
              Map<String, Object> res = new LinkedHashMap<>(resource);
              if (attrs.containsKey(INTERFACE)) {
                res.putIfAbsent(INTERFACE, attrs.get(INTERFACE));
              }
              double value = p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
              out.add(new Point(i, res, m, attrs, p.getStartTimeUnixNano(), p.getTimeUnixNano(), value));
            }
          }
        }
      }
    }
    return out;
  }

  static List<NumberDataPoint> numberPoints(Metric m) {
    return switch (m.getDataCase()) {
      case SUM -> m.getSum().getDataPointsList();
      case GAUGE -> m.getGauge().getDataPointsList();
      default -> List.of();
    };
  }

  /** Points of metric {@code name} whose {@code key} attribute is {@code value} (null: any). */
  static List<Point> series(List<Point> points, String name, String key, String value) {
    return points.stream()
        .filter(p -> p.metric().getName().equals(name))
        .filter(p -> key == null || value.equals(p.attr(key)))
        .toList();
  }

  static OptionalDouble max(List<Point> points) {
    return points.stream().mapToDouble(Point::value).max();
  }
}
