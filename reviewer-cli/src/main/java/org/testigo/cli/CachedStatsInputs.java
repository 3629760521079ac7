package org.testigo.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.testigo.cli.remote.LocalCache;
import org.testigo.cli.report.DecryptedSubmission;
import org.testigo.cli.stats.StatsInput;
import org.testigo.cli.stats.StatsInputs;
import org.testigo.cli.triage.CaseState;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.identity.ReviewerIdentity;

/**
 * The statistics inputs of every cached report of a server, built in memory: each report is
 * opened with the reviewer's key, its verified case events are replayed, and
 * {@link StatsInputs#fromCase} keeps only enumerated facts and milestone days. Nothing is
 * written to disk. A report whose questionnaire has a value the statistics do not know, or
 * whose milestones contradict its received day, is counted in {@code skipped}, not guessed.
 */
public final class CachedStatsInputs {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The inputs, and how many reports were left out (unreadable with this key, or skipped). */
  public record Result(List<StatsInput> inputs, int unreadable, int skipped, int refusedEvents) {}

  private CachedStatsInputs() {}

  /** Opens the keystore, reads the cache of the selected server and destroys the identity. */
  public static Result read(HomeOptions home, KeystoreOption keystore, PassphraseOptions passphrase)
      throws IOException, CryptoException {
    LocalCache cache = LocalCache.open(home.home(), home.serverName());
    if (cache.manifest().isEmpty()) {
      throw new CliException(ExitCodes.USAGE, "no manifest cached for this server yet; run sync first");
    }
    ReviewerIdentity identity = Identities.open(keystore, passphrase);
    CachedReports reports;
    CaseLog log;
    try {
      reports = CachedReports.open(cache, identity.encryptionKey());
      log = CaseLog.load(cache, RemoteSession.server(home), identity);
    } finally {
      identity.destroy();
    }
    List<StatsInput> out = new ArrayList<>();
    int skipped = 0;
    for (CachedReports.Case c : reports.cases.values()) {
      DecryptedSubmission r = c.report();
      try {
        LocalDate received = r.listing().day();
        CaseState state = log.state(r.listing().id(), received);
        out.add(StatsInputs.fromCase(state, StatsInputs.questionnaire(JSON.writeValueAsBytes(r.document()))));
      } catch (IllegalArgumentException | java.time.DateTimeException e) {
        skipped++;
      }
    }
    return new Result(out, reports.unreadable, skipped, log.refused);
  }
}
