package org.testigo.cli.cases;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import me.tongfei.progressbar.ProgressBar;
import org.testigo.api.EnvelopeId;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.HomeOptions;
import org.testigo.cli.common.ProgressBars;
import org.testigo.cli.remote.LocalCache;
import org.testigo.cli.remote.RemoteSession;
import org.testigo.cli.remote.ServerRegistry;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.envelope.LocalSealedFile;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.event.EventId;
import org.testigo.crypto.identity.ReviewerIdentity;

/**
 * The report index of one server and one reviewer (docs/spec/reviewer-api-and-batches.md §8):
 * a sealed head {@code <home>/index/<server>/<key fingerprint>.tgidx} and its 256 sealed
 * shards ({@link IndexStore}), what {@code list}, {@code overdue} and {@code stats --from-cache}
 * read instead of opening every cached envelope, and how {@code show} and {@code files} find
 * the envelopes and events of one case, reading only that case's shards ({@link #forCase}).
 *
 * <p>Per submission: the listing fields, what opening it gave (a report, a follow-up, not a
 * valid report with the reason, or not openable with this key) and, for a report, its
 * enumerated questionnaire facts and attachment sizes; per case the replayed state and its
 * event sequence numbers. It is sealed with {@link LocalSealedFile} under a key derived from
 * the reviewer's private key (plaintext never touches the disk), written atomically, and never
 * trusted blindly: a file that does not verify, does not parse or is of another version is
 * reported and rebuilt from the cache. {@link #refresh} brings it up to date incrementally:
 * only envelopes whose files changed are opened, only cases with new events are replayed.
 *
 * <p>Assumes: the cache directories' modification times change when a file is added,
 * removed or renamed in them (POSIX); a change within {@link #RACY_NANOS} of a scan is not
 * trusted to be seen, and the next command scans again.
 */
public final class ReportIndex {
  /**
   * The header's version: 2 since a reply meets the first-feedback deadline (issue #19); 3
   * since the reader checks questionnaires against questionnaire v1's closed lists (api
   * {@code QuestionnaireCheck}); 4 since reply_sent keeps the reply's text and reopen exists (an
   * older reader replayed those events as unreadable); 5 since referrals keep their event id and
   * referral_update stages (for statistics); 6 since legal holds and a source's erasure request (issue #21); 7
   * since the index is a head and shards in a binary encoding ({@link IndexStore}, {@link IndexCodec}). Each
   * time, entries indexed or states replayed by the older rules are rebuilt.
   */
  static final int VERSION = 7;
  static final String SUFFIX = ".tgidx";
  static final long RACY_NANOS = 2_000_000_000L;

  /** What opening a submission gave. */
  public enum Kind {
    REPORT, FOLLOW_UP,
    /** It opens but is not a valid report or follow-up ({@code problem} says why). */
    MALFORMED,
    /** A follow-up whose only part is the source's request for early erasure (it erases nothing). */
    ERASURE_REQUEST,
    /** It does not open with this reviewer's key (not a recipient, or altered). */
    UNREADABLE,
    /** Its listing file is unreadable or invalid. */
    INVALID
  }

  /** One cached submission. Lists are empty and texts null where they do not apply. */
  public record Entry(String id, long seq, String context, String caseId, String receivedDay, long size,
      boolean hasMailbox, String stamp, Kind kind, String problem, String language, List<String> what,
      List<String> who, String state, String minors, boolean wantsReply, List<Long> files) {
    /** Not a property of the stored index (public for statistics, which reads the index). */
    @JsonIgnore
    public boolean isReport() {
      return Envelope.CONTEXT_REPORT.equals(context);
    }

    LocalDate day() {
      return Deadlines.day(receivedDay);
    }
  }

  /** A referral as replayed (what statistics and {@code show} need), with its applied stages. */
  record Referral(String to, String state, String institution, String reference, String date, String event,
      List<Stage> stages) {}

  /** An applied referral_update of a referral: the stage and its day (never its note). */
  record Stage(String stage, String date) {}

  /** The replayed state of one case (a report of the index), with its verified events. */
  record Case(String caseId, Status status, String assignee, Priority priority, Outcome outcome,
      List<String> labels, String acknowledgedAt, String firstFeedbackAt, String closedAt,
      List<Referral> referrals, String legalHold) {}

