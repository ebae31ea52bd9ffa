package io.enareceiver.resource;

import java.util.Optional;

/**
 * The identity known at one moment, with a version that changes exactly when the identity does,
 * so consumers can cache whatever they derive from it (see {@link ResourceFactory}).
 *
 * @param version  0 before any identity is known; +1 on every change
 * @param identity the identity, or {@code null} while none is known
 */
public record IdentitySnapshot(long version, InstanceIdentity identity) {
  /** Nothing known yet (or IMDS switched off). */
  public static final IdentitySnapshot EMPTY = new IdentitySnapshot(0, null);

  public Optional<InstanceIdentity> identityIfKnown() {
    return Optional.ofNullable(identity);
  }
}
