package io.enareceiver.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One simulated interface under {@code receivers.ethtool.replay}, fed from recorded
 * {@code ethtool -S} captures.
 *
 * @param name interface name (a valid Linux name, at most 15 characters)
 * @param mac lower-case {@code aa:bb:cc:dd:ee:ff}, or null when not given
 * @param driver driver name reported for the interface (default {@code ena})
 * @param captures as written in the file: a directory, a glob relative to the config file's
 *     directory, or {@code builtin:<scenario>} (resolved by the receiver)
 * @param files the capture files, sorted by file name; empty for {@code builtin:} captures
 * @param loop whether to start again from the first capture after the last (default false)
 */
public record ReplayConfig(
    String name, String mac, String driver, String captures, List<Path> files, boolean loop) {

  /** Prefix of captures shipped inside the receiver jar. */
  public static final String BUILTIN_PREFIX = "builtin:";

  public ReplayConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(captures, "captures");
    files = List.copyOf(files);
  }

  /** True when {@link #captures} names a scenario shipped inside the receiver. */
  public boolean builtin() {
    return captures.startsWith(BUILTIN_PREFIX);
  }
}