  /** One cached event: its case, or null when it did not verify or open. */
  record Event(long seq, String caseId) {}

  private final Path file;
  private final String server;
  private final String reviewer;
  final Map<String, Entry> entries = new HashMap<>();
  final Map<String, Case> cases = new HashMap<>();
  final Map<Long, String> events = new HashMap<>();
  private String basis = "";
  /** Envelopes opened by the last {@link #current} (new or changed in the cache). */
  int lastOpened;
  private long submissionsMtime;
  private long eventsMtime;
  /** The shard generations on disk (null: nothing written yet), so a save rewrites only what changed. */
  private long[] gens;
  /** Only some shards are loaded ({@link #forCase}): lookups of one case only, never saved. */
  private boolean partial;
  /** This empty index replaces one that did not verify, and the warning was said. */
  private boolean warned;

  private ReportIndex(Path file, String server, String reviewer) {
    this.file = file;
    this.server = server;
    this.reviewer = reviewer;
  }

  static Path path(Path home, String server, ReviewerIdentity identity) {
    return home.resolve("index").resolve(server)
        .resolve(identity.encryptionKey().publicKey().fingerprint().hex().substring(0, 32) + SUFFIX);
  }

  private static String purpose(String server) {
    return "report-index v1 " + server;
  }

  /**
   * The index of this cache, brought up to date (created, or rebuilt when it does not verify),
   * and saved if anything changed. Warnings go to {@code err}; a progress bar to the console
   * when envelopes must be opened.
   */
  static ReportIndex current(Path home, LocalCache cache, String serverName, ServerRegistry.Server server,
      ReviewerIdentity identity, PrintWriter err) throws IOException {
    return current(home, cache, serverName, server, identity, err, Map.of());
  }

  /**
   * As {@link #current(Path, LocalCache, String, ServerRegistry.Server, ReviewerIdentity, PrintWriter)},
   * taking the entry of a new envelope from {@code preOpened} (by id; what {@link #entry} gave
   * while sync downloaded, see {@link IndexPreOpener}) instead of opening it again, but only
   * when its stamp equals the one of this scan: a file changed since is opened again. The
   * envelopes taken count as opened in {@link #lastOpened}.
   */
  static ReportIndex current(Path home, LocalCache cache, String serverName, ServerRegistry.Server server,
      ReviewerIdentity identity, PrintWriter err, Map<String, Entry> preOpened) throws IOException {
    ReportIndex index = load(home, serverName, identity, err);
    index.lastOpened = index.refresh(cache, server, identity, err, preOpened);
    return index;
  }

  /**
   * The up-to-date index for a command: events are verified against the cached manifest chain
   * from the registered server's pinned root when a chain is cached (case states start fresh
   * otherwise).
   */
  public static ReportIndex forCommand(HomeOptions home, LocalCache cache, ReviewerIdentity identity, PrintWriter err)
      throws IOException {
    ServerRegistry.Server server = cache.manifest().isPresent() ? RemoteSession.server(home) : null;
    return current(home.home(), cache, home.serverName(), server, identity, err);
  }

  /**
   * Reads the whole index (its shards in parallel); an empty index (with a warning) if it is
   * missing or any part of it does not verify.
   */
  static ReportIndex load(Path home, String serverName, ReviewerIdentity identity, PrintWriter err) throws IOException {
    try (IndexStore.Lock lock = IndexStore.lock(path(home, serverName, identity), true)) {
      return loadLocked(home, serverName, identity, err);
    }
  }

