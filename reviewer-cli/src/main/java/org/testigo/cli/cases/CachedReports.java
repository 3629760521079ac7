package org.testigo.cli.cases;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.remote.LocalCache;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.key.RecipientPrivateKey;

/**
 * One case opened in memory: its report and follow-ups, found through the {@link ReportIndex}
 * so that only this case's envelopes are decrypted. A follow-up that does not open, or is not
 * a valid follow-up, is listed in {@code notOpened} and never stops the others.
 */
final class CachedReports {
  /** A report, its follow-ups oldest first, and the follow-ups that could not be read. */
  record Case(DecryptedSubmission report, List<DecryptedSubmission> followUps, List<ReportIndex.Entry> notOpened) {}

  private CachedReports() {}

  /**
   * The case of a report id or unique prefix (a follow-up id leads to its report), opened with
   * {@code key}; attachments go to {@code sink} (may be null). Exit 5 if the id is unknown,
   * 3 if the report does not open with this key, 5 if it is not a valid report.
   */
  static Case open(ReportIndex index, LocalCache cache, String idOrPrefix, RecipientPrivateKey key,
      DecryptedSubmission.AttachmentSink sink) throws IOException {
    ReportIndex.Entry hit = index.find(idOrPrefix).orElseThrow(() -> new CliException(ExitCodes.BAD_INPUT,
        "no synced submission " + idOrPrefix + " (run sync, or check the id)"));
    ReportIndex.Entry report = hit.isReport() ? hit : index.entries.get(hit.caseId());
    if (report == null || !report.isReport()) {
      throw new CliException(ExitCodes.BAD_INPUT, "the report of follow-up " + hit.id() + " is not synced");
    }
    check(report);
    LocalCache.Submission listing = listing(cache, report);
    DecryptedSubmission r;
    try {
      r = DecryptedSubmission.open(cache, listing, key, sink);
    } catch (CryptoException e) {
      throw new CliException(ExitCodes.CRYPTO, "submission " + report.id() + " does not open with your key");
    } catch (DecryptedSubmission.NotAValidReportException e) {
      throw new CliException(ExitCodes.BAD_INPUT, "submission " + report.id() + " is not a valid report ("
          + e.getMessage() + "); close it with: testigo-reviewer close " + report.id() + " spam");
    }
    List<DecryptedSubmission> followUps = new ArrayList<>();
    List<ReportIndex.Entry> notOpened = new ArrayList<>();
    for (ReportIndex.Entry f : index.followUps(report.id())) {
      if (f.kind() != ReportIndex.Kind.FOLLOW_UP) {
        notOpened.add(f);
        continue;
      }
      try {
        followUps.add(DecryptedSubmission.open(cache, listing(cache, f), key, sink));
      } catch (CryptoException | DecryptedSubmission.NotAValidReportException e) {
        notOpened.add(f);
      }
    }
    return new Case(r, followUps, notOpened);
  }

  private static void check(ReportIndex.Entry report) {
    switch (report.kind()) {
      case UNREADABLE -> throw new CliException(ExitCodes.CRYPTO, "submission " + report.id()
          + " does not open with your key");
      case MALFORMED -> throw new CliException(ExitCodes.BAD_INPUT, "submission " + report.id() + " ("
          + report.size() + " bytes) is not a valid report: " + report.problem() + "; close it with: testigo-reviewer"
          + " close " + report.id() + " spam (or all such: close --filter malformed spam --dry-run)");
      case INVALID -> throw new CliException(ExitCodes.BAD_INPUT, "the cached listing of " + report.id()
          + " is invalid; delete submissions/" + report.id() + ".* from the cache and run sync");
      default -> { }
    }
  }

  private static LocalCache.Submission listing(LocalCache cache, ReportIndex.Entry e) throws IOException {
    return cache.byId(e.id()).orElseThrow(() -> new CliException(ExitCodes.IO, "submission " + e.id()
        + " is no longer in the cache; run sync"));
  }
}
