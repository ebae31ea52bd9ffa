package io.enareceiver.it.harness;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One series of a range query (a matrix): its labels and its points in time order. */
public record RangeSeries(Map<String, String> labels, List<Point> points) {
  public RangeSeries {
    labels = Map.copyOf(labels);
    points = List.copyOf(points);
  }

  /** One value at one time. */
  public record Point(Instant timestamp, double value) {
    @Override
    public String toString() {
      return value + "@" + timestamp.getEpochSecond();
    }
  }

  public String label(String name) {
    return labels.get(name);
  }

  /** The values alone, in time order. */
  public List<Double> values() {
    return points.stream().map(Point::value).toList();
  }
}
