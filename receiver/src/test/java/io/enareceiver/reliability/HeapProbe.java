package io.enareceiver.reliability;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Live heap as seen right after full collections: the number a leak moves and garbage does not.
 * Takes the lowest of a few collect-and-measure rounds, because a concurrent thread (JIT, a
 * test server) can allocate between the collection and the reading.
 */
final class HeapProbe {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private HeapProbe() {}

  /** Bytes of heap in use after full GCs. */
  static long usedAfterGc() {
    long lowest = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      lowest = Math.min(lowest, MEMORY.getHeapMemoryUsage().getUsed());
    }
    return lowest;
  }

  static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
