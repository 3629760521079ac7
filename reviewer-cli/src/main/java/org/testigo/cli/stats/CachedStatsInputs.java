package org.testigo.cli.stats;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.testigo.api.questionnaire.AbuseCategory;
import org.testigo.api.questionnaire.Perpetrator;
import org.testigo.api.questionnaire.Vocabulary;
import org.testigo.cli.cases.CaseState;
import org.testigo.cli.cases.ErasedRecords;
import org.testigo.cli.cases.StatsRecord;
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
  public record Result(List<StatsInput> inputs, int unreadable, int skipped, int refusedEvents, int notReports,
      List<StatsEngine.Counted> erased) {
    public Result(List<StatsInput> inputs, int unreadable, int skipped, int refusedEvents, int notReports) {
      this(inputs, unreadable, skipped, refusedEvents, notReports, List.of());
    }
  }

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
    ErasedRecords kept;
    try {
      index = ReportIndex.forCommand(home, cache, identity, err);
      kept = ErasedRecords.load(home.home(), home.serverName(), identity, err);
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
    List<StatsEngine.Counted> erased = new ArrayList<>();
    for (StatsRecord r : kept.records().values()) {
      if (r.malformed() || r.outcome() == Outcome.SPAM) {
        notReports++;
        continue;
      }
      try {
        erased.add(counted(r));
      } catch (IllegalArgumentException ex) {
        skipped++;
      }
    }
    return new Result(out, (int) index.count(ReportIndex.Kind.UNREADABLE), skipped, index.refusedEvents(), notReports,
        erased);
  }

  /**
   * What the tables count of an erased case, from its statistical record: its case as it stood
   * when it was erased. IllegalArgumentException for a code the statistics do not know.
   */
  public static StatsEngine.Counted counted(StatsRecord r) {
    Set<AbuseCategory> categories = EnumSet.noneOf(AbuseCategory.class);
    for (String c : r.categories()) {
      categories.add(Vocabulary.require(AbuseCategory.class, c));
    }
    Set<Perpetrator> agencies = EnumSet.noneOf(Perpetrator.class);
    for (String a : r.agencies()) {
      agencies.add(Vocabulary.require(Perpetrator.class, a));
    }
    Set<Institution> institutions = EnumSet.noneOf(Institution.class);
    boolean[] prosecution = new boolean[StatsEngine.PROSECUTION_STEPS.size()];
    boolean[] commission = new boolean[StatsEngine.COMMISSION_STEPS.size()];
    for (StatsRecord.Referral ref : r.referrals()) {
      Institution to = Institution.valueOf(ref.to().name());
      institutions.add(to);
      Set<String> stages = new java.util.HashSet<>();
      ref.stages().forEach(s -> stages.add(s.name().toLowerCase(java.util.Locale.ROOT)));
      if (to.kind() == Institution.Kind.PROSECUTOR) {
        prosecution[0] = true;
        prosecution[1] |= stages.contains("investigation_opened");
        prosecution[2] |= stages.contains("charges_filed");
        prosecution[3] |= stages.contains("sentence");
      } else if (to.kind() == Institution.Kind.COMMISSION) {
        commission[0] = true;
        commission[1] |= stages.contains("complaint_admitted");
        commission[2] |= stages.contains("recommendation_issued");
      }
    }
    Map<FunnelStep, Long> days = new EnumMap<>(FunnelStep.class);
    r.funnelDays().forEach((step, n) -> days.put(FunnelStep.valueOf(step.toUpperCase(java.util.Locale.ROOT)),
        (long) n));
    return new StatsEngine.Counted(r.month(), r.state() == null ? MxState.UNKNOWN : MxState.ofIso(r.state()),
        categories, agencies, r.outcome() == null ? CaseOutcome.OPEN : CaseOutcome.valueOf(r.outcome().name()),
        institutions, days, deadline(r.deadlines().get("acknowledge")),
        deadline(r.deadlines().get("first_feedback")), prosecution, commission);
  }

  private static StatsEngine.DeadlineCount deadline(String v) {
    return v == null ? StatsEngine.DeadlineCount.NOT_COUNTED
        : v.equals("met") ? StatsEngine.DeadlineCount.MET : StatsEngine.DeadlineCount.NOT_MET;
  }
}