  private static ReportIndex loadLocked(Path home, String serverName, ReviewerIdentity identity, PrintWriter err)
      throws IOException {
    ReportIndex index = loadHead(home, serverName, identity, err);
    if (index.gens == null) {
      return index;
    }
    int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 4));
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "index-load");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<IndexStore.Shard>> shards = new ArrayList<>();
      for (int s = 0; s < IndexStore.SHARDS; s++) {
        int shard = s;
        long gen = index.gens[s];
        shards.add(pool.submit(() -> IndexStore.readShard(index.file, shard, gen, serverName, index.reviewer,
            identity.encryptionKey())));
      }
      for (Future<IndexStore.Shard> f : shards) {
        index.add(f.get());
      }
      return index;
    } catch (java.util.concurrent.ExecutionException e) {
      return index.untrusted(err, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while reading the report index");
    } finally {
      pool.shutdownNow();
    }
  }

  /** The index with its head read and no shard loaded (an empty index if there is no usable head). */
  private static ReportIndex loadHead(Path home, String serverName, ReviewerIdentity identity, PrintWriter err)
      throws IOException {
    Path f = path(home, serverName, identity);
    String reviewer = identity.encryptionKey().publicKey().fingerprint().hex();
    ReportIndex index = new ReportIndex(f, serverName, reviewer);
    try {
      IndexStore.Head h = IndexStore.readHead(f, serverName, reviewer, identity.encryptionKey());
      if (h == null) {
        return index;
      }
      index.basis = h.basis();
      index.submissionsMtime = h.submissionsMtime();
      index.eventsMtime = h.eventsMtime();
      index.gens = h.gens();
      for (long seq : h.refused()) {
        index.events.put(seq, null);
      }
      return index;
    } catch (IOException | RuntimeException e) {
      return index.untrusted(err, e);
    }
  }

  /** Says why the index on disk is not used and returns an empty one, to be rebuilt from the cache. */
  private ReportIndex untrusted(PrintWriter err, Throwable why) {
    err.println("testigo-reviewer: warning: the report index " + file + " "
        + (why instanceof LocalSealedFile.TamperedException ? "does not verify under your key (altered, truncated, or"
            + " written with another keystore)" : why instanceof IndexStore.OtherVersionException
            ? "was " + why.getMessage() : "could not be read (" + why.getClass().getSimpleName()
            + (why.getMessage() == null ? "" : ": " + Text.cell(why.getMessage(), 200)) + ")")
        + "; rebuilding it from the cache");
    ReportIndex empty = new ReportIndex(file, server, reviewer);
    empty.warned = true;
    return empty;
  }

  private void add(IndexStore.Shard shard) {
    for (Entry e : shard.entries()) {
      entries.put(e.id(), e);
    }
    for (Case c : shard.cases()) {
      cases.put(c.caseId(), c);
    }
    events.putAll(shard.events());
  }

  /**
   * The index for a command about one case ({@code show}, {@code files}, {@code export}): when
   * the index is up to date with the cache, only the head and the shards of that case (its
   * report, its follow-ups, its events) are read; otherwise the whole index, brought up to
   * date as {@link #forCommand} does. {@link #find} then answers for the id or prefix as it
   * would over the whole index: every id with the prefix is in the prefix's shard.
   */
  static ReportIndex forCase(HomeOptions home, LocalCache cache, ReviewerIdentity identity, String idOrPrefix,
      PrintWriter err) throws IOException {
    ServerRegistry.Server server = cache.manifest().isPresent() ? RemoteSession.server(home) : null;
    return forCase(home.home(), cache, home.serverName(), server, identity, idOrPrefix, err);
  }

  static ReportIndex forCase(Path home, LocalCache cache, String serverName, ServerRegistry.Server server,
      ReviewerIdentity identity, String idOrPrefix, PrintWriter err) throws IOException {
    String prefix = CaseIds.prefix(idOrPrefix);
    PrintWriter quiet = new PrintWriter(java.io.Writer.nullWriter());
    ReportIndex index;
    try (IndexStore.Lock lock = IndexStore.lock(path(home, serverName, identity), true)) {
      index = caseLocked(home, serverName, cache, server, identity, prefix, err);
    }
    if (index == null) {
      return current(home, cache, serverName, server, identity, err);
    }
    if (index.warned) {
      // Said once already; the full load meets the same defect and rebuilds without saying it again.
      return current(home, cache, serverName, server, identity, quiet);
    }
    return index;
  }

  /**
   * The head and the shards of one case; null when the index is missing or not fresh, and an
   * empty index marked {@code warned} when a file of it did not verify (the warning said): in
   * both cases the caller reads the whole index.
   */
  private static ReportIndex caseLocked(Path home, String serverName, LocalCache cache, ServerRegistry.Server server,
      ReviewerIdentity identity, String prefix, PrintWriter err) throws IOException {
    ReportIndex index = loadHead(home, serverName, identity, err);
    if (index.warned) {
      return index;
    }
    if (index.gens == null || !index.isFresh(cache, server)) {
      return null;
    }
    try {
      Map<Integer, IndexStore.Shard> loaded = new HashMap<>();
      index.loadShard(IndexStore.shardOf(prefix), loaded, identity);
      List<Entry> hits = index.entries.values().stream().filter(e -> e.id().startsWith(prefix)).toList();
      if (hits.size() == 1) {
        String caseId = hits.get(0).caseId();
        IndexStore.Shard own = index.loadShard(IndexStore.shardOf(caseId), loaded, identity);
        for (String followUp : own.links().getOrDefault(caseId, List.of())) {
          index.loadShard(IndexStore.shardOf(followUp), loaded, identity);
        }
      }
    } catch (IOException | RuntimeException e) {
      return index.untrusted(err, e);
    }
    index.partial = true;
    return index;
  }

  /** True if only the shards of one case were read ({@link #forCase}). */
  boolean isPartial() {
    return partial;
  }

  private IndexStore.Shard loadShard(int shard, Map<Integer, IndexStore.Shard> loaded, ReviewerIdentity identity)
      throws IOException {
    IndexStore.Shard s = loaded.get(shard);
    if (s == null) {
      s = IndexStore.readShard(file, shard, gens[shard], server, reviewer, identity.encryptionKey());
      loaded.put(shard, s);
      add(s);
    }
    return s;
  }

  /** Writes the index ({@link IndexStore#write}): the shards that changed, then the head. */
  void save(ReviewerIdentity identity) throws IOException {
    if (partial) {
      throw new IllegalStateException("a partly loaded report index is never written");
    }
    try (IndexStore.Lock lock = IndexStore.lock(file, false)) {
      gens = IndexStore.write(file, server, reviewer, identity.encryptionKey(), basis, submissionsMtime, eventsMtime,
          entries, cases, events, gens);
    }
  }

  /** Every entry, by server sequence. */
  public List<Entry> sortedEntries() {
    List<Entry> out = new ArrayList<>(entries.values());
    out.sort(Comparator.comparingLong(Entry::seq).thenComparing(Entry::id));
    return out;
  }

  /** The follow-ups of a case that opened as follow-ups or not, by sequence. */
  List<Entry> followUps(String caseId) {
    return sortedEntries().stream().filter(e -> !e.isReport() && caseId.equals(e.caseId())).toList();
  }

  /** Per case: how many follow-ups, the day of the latest, and whether one asks for early erasure. */
  record FollowUps(Map<String, Integer> counts, Map<String, LocalDate> latest, Set<String> erasureRequests) {}

  /**
   * Follow-up counts, the latest follow-up day and the source's erasure requests of every case,
   * in one pass over the entries (what {@code list} needs for every row).
   */
  FollowUps followUpSummary() {
    Map<String, Integer> counts = new HashMap<>();
    Map<String, LocalDate> latest = new HashMap<>();
    Set<String> asks = new HashSet<>();
    for (Entry e : entries.values()) {
      if (e.kind() == Kind.ERASURE_REQUEST && e.caseId() != null) {
        asks.add(e.caseId());
      }
      if (e.isReport() || e.kind() == Kind.INVALID) {
        continue;
      }
      counts.merge(e.caseId(), 1, Integer::sum);
      if (e.caseId() != null) {
        latest.merge(e.caseId(), e.day(), (a, b) -> a.isAfter(b) ? a : b);
      }
    }
    return new FollowUps(counts, latest, asks);
  }

  /** The received days of a case's follow-ups (readable or not). */
  List<LocalDate> followUpDays(String caseId) {
    List<LocalDate> out = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (!e.isReport() && e.kind() != Kind.INVALID && caseId.equals(e.caseId())) {
        out.add(e.day());
      }
    }
    return out;
  }

  /**
   * The "follow-up after close" mark of a report's case ({@link CaseState#followUpAfterClose}):
   * the day of the follow-up that came after the close, or null.
   */
  public LocalDate followUpAfterClose(Entry report) {
    return state(report).followUpAfterClose(followUpDays(report.caseId()));
  }

  /** Follow-up counts by case id. */
  Map<String, Integer> followUpCounts() {
    return followUpSummary().counts();
  }


  /** The event sequence numbers of a case. */
  List<Long> eventSeqs(String caseId) {
    List<Long> out = new ArrayList<>();
    events.forEach((seq, c) -> {
      if (caseId.equals(c)) {
        out.add(seq);
      }
    });
    out.sort(null);
    return out;
  }

  /** The sequence numbers of the cached events that did not verify or open. */
  List<Long> refusedSeqs() {
    List<Long> out = new ArrayList<>();
    events.forEach((seq, c) -> {
      if (c == null) {
        out.add(seq);
      }
    });
    out.sort(null);
    return out;
  }

  public int refusedEvents() {
    return refusedSeqs().size();
  }

  /**
   * The entry of an id or unique prefix of 4+ hex characters ({@link CaseIds}: none or several
   * are refused with a message that says so, listing them).
   */
  Optional<Entry> find(String idOrPrefix) {
    String p = CaseIds.prefix(idOrPrefix);
    List<CaseIds.Hit> hits = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (e.id().startsWith(p)) {
        hits.add(new CaseIds.Hit(e.id(), e.receivedDay(), e.isReport()));
      }
    }
    return Optional.of(entries.get(CaseIds.unique(p, hits)));
  }

  /** The replayed state of a report's case (a fresh case if it has no verified events). */
  public CaseState state(Entry report) {
    Case c = cases.get(report.caseId());
    CaseId id = CaseId.fromHex(report.caseId());
    if (c == null) {
      return CaseReplay.fresh(id, report.day());
    }
    return stateOf(c, id, report.day());
  }

  /** The case state a summary stands for (no history but the referral stages). */
  static CaseState stateOf(Case c, CaseId id, LocalDate day) {
    List<CaseState.Recorded<CaseAction.Refer>> refs = new ArrayList<>();
    List<CaseState.HistoryEntry> stages = new ArrayList<>();
    for (Referral r : c.referrals()) {
      EventId event = r.event() == null ? null : EventId.fromHex(r.event());
      refs.add(new CaseState.Recorded<>(event, "", null, new CaseAction.Refer(TriageCommands.parse(ReferralTarget.class,
          r.to()), r.state(), r.institution(), r.reference(), LocalDate.parse(r.date()))));
      for (Stage st : r.stages() == null || event == null ? List.<Stage>of() : r.stages()) {
        stages.add(new CaseState.HistoryEntry(null, "", 0, null, new CaseAction.ReferralUpdate(event,
            TriageCommands.parse(ReferralStage.class, st.stage()), LocalDate.parse(st.date()), null),
            CaseState.Flag.APPLIED, null));
      }
    }
    return new CaseState(id, day, c.status(), c.assignee(), c.priority(), c.outcome(),
        new TreeSet<>(c.labels()), List.of(), refs, List.of(), List.of(), instant(c.acknowledgedAt()),
        instant(c.firstFeedbackAt()), instant(c.closedAt()), stages, c.legalHold());
  }

  static Case summary(CaseState s) {
    List<Referral> refs = new ArrayList<>();
    for (ReferralUpdates.Outcomes o : ReferralUpdates.of(s)) {
      CaseAction.Refer a = o.referral().action();
      List<Stage> stages = o.updates().stream().map(u -> new Stage(u.action().stage().wire(), u.action().date().toString()))
          .toList();
      refs.add(new Referral(a.to().name(), a.state(), a.institution(), a.reference(), a.date().toString(),
          o.referral().eventId() == null ? null : o.referral().eventId().hex(), stages));
    }
    return new Case(s.caseId().hex(), s.status(), s.assignee(), s.priority(), s.outcome(), List.copyOf(s.labels()),
        text(s.acknowledgedAt()), text(s.firstFeedbackAt()), text(s.closedAt()), refs, s.legalHold());
  }

  private static Instant instant(String s) {
    return s == null ? null : Instant.parse(s);
  }

  private static String text(Instant i) {
    return i == null ? null : i.toString();
  }

  /**
   * Brings the index up to date with the cache: opens the envelopes added or changed since,
   * drops the removed ones, verifies and opens new events, replays the cases they touch, and
   * saves the index if anything changed. Returns how many envelopes were opened.
   */
  int refresh(LocalCache cache, ServerRegistry.Server server, ReviewerIdentity identity, PrintWriter err,
      Map<String, Entry> preOpened) throws IOException {
    Path subs = cache.directory().resolve("submissions");
    Path evs = cache.directory().resolve("events");
    long scanStart = System.currentTimeMillis() * 1_000_000L;
    long subsMtime = mtime(subs);
    long evsMtime = mtime(evs);
    String newBasis = basis(cache, server);
    if (fresh(subsMtime, evsMtime, newBasis)) {
      return 0;
    }
    Set<String> touchedCases = new HashSet<>();
    int opened = refreshSubmissions(cache, identity, subs, touchedCases, preOpened);
    boolean replayAll = !newBasis.equals(basis);
    refreshEvents(cache, server, identity, evs, newBasis, replayAll, touchedCases);
    basis = newBasis;
    submissionsMtime = scanStart - subsMtime < RACY_NANOS ? 0 : subsMtime;
    eventsMtime = scanStart - evsMtime < RACY_NANOS ? 0 : evsMtime;
    try {
      save(identity);
    } catch (IOException e) {
      // A full or read-only disk must not stop a reviewer from reading (a flood anyone can send
      // may fill the disk): this command goes on with the index in memory.
      err.println("testigo-reviewer: warning: the report index could not be saved (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + Text.cell(e.getMessage(), 200)) + "); this command goes on with it"
          + " in memory, and the next one opens the envelopes again. Free some disk space, or check that "
          + file.getParent() + " is writable.");
    }
    return opened;
  }

  /** True if nothing in the cache changed since the index was written (no file to open, no event to replay). */
  private boolean isFresh(LocalCache cache, ServerRegistry.Server server) throws IOException {
    return fresh(mtime(cache.directory().resolve("submissions")), mtime(cache.directory().resolve("events")),
        basis(cache, server));
  }

  private boolean fresh(long subsMtime, long evsMtime, String newBasis) {
    return subsMtime == submissionsMtime && evsMtime == eventsMtime && newBasis.equals(basis) && submissionsMtime != 0;
  }

  private static long mtime(Path dir) throws IOException {
    var t = Files.getLastModifiedTime(dir).toInstant();
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /** What the event verification depends on: the pinned root and the cached manifest chain. */
  private static String basis(LocalCache cache, ServerRegistry.Server server) throws IOException {
    Optional<String> chain = cache.manifest();
    if (chain.isEmpty() || server == null) {
      return "none";
    }
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(server.root().hex().getBytes(StandardCharsets.US_ASCII));
      d.update((byte) 0);
      d.update(chain.get().getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(d.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private int refreshSubmissions(LocalCache cache, ReviewerIdentity identity, Path subs, Set<String> touched,
      Map<String, Entry> preOpened) throws IOException {
    Map<String, String> stamps = new HashMap<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(subs, "*.tgenv")) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        String id = name.substring(0, name.length() - ".tgenv".length());
        if (!EnvelopeId.isCanonical(id)) {
          continue;
        }
        try {
          stamps.put(id, stamp(subs, id));
        } catch (NoSuchFileException gone) {
          // an envelope without its listing is not a cached submission (LocalCache.submissions)
        }
      }
    }
    for (var it = entries.entrySet().iterator(); it.hasNext(); ) {
      Entry e = it.next().getValue();
      if (!e.stamp().equals(stamps.get(e.id()))) {
        touched.add(e.caseId());
        it.remove();
      }
    }
    List<String> unindexed = stamps.keySet().stream().filter(id -> !entries.containsKey(id)).sorted().toList();
    List<String> toOpen = new ArrayList<>();
    for (String id : unindexed) {
      Entry pre = preOpened.get(id);
      if (pre != null && pre.stamp().equals(stamps.get(id))) {
        entries.put(id, pre);
        touched.add(pre.caseId());
      } else {
        toOpen.add(id);
      }
    }
    if (toOpen.isEmpty()) {
      return unindexed.size();
    }
    int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), toOpen.size() / 8));
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "index-open");
      t.setDaemon(true);
      return t;
    });
    try (ProgressBar bar = ProgressBars.of("index", toOpen.size())) {
      List<Future<Entry>> jobs = new ArrayList<>();
      for (String id : toOpen) {
        jobs.add(pool.submit(() -> {
          Entry e = entry(cache, id, stamps.get(id), identity);
          bar.step();
          return e;
        }));
      }
      for (Future<Entry> f : jobs) {
        Entry e = f.get();
        entries.put(e.id(), e);
        touched.add(e.caseId());
      }
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while building the report index");
    } finally {
      pool.shutdownNow();
    }
    return unindexed.size();
  }

  /**
   * The stamp of a cached submission: the sizes and modification times (ns) of its envelope and
   * listing file; {@link NoSuchFileException} if either is missing.
   */
  static String stamp(Path subs, String id) throws IOException {
    BasicFileAttributes a = Files.readAttributes(subs.resolve(id + ".tgenv"), BasicFileAttributes.class);
    BasicFileAttributes j = Files.readAttributes(subs.resolve(id + ".json"), BasicFileAttributes.class);
    return a.size() + ":" + nanos(a) + ":" + j.size() + ":" + nanos(j);
  }

  private static long nanos(BasicFileAttributes a) {
    var t = a.lastModifiedTime().toInstant();
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /** Opens one cached envelope (streaming, bounded) into its index entry; never throws for its content. */
  static Entry entry(LocalCache cache, String id, String stamp, ReviewerIdentity identity) throws IOException {
    Optional<LocalCache.Submission> listing = cache.byId(id);
    if (listing.isEmpty()) {
      return new Entry(id, Long.MAX_VALUE, Envelope.CONTEXT_FOLLOW_UP, id, "2000-01-01", 0, false, stamp, Kind.INVALID,
          "the listing file is unreadable or invalid", null, List.of(), List.of(), null, null, false, List.of());
    }
    LocalCache.Submission s = listing.get();
    try {
      DecryptedSubmission d = DecryptedSubmission.open(cache, s, identity.encryptionKey());
      List<Long> sizes = d.files().stream().map(DecryptedSubmission.Attachment::size).toList();
      if (d.isErasureRequest()) {
        return base(s, stamp, Kind.ERASURE_REQUEST, null, null, List.of(), List.of(), null, null, false, List.of());
      }
      if (!d.isReport()) {
        return base(s, stamp, Kind.FOLLOW_UP, null, d.text("language"), List.of(), List.of(), null, null, false, sizes);
      }
      String state = d.text("where", "state");
      String minors = d.text("victims", "minors");
      return base(s, stamp, Kind.REPORT, null, d.text("language"), d.list("what"), d.list("who"),
          state.isEmpty() ? null : state, minors.isEmpty() ? null : minors, d.list("wants").contains("reply"), sizes);
    } catch (DecryptedSubmission.NotAValidReportException e) {
      return base(s, stamp, Kind.MALFORMED, e.getMessage(), null, List.of(), List.of(), null, null, false, List.of());
    } catch (CryptoException | IllegalArgumentException e) {
      return base(s, stamp, Kind.UNREADABLE, null, null, List.of(), List.of(), null, null, false, List.of());
    } catch (NoSuchFileException e) {
      return base(s, stamp, Kind.INVALID, "the envelope file is gone", null, List.of(), List.of(), null, null, false,
          List.of());
    } catch (IOException e) {
      return base(s, stamp, Kind.UNREADABLE, null, null, List.of(), List.of(), null, null, false, List.of());
    }
  }

  private static Entry base(LocalCache.Submission s, String stamp, Kind kind, String problem, String language,
      List<String> what, List<String> who, String state, String minors, boolean wantsReply, List<Long> files) {
    return new Entry(s.id(), s.seq(), s.context(), s.caseId(), s.receivedDay(), s.size(), s.hasMailbox(), stamp, kind,
        problem, language == null || language.isEmpty() ? null : language, what, who, state, minors, wantsReply, files);
  }

  /**
   * Empties the sealed content of a cached event that does not verify (the event itself and its
   * listing stay, so history still shows it as refused): nothing can open such content, and a
   * hostile server could otherwise keep an erased case's sealed content on the reviewer's disk
   * by serving it again as an event that names another case or none (outside attack). Best
   * effort: a file that cannot be read or rewritten is left as it is.
   */
  static void dropContent(Path eventFile) {
    try {
      if (Files.size(eventFile) > 2L * CaseLog.MAX_EVENT_BYTES + 65536) {
        Files.deleteIfExists(eventFile);
        return;
      }
      com.fasterxml.jackson.databind.JsonNode item = DROP_JSON.readTree(eventFile.toFile());
      if (item instanceof com.fasterxml.jackson.databind.node.ObjectNode o && !o.path("content").asText("").isEmpty()) {
        o.put("content", "");
        o.put("contentDropped", true);
        org.testigo.cli.remote.PrivateFiles.writeAtomically(eventFile, DROP_JSON.writeValueAsBytes(o));
      }
    } catch (IOException | RuntimeException e) {
      // left as it is; it is still refused
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper DROP_JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private void refreshEvents(LocalCache cache, ServerRegistry.Server server, ReviewerIdentity identity, Path evs,
      String newBasis, boolean replayAll, Set<String> touched) throws IOException {
    if ("none".equals(newBasis)) {
      events.clear();
      cases.clear();
      return;
    }
    Set<Long> present = new HashSet<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(evs, "*.json")) {
      for (Path p : ds) {
        long seq = CaseLog.seqOf(p);
        if (seq > 0) {
          present.add(seq);
        }
      }
    }
    if (replayAll) {
      events.clear();
      cases.clear();
    }
    for (var it = events.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (!present.contains(e.getKey())) {
        if (e.getValue() != null) {
          touched.add(e.getValue());
        }
        it.remove();
      }
    }
    List<Long> fresh = present.stream().filter(s -> !events.containsKey(s)).sorted().toList();
    if (!fresh.isEmpty()) {
      CaseLog log = CaseLog.load(cache, server, identity, fresh);
      for (long seq : fresh) {
        CaseId c = log.caseOf.get(seq);
        events.put(seq, c == null ? null : c.hex());
        if (c != null) {
          touched.add(c.hex());
        } else {
          dropContent(evs.resolve(seq + ".json"));
        }
      }
    }
    if (replayAll) {
      touched.addAll(entries.keySet());
    }
    Map<String, List<Long>> byCase = new HashMap<>();
    events.forEach((seq, c) -> {
      if (c != null && touched.contains(c)) {
        byCase.computeIfAbsent(c, k -> new ArrayList<>()).add(seq);
      }
    });
    for (String caseId : touched) {
      Entry report = entries.get(caseId);
      if (report == null || !report.isReport() || report.kind() == Kind.INVALID) {
        cases.remove(caseId);
        continue;
      }
      List<Long> seqs = byCase.getOrDefault(caseId, List.of());
      if (seqs.isEmpty()) {
        cases.remove(caseId);
        continue;
      }
      CaseLog log = CaseLog.load(cache, server, identity, seqs);
      cases.put(caseId, summary(log.state(caseId, report.day())));
    }
  }

  /** For tests: the content as comparable values (the stamps and the file's own fields left out). */
  List<Object> content() {
    List<Object> out = new ArrayList<>();
    for (Entry e : sortedEntries()) {
      out.add(new Entry(e.id(), e.seq(), e.context(), e.caseId(), e.receivedDay(), e.size(), e.hasMailbox(), "",
          e.kind(), e.problem(), e.language(), e.what(), e.who(), e.state(), e.minors(), e.wantsReply(), e.files()));
    }
    out.addAll(new TreeMap<>(cases).values());
    out.add(new TreeMap<>(events));
    return out;
  }

  /** How many entries are of this kind. */
  public long count(Kind kind) {
    return entries.values().stream().filter(e -> e.kind() == kind).count();
  }
}
