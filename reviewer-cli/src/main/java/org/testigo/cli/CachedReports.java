package org.testigo.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.testigo.cli.remote.LocalCache;
import org.testigo.cli.report.DecryptedSubmission;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.key.RecipientPrivateKey;

/**
 * The cached submissions of a server opened in memory and grouped by case: each report with
 * the follow-ups that name it. Envelopes that do not open with this reviewer's key (sealed
 * before the reviewer joined, or altered) are counted, not shown.
 */
final class CachedReports {
  /** A report and its follow-ups, oldest first. */
  record Case(DecryptedSubmission report, List<DecryptedSubmission> followUps) {}

  final Map<String, Case> cases = new LinkedHashMap<>();
  int unreadable;

  static CachedReports open(LocalCache cache, RecipientPrivateKey key) throws IOException {
    CachedReports out = new CachedReports();
    List<DecryptedSubmission> followUps = new ArrayList<>();
    for (LocalCache.Submission s : cache.submissions()) {
      DecryptedSubmission d;
      try {
        d = DecryptedSubmission.open(cache, s, key);
      } catch (CryptoException | IOException e) {
        out.unreadable++;
        continue;
      }
      if (d.isReport()) {
        out.cases.put(s.id(), new Case(d, new ArrayList<>()));
      } else {
        followUps.add(d);
      }
    }
    for (DecryptedSubmission f : followUps) {
      Case c = out.cases.get(f.listing().caseId());
      if (c != null) {
        c.followUps().add(f);
      }
    }
    return out;
  }

  /** The case of a report id or unique prefix (a follow-up id leads to its report). */
  Case find(LocalCache cache, String idOrPrefix) throws IOException {
    LocalCache.Submission s = cache.find(idOrPrefix).orElseThrow(() -> new CliException(ExitCodes.BAD_INPUT,
        "no synced submission " + idOrPrefix + " (run sync, or check the id)"));
    Case c = cases.get(s.caseId());
    if (c == null) {
      throw new CliException(ExitCodes.CRYPTO, "submission " + s.id() + " does not open with your key");
    }
    return c;
  }
}
