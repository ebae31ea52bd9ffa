package io.enareceiver.ethtool;

import io.enareceiver.config.InterfacePattern;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides which discovered interfaces are monitored: a name must match an include glob and no
 * exclude glob, and its driver must match one of the driver globs (an empty driver list means
 * any driver; an interface without a known driver then matches only an empty list).
 *
 * <p>Interfaces named explicitly (the CLI's {@code --interface}) bypass every filter: the
 * operator asked for them by name.
 */
public final class InterfaceSelector {

  private final List<InterfacePattern> include;
  private final List<InterfacePattern> exclude;
  private final List<InterfacePattern> drivers;

  /**
   * @param include name globs, at least one to select anything (config default {@code ["*"]})
   * @param exclude name globs
   * @param drivers driver globs, empty for any driver
   * @throws IllegalArgumentException for a malformed glob, naming it
   */
  public InterfaceSelector(List<String> include, List<String> exclude, List<String> drivers) {
    this.include = compile(include, "include");
    this.exclude = compile(exclude, "exclude");
    this.drivers = compile(drivers, "drivers");
  }

  /** What {@link #select} decided. */
  public record Selection(List<NetInterface> selected, List<String> unknownExplicit,
      List<String> availableNames) {
    public Selection {
      selected = List.copyOf(selected);
      unknownExplicit = List.copyOf(unknownExplicit);
      availableNames = List.copyOf(availableNames);
    }

    /**
     * One line per explicit name that matched nothing, e.g.
     * {@code no interface named eth9; available: eth0, eth1, lo}; empty when all were found.
     */
    public List<String> problems() {
      List<String> lines = new ArrayList<>(unknownExplicit.size());
      String available = availableNames.isEmpty() ? "(none)" : String.join(", ", availableNames);
      for (String name : unknownExplicit) {
        lines.add("no interface named " + name + "; available: " + available);
      }
      return lines;
    }
  }

  /** Whether the filters (include, exclude, drivers) accept {@code iface}. */
  public boolean matches(NetInterface iface) {
    return nameMatches(iface.name())
        && (drivers.isEmpty() || drivers.stream().anyMatch(g -> g.matches(iface.driver())));
  }

  /**
   * Whether {@code name} passes the include and exclude globs, drivers not considered. A name
   * that fails here is rejected whatever its driver, so a caller can skip looking the driver up.
   */
  public boolean nameMatches(String name) {
    return include.stream().anyMatch(g -> g.matches(name))
        && exclude.stream().noneMatch(g -> g.matches(name));
  }

  /**
   * Selects from {@code available}. With no explicit names, the interfaces the filters accept,
   * in the given order. With explicit names, exactly the available interfaces so named, filters
   * bypassed; names with no such interface are reported in {@link Selection#unknownExplicit()}.
   */
  public Selection select(List<NetInterface> available, Set<String> explicitNames) {
    Objects.requireNonNull(available, "available");
    Set<String> explicit = explicitNames == null ? Set.of() : explicitNames;
    List<NetInterface> selected = new ArrayList<>();
    Set<String> found = new LinkedHashSet<>();
    for (NetInterface iface : available) {
      boolean take = explicit.isEmpty() ? matches(iface) : explicit.contains(iface.name());
      if (take) {
        selected.add(iface);
        found.add(iface.name());
      }
    }
    List<String> unknown = new ArrayList<>(new TreeSet<>(explicit));
    unknown.removeAll(found);
    List<String> names = available.stream().map(NetInterface::name).sorted().toList();
    return new Selection(selected, unknown, names);
  }

  private static List<InterfacePattern> compile(List<String> globs, String key) {
    if (globs == null) {
      return List.of();
    }
    List<InterfacePattern> compiled = new ArrayList<>(globs.size());
    for (String glob : globs) {
      try {
        compiled.add(InterfacePattern.compile(glob));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("interfaces." + key + ": " + e.getMessage(), e);
      }
    }
    return List.copyOf(compiled);
  }

  @Override
  public String toString() {
    return "InterfaceSelector[include=" + include + ", exclude=" + exclude + ", drivers=" + drivers + "]";
  }
}
