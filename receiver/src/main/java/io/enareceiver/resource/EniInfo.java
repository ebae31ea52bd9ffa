package io.enareceiver.resource;

import java.util.Objects;

/**
 * One elastic network interface attached to the instance, as instance metadata describes it.
 *
 * @param eniId       e.g. {@code eni-0123456789abcdef0}
 * @param deviceIndex the attachment's device index, 0 for the primary ENI
 */
public record EniInfo(String eniId, int deviceIndex) {
  public EniInfo {
    Objects.requireNonNull(eniId, "eniId");
    if (deviceIndex < 0) {
      throw new IllegalArgumentException("deviceIndex must be >= 0, got " + deviceIndex);
    }
  }
}
