package io.enareceiver.ethtool;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Lists network interfaces from sysfs ({@code /sys/class/net} by default; any directory laid
 * out the same way for tests): name, {@code ifindex}, MAC ({@code address}), driver (basename
 * of the {@code device/driver} link) and {@code operstate}.
 *
 * <p>Virtual devices (veth, ifb, bridges, lo) have no {@code device/driver} link; an optional
 * {@link DriverFallback} can name their driver instead, e.g. from {@code ETHTOOL_GDRVINFO}
 * ({@code veth}, {@code ifb}). An entry that cannot be read is reported in
 * {@link Result#skipped()} with the reason and never stops the listing.
 *
 * <p>sysfs shows the interfaces of the network namespace sysfs was mounted in (the process's,
 * normally), not the one of the calling thread.
 */
public final class InterfaceDiscovery {

  /** Where the kernel lists network interfaces. */
  public static final Path DEFAULT_ROOT = Path.of("/sys/class/net");

  /** Names the driver of an interface that has no {@code device/driver} link. */
  @FunctionalInterface
  public interface DriverFallback {
    /** The driver name, or an empty string when unknown. Must not throw. */
    String driverOf(String ifname);
  }

  /** An entry that was not listed, and why. */
  public record Skipped(String name, String reason) {}

  /** Interfaces found, ordered by ifindex, and entries skipped. */
  public record Result(List<NetInterface> interfaces, List<Skipped> skipped) {
    public Result {
      interfaces = List.copyOf(interfaces);
      skipped = List.copyOf(skipped);
    }
  }

  private static final DriverFallback NO_FALLBACK = ifname -> "";

  private final Path root;
  private final DriverFallback fallback;

  /** Discovery over {@link #DEFAULT_ROOT} without a driver fallback. */
  public InterfaceDiscovery() {
    this(DEFAULT_ROOT);
  }

  public InterfaceDiscovery(Path root) {
    this(root, NO_FALLBACK);
  }

  public InterfaceDiscovery(Path root, DriverFallback fallback) {
    this.root = Objects.requireNonNull(root, "root");
    this.fallback = Objects.requireNonNull(fallback, "fallback");
  }

  /**
   * A fallback that asks the driver through {@code ETHTOOL_GDRVINFO}; interfaces that do not
   * answer (lo: EOPNOTSUPP) get an empty driver. The reader must read the same namespace the
   * sysfs root shows.
   */
  public static DriverFallback ethtoolFallback(EthtoolReader reader) {
    Objects.requireNonNull(reader, "reader");
    return ifname -> {
      try {
        return reader.driverInfo(ifname).driver();
      } catch (EthtoolException | IllegalArgumentException e) {
        return "";
      }
    };
  }

  /**
   * Lists the interfaces now.
   *
   * @throws IOException only when the root directory itself cannot be listed (the message
   *     names it); problems with single entries go to {@link Result#skipped()}
   */
  public Result discover() throws IOException {
    List<NetInterface> found = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        try {
          NetInterface iface = read(entry, name);
          found.add(iface);
        } catch (SkipException e) {
          skipped.add(new Skipped(name, e.getMessage()));
        } catch (IOException | RuntimeException e) {
          skipped.add(new Skipped(name, e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
      }
    } catch (IOException e) {
      throw new IOException("cannot list network interfaces in " + root + ": " + e, e);
    }
    found.sort(Comparator.comparingInt(NetInterface::ifindex).thenComparing(NetInterface::name));
    skipped.sort(Comparator.comparing(Skipped::name));
    return new Result(found, skipped);
  }

  private NetInterface read(Path dir, String name) throws IOException, SkipException {
    if (!Files.isDirectory(dir)) {
      throw new SkipException("not an interface directory: " + dir);
    }
    try {
      EthtoolReader.checkInterfaceName(name);
    } catch (IllegalArgumentException e) {
      throw new SkipException(e.getMessage());
    }
    int ifindex = readIfindex(dir);
    String mac = readOptional(dir.resolve("address")).toLowerCase(Locale.ROOT);
    String operState = readOptional(dir.resolve("operstate"));
    String driver = driverFromLink(dir);
    if (driver.isEmpty()) {
      driver = fallback.driverOf(name);
    }
    return new NetInterface(name, ifindex, mac, driver, operState.isEmpty() ? null : operState);
  }

  private static int readIfindex(Path dir) throws SkipException {
    Path file = dir.resolve("ifindex");
    String text;
    try {
      text = Files.readString(file).strip();
    } catch (IOException e) {
      throw new SkipException("cannot read " + file + ": " + e);
    }
    try {
      int ifindex = Integer.parseInt(text);
      if (ifindex <= 0) {
        throw new NumberFormatException("not positive");
      }
      return ifindex;
    } catch (NumberFormatException e) {
      throw new SkipException(file + ": expected a positive integer, found \"" + text + "\"");
    }
  }

  /** Contents of an attribute, stripped; empty when absent or unreadable (not worth skipping for). */
  private static String readOptional(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static String driverFromLink(Path dir) {
    Path link = dir.resolve("device").resolve("driver");
    try {
      if (!Files.isSymbolicLink(link)) {
        return "";
      }
      Path target = Files.readSymbolicLink(link).getFileName();
      return target == null ? "" : target.toString();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  @Override
  public String toString() {
    return "InterfaceDiscovery[" + root + "]";
  }

  /** A reason to skip one entry, carried as the message. */
  private static final class SkipException extends Exception {
    private static final long serialVersionUID = 1L;

    SkipException(String reason) {
      super(reason, null, false, false);
    }
  }
}
