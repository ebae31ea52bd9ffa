package io.enareceiver.config;

import java.util.List;

/**
 * {@code receivers.ethtool.interfaces}: which real interfaces are read. An interface is read
 * when its name matches an {@code include} pattern and no {@code exclude} pattern, and its
 * driver is one of {@code drivers} (an empty list accepts any driver). Patterns are
 * {@link InterfacePattern} globs.
 */
public record InterfacesConfig(List<String> include, List<String> exclude, List<String> drivers) {

  public InterfacesConfig {
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
    drivers = List.copyOf(drivers);
  }
}
