package io.enareceiver.config;

import java.util.Collection;
import java.util.Locale;

/** Finds the known key an unknown one was probably meant to be ("sampling_intervall"). */
final class KeySuggester {
  private KeySuggester() {}

  /** The closest candidate, or null when none is close enough to be a plausible typo. */
  static String closest(String unknown, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String needle = unknown.toLowerCase(Locale.ROOT);
    for (String candidate : candidates) {
      int distance = distance(needle, candidate.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    if (best == null || unknown.length() > 200) {
      return null;
    }
    int allowed = Math.max(2, best.length() / 3);
    return bestDistance <= allowed ? best : null;
  }

  /** Levenshtein distance; keys are short, so the plain two-row algorithm is enough. */
  static int distance(String a, String b) {
    if (a.length() > 200 || b.length() > 200) {
      return Integer.MAX_VALUE;
    }
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
