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
 * before the reviewer joined, or altered) are counted, not shown, and so are listing files
 * that are unreadable or hold an invalid field (one bad entry never stops the others).
 * Envelopes are opened on
 * one thread per processor.
 */
final class CachedReports {
  /** A report and its follow-ups, oldest first. */
  record Case(DecryptedSubmission report, List<DecryptedSubmission> followUps) {}

  final Map<String, Case> cases = new LinkedHashMap<>();
  int unreadable;
  /** Listing files in the cache that do not parse or hold an invalid field; left out. */
  int invalid;

  static CachedReports open(LocalCache cache, RecipientPrivateKey key) throws IOException {
    CachedReports out = new CachedReports();
    List<DecryptedSubmission> opened = openAll(cache, cache.submissions(), key);
    out.invalid = cache.invalidListings();
    List<DecryptedSubmission> followUps = new ArrayList<>();
    for (DecryptedSubmission d : opened) {
      if (d == null) {
        out.unreadable++;
      } else if (d.isReport()) {
        out.cases.put(d.listing().id(), new Case(d, new ArrayList<>()));
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

  /**
   * Opens the submissions on one thread per processor, in memory; the result is in the
   * order given, with null for an envelope that does not open with this key.
   */
  static List<DecryptedSubmission> openAll(LocalCache cache, List<LocalCache.Submission> submissions,
      RecipientPrivateKey key) throws IOException {
    int threads = Math.min(Runtime.getRuntime().availableProcessors(), Math.max(1, submissions.size() / 8));
    java.util.function.Function<LocalCache.Submission, DecryptedSubmission> open = s -> {
      try {
        return DecryptedSubmission.open(cache, s, key);
      } catch (CryptoException | IOException e) {
        return null;
      }
    };
    if (threads <= 1) {
      return submissions.stream().map(open).toList();
    }
    java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(threads);
    try {
      return pool.submit(() -> submissions.parallelStream().map(open).toList()).get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while opening the cache");
    } finally {
      pool.shutdownNow();
    }
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
