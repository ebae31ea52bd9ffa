package io.enareceiver.config;

/** The kernel's rule for interface names (dev_valid_name in net/core/dev.c). */
final class InterfaceNames {
  private InterfaceNames() {}

  /** IFNAMSIZ is 16 including the terminating NUL. */
  static final int MAX_LENGTH = 15;

  static final String EXPECTED =
      "expected an interface name of 1 to 15 characters without '/', ':' or spaces, such as eth1";

  static boolean isValid(String name) {
    if (name.isEmpty() || name.length() > MAX_LENGTH || name.equals(".") || name.equals("..")) {
      return false;
    }
    return name.chars().allMatch(c -> c > ' ' && c < 127 && c != '/' && c != ':');
  }
}
