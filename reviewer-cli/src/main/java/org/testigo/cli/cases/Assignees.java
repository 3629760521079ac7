package org.testigo.cli.cases;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ReviewerEntry;

/**
 * Who a case can be assigned to: the reviewers and admins of the current verified manifest
 * valid now (auditors receive no reports). An alias outside that list is refused with the
 * nearest alias by edit distance and the list itself.
 */
public final class Assignees {
  private Assignees() {}

  /** The aliases that can be assigned at {@code now}, in manifest order. */
  static List<String> assignable(KeyManifest manifest, Instant now) {
    return manifest.reviewers().stream().filter(r -> r.receivesReports() && r.isValidAt(now))
        .map(ReviewerEntry::alias).distinct().toList();
  }

  /**
   * The aliases that can be assigned now, from the cached manifest chain verified from the
   * registered server's pinned root (what {@code assign} checks against; the inbox offers them).
   */
  public static List<String> assignable(org.testigo.cli.remote.LocalCache cache,
      org.testigo.cli.remote.ServerRegistry.Server server) throws java.io.IOException {
    return assignable(CaseLog.verifier(cache, server).latest(), Instant.now());
  }

  /** Returns normally when {@code alias} can be assigned; otherwise a usage refusal. */
  static void requireAssignable(KeyManifest manifest, String alias, Instant now) {
    List<String> aliases = assignable(manifest, now);
    if (aliases.contains(alias)) {
      return;
    }
    StringBuilder m = new StringBuilder("no reviewer '" + alias + "' in the current manifest (nothing recorded)");
    String nearest = nearest(alias, aliases);
    if (nearest != null) {
      m.append("; did you mean '").append(nearest).append("'?");
    }
    m.append(aliases.isEmpty() ? "; nobody can be assigned now"
        : "; can be assigned: " + String.join(", ", aliases));
    throw new CliException(ExitCodes.BAD_INPUT, m.toString());
  }

  /**
   * The alias nearest to {@code typed} (case-insensitive Levenshtein distance, ties to the
   * first in the list), or null when none is within a third of the longer name (at least 2).
   */
  static String nearest(String typed, List<String> aliases) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String a : aliases) {
      int d = distance(typed.toLowerCase(Locale.ROOT), a.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = a;
        bestDistance = d;
      }
    }
    if (best == null || bestDistance > Math.max(2, Math.max(typed.length(), best.length()) / 3)) {
      return null;
    }
    return best;
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
