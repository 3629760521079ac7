package org.testigo.cli.cases;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.remote.LocalCache;

/**
 * Resolves the id a reviewer types (a whole submission id or a prefix of at least
 * {@value #MIN_PREFIX} hex characters, any case) to one cached submission. A prefix that
 * matches nothing says so ("no case starts with …", exit 5); one that matches several lists
 * them (up to {@value #LISTED}, with their received day and kind) and asks for more characters
 * (exit 5). Anything that is not hex is a usage error (exit 2) and is never echoed back.
 */
final class CaseIds {
  static final int MIN_PREFIX = 4;
  static final int LISTED = 10;
  private static final Pattern PREFIX = Pattern.compile("[0-9a-f]{" + MIN_PREFIX + ",32}");

  private CaseIds() {}

  /** What was typed, stripped and lowercased, if it is a prefix. */
  static String prefix(String typed) {
    String p = typed == null ? "" : typed.strip().toLowerCase(Locale.ROOT);
    if (!PREFIX.matcher(p).matches()) {
      throw new CliException(ExitCodes.USAGE, "an ID is a report id or its first " + MIN_PREFIX
          + " to 32 hex characters (0-9, a-f), as list shows them");
    }
    return p;
  }

  /** One hit: its id, received day and what it is. */
  record Hit(String id, String receivedDay, boolean report) {}

  /** The cached submission of an id or prefix. */
  static LocalCache.Submission find(LocalCache cache, String typed) throws IOException {
    String p = prefix(typed);
    List<LocalCache.Submission> hits = new ArrayList<>();
    for (LocalCache.Submission s : cache.submissions()) {
      if (s.id().startsWith(p)) {
        hits.add(s);
      }
    }
    List<Hit> found = hits.stream().map(s -> new Hit(s.id(), s.receivedDay(), s.id().equals(s.caseId()))).toList();
    String id = unique(p, found);
    return hits.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
  }

  /** The id of the one hit; refuses none or several (exit 5) with a message that lists them. */
  static String unique(String prefix, List<Hit> hits) {
    if (hits.isEmpty()) {
      throw new CliException(ExitCodes.BAD_INPUT, "no case starts with " + prefix
          + " among the synced submissions (run sync, or check the id with list)");
    }
    if (hits.size() == 1) {
      return hits.get(0).id();
    }
    List<Hit> sorted = new ArrayList<>(hits);
    sorted.sort(Comparator.comparing(Hit::id));
    StringBuilder b = new StringBuilder("the id prefix " + prefix + " matches " + hits.size() + " submissions:");
    for (Hit h : sorted.subList(0, Math.min(LISTED, sorted.size()))) {
      b.append("\n  ").append(h.id()).append("  received ").append(h.receivedDay())
          .append(h.report() ? "  report" : "  follow-up");
    }
    if (sorted.size() > LISTED) {
      b.append("\n  … and ").append(sorted.size() - LISTED).append(" more");
    }
    b.append("\ngive more characters of the id");
    throw new CliException(ExitCodes.BAD_INPUT, b.toString());
  }
}
