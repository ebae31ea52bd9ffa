package io.enareceiver.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * When the system booted: the start time of every driver counter that exists when the receiver
 * starts (the driver has been counting since then, at the latest).
 */
final class BootTime {
  private BootTime() {}

  /** Epoch nanoseconds of boot from {@code /proc/stat btime}; {@code fallback} when unreadable. */
  static long epochNanos(Path procStat, long fallback) {
    try {
      for (String line : Files.readAllLines(procStat)) {
        if (line.startsWith("btime ")) {
          return Long.parseLong(line.substring(6).strip()) * 1_000_000_000L;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // fall through
    }
    return fallback;
  }
}
