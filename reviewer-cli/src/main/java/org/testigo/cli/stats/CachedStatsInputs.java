package org.testigo.cli.stats;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.testigo.cli.cases.CaseState;
import org.testigo.cli.cases.Outcome;
import org.testigo.cli.cases.ReportIndex;
import org.testigo.cli.cases.Status;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.HomeOptions;
import org.testigo.cli.common.Identities;
import org.testigo.cli.common.KeystoreOption;
import org.testigo.cli.common.PassphraseOptions;
import org.testigo.cli.remote.LocalCache;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.identity.ReviewerIdentity;

/**
 * The statistics inputs of every cached report of a server, read from the encrypted report
 * index (each report's enumerated questionnaire facts and replayed case state; only envelopes
 * new since the index was written are opened). {@link StatsInputs#fromCase} keeps only
 * enumerated facts and milestone days. Nothing is written to disk but the index. A report
 * whose questionnaire has a value the statistics do not know, or whose milestones contradict
 * its received day, is counted in {@code skipped}, not guessed; submissions that are not valid
 * reports, and cases closed as spam, are left out and counted in {@code notReports}.
 */
public final class CachedStatsInputs {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The inputs, and how many reports were left out (unreadable with this key, skipped, not reports). */
  public record Result(List<StatsInput> inputs, int unreadable, int skipped, int refusedEvents, int notReports) {}

  private CachedStatsInputs() {}

  /** Opens the keystore, reads the index of the selected server and destroys the identity. */
  public static Result read(HomeOptions home, KeystoreOption keystore, PassphraseOptions passphrase,
      java.io.PrintWriter err) throws IOException, CryptoException {
    LocalCache cache = LocalCache.open(home.home(), home.serverName());
    if (cache.manifest().isEmpty()) {
      throw new CliException(ExitCodes.USAGE, "no manifest cached for this server yet; run sync first");
    }
    ReviewerIdentity identity = Identities.open(keystore, passphrase);
    ReportIndex index;
    try {
      index = ReportIndex.forCommand(home, cache, identity, err);
    } finally {
      identity.destroy();
    }
    List<StatsInput> out = new ArrayList<>();
    int skipped = 0;
    int notReports = 0;
    for (ReportIndex.Entry e : index.sortedEntries()) {
      if (!e.isReport() || e.kind() == ReportIndex.Kind.UNREADABLE || e.kind() == ReportIndex.Kind.INVALID) {
        continue;
      }
      CaseState state = index.state(e);
      if (e.kind() == ReportIndex.Kind.MALFORMED || state.status() == Status.CLOSED && state.outcome() == Outcome.SPAM) {
        notReports++;
        continue;
      }
      try {
        ObjectNode q = JSON.createObjectNode().put("version", 1);
        e.what().forEach(q.putArray("what")::add);
        e.who().forEach(q.putArray("who")::add);
        q.putObject("where").put("state", e.state());
        out.add(StatsInputs.fromCase(state, StatsInputs.questionnaire(JSON.writeValueAsBytes(q))));
      } catch (IllegalArgumentException | java.time.DateTimeException ex) {
        skipped++;
      }
    }
    return new Result(out, (int) index.count(ReportIndex.Kind.UNREADABLE), skipped, index.refusedEvents(), notReports);
  }
}
