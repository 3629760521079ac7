package org.testigo.api;

/**
 * Every HTTP path the intake server serves, exactly as its resources declare them (JAX-RS
 * {@code @Path} templates use {@code {name}}), and builders for the parameterised ones with
 * the query strings the tools send. Three groups: the source side (pages and source API, the
 * source port), the public transparency and audit endpoints (source port, no authentication),
 * and the reviewer API (its own port, RFC 9421 signed requests only, docs/spec/reviewer-api-and-batches.md).
 *
 * <p>Builders put ids in as given: callers pass ids they checked ({@link EnvelopeId}) and
 * numbers, so nothing here needs escaping.
 */
public final class ApiPaths {
  private ApiPaths() {}

  // ---- source pages (SourcePagesResource, AssetsResource) ----

  public static final String HOME = "/";
  public static final String REPORT = "/report";
  public static final String STATUS = "/status";
  public static final String STATUS_FOLLOW_UP = "/status/follow-up";
  public static final String VISIT = "/visit";
  public static final String VISIT_FOLLOW_UP = "/visit/follow-up";
  public static final String VISIT_LEAVE = "/visit/leave";
  /** The confirmation step of a source's request for early erasure (docs/spec/retention-and-erasure.md §4.2). */
  public static final String VISIT_ERASURE = "/visit/erasure";
  /** The confirmed request: seals it as a follow-up to the reviewers. */
  public static final String VISIT_ERASURE_CONFIRM = "/visit/erasure/confirm";
  public static final String ASSET_SCRIPT = "/assets/testigo.js";
  public static final String ASSET_STYLE = "/assets/testigo.css";
  public static final String ASSET_AUDIO = "/assets/audio/{lang}/{clip}.ogg";
  public static final String FAVICON = "/favicon.ico";

  // ---- source API ----

  /** Prefix of every JSON API path, source, public and reviewer. */
  public static final String API = "/api/v1";
  /** {@code POST}: a v1 envelope sealed elsewhere, as the body (SubmissionsServlet). */
  public static final String SUBMISSIONS = "/api/v1/submissions";
  /** {@code POST}: register a mailbox derived by the client (MailboxesResource). */
  public static final String MAILBOXES = "/api/v1/mailboxes";
  /** {@code POST}: open an upload (UploadsResource). */
  public static final String UPLOADS = "/api/v1/uploads";
  /** {@code GET} (status), {@code PUT ?offset=N} (append), {@code DELETE}. */
  public static final String UPLOAD = "/api/v1/uploads/{id}";
  /** {@code POST}: store the uploaded envelope. */
  public static final String UPLOAD_COMMIT = "/api/v1/uploads/{id}/commit";
  /** {@code GET}: the armored signed key manifest chain (ManifestResource). */
  public static final String MANIFEST = "/api/v1/manifest";

  // ---- public transparency log and audit feeds (LogResource, RewrapLogResource, AuditFeedResource) ----

  public static final String LOG = "/api/v1/log";
  public static final String LOG_STH = "/api/v1/log/sth";
  public static final String LOG_STH_SIZE = "/api/v1/log/sth/{size}";
  /** {@code ?leaf=HEX&size=N}. */
  public static final String LOG_PROOF_INCLUSION = "/api/v1/log/proof/inclusion";
  /** {@code ?from=A&to=B}. */
  public static final String LOG_PROOF_CONSISTENCY = "/api/v1/log/proof/consistency";
  /** {@code ?start=S&end=E}. */
  public static final String LOG_LEAVES = "/api/v1/log/leaves";
  public static final String LOG_LEAF_ENVELOPE_HEADER = "/api/v1/log/leaves/{index}/envelope-header";
  public static final String LOG_LEAF_REWRAP = "/api/v1/log/leaves/{index}/rewrap";
  public static final String AUDIT = "/api/v1/audit";
  /** {@code ?after=SEQ&limit=N}. */
  public static final String AUDIT_CASE_EVENTS = "/api/v1/audit/case-events";
  /** {@code ?after=SEQ&limit=N}. */
  public static final String AUDIT_CHALLENGES = "/api/v1/audit/challenges";
  /** {@code ?after=SEQ&limit=N}: applied erasure decisions (docs/spec/retention-and-erasure.md §3.1). */
  public static final String AUDIT_ERASURES = "/api/v1/audit/erasures";
  /** The proof-of-filing pages (ProofOfFilingResource), under {@code /proof-of-filing/{index}/{size}}. */
  public static final String PROOF_OF_FILING = "/proof-of-filing/{index}/{size}";
  public static final String PROOF_OF_FILING_TEXT = "/proof-of-filing/{index}/{size}/proof.txt";
  public static final String PROOF_OF_FILING_QR = "/proof-of-filing/{index}/{size}/qr.svg";

  // ---- reviewer API (its own port; signed requests only) ----

  /** The reviewer API and everything below it. */
  public static final String REVIEWER = "/api/v1/reviewer";
  /** {@code GET ?after=C&limit=N}: the feed of submissions (JSON). */
  public static final String REVIEWER_SUBMISSIONS = "/api/v1/reviewer/submissions";
  /** {@code GET ?after=C&limit=N}: the same page with the envelopes inline (EnvelopeBatch v1). */
  public static final String REVIEWER_SUBMISSIONS_ENVELOPES = "/api/v1/reviewer/submissions/envelopes";
  public static final String REVIEWER_SUBMISSION_ENVELOPE = "/api/v1/reviewer/submissions/{id}/envelope";
  public static final String REVIEWER_SUBMISSION_REPLY_KEY = "/api/v1/reviewer/submissions/{id}/reply-key";
  public static final String REVIEWER_SUBMISSION_REPLIES = "/api/v1/reviewer/submissions/{id}/replies";
  /** {@code GET ?after=C&limit=N}: rewraps after a cursor. */
  public static final String REVIEWER_REWRAPS = "/api/v1/reviewer/rewraps";
  /** {@code POST}: a new header for a stored submission. */
  public static final String REVIEWER_REWRAP = "/api/v1/reviewer/rewraps/{id}";
  /** {@code GET}: one generation's header (0 = the original). */
  public static final String REVIEWER_REWRAP_GENERATION = "/api/v1/reviewer/rewraps/{id}/{generation}";
  public static final String REVIEWER_MANIFEST = "/api/v1/reviewer/manifest";
  public static final String REVIEWER_CHALLENGES = "/api/v1/reviewer/challenges";
  public static final String REVIEWER_CASE_EVENTS = "/api/v1/reviewer/cases/{id}/events";
  /** {@code GET ?after=C&limit=N}: all case events after a cursor. */
  public static final String REVIEWER_EVENTS = "/api/v1/reviewer/events";
  /** {@code GET}: every stored envelope of a case, for an erasure decision (docs/spec/retention-and-erasure.md §3.1). */
  public static final String REVIEWER_CASE_OBJECTS = "/api/v1/reviewer/cases/{id}/objects";
  /** {@code POST} an erasure decision (octet-stream); {@code GET ?after=C&limit=N} the applied ones. */
  public static final String REVIEWER_ERASURES = "/api/v1/reviewer/erasures";

  // ---- builders ----

  /** {@code path} without its leading slash, to resolve against a base URI that has a path of its own. */
  public static String relative(String path) {
    return path.startsWith("/") ? path.substring(1) : path;
  }

  /** {@code path?after=A&limit=L}: a page of a feed. */
  public static String page(String path, long after, int limit) {
    return path + "?after=" + after + "&limit=" + limit;
  }

  public static String upload(String id) {
    return UPLOADS + "/" + id;
  }

  public static String uploadAppend(String id, long offset) {
    return upload(id) + "?offset=" + offset;
  }

  public static String uploadCommit(String id) {
    return upload(id) + "/commit";
  }

  public static String logSth(long size) {
    return LOG_STH + "/" + size;
  }

  public static String logInclusion(String leafHashHex, long size) {
    return LOG_PROOF_INCLUSION + "?leaf=" + leafHashHex + "&size=" + size;
  }

  public static String logConsistency(long from, long to) {
    return LOG_PROOF_CONSISTENCY + "?from=" + from + "&to=" + to;
  }

  public static String logLeaves(long start, long end) {
    return LOG_LEAVES + "?start=" + start + "&end=" + end;
  }

  public static String logLeafEnvelopeHeader(long index) {
    return LOG + "/leaves/" + index + "/envelope-header";
  }

  public static String logLeafRewrap(long index) {
    return LOG + "/leaves/" + index + "/rewrap";
  }

  /** The directory of a proof of filing's pages, with its trailing slash (as the receipt page links it). */
  public static String proofOfFiling(long index, long size) {
    return "/proof-of-filing/" + index + "/" + size + "/";
  }

  public static String reviewerSubmissionEnvelope(String id) {
    return REVIEWER_SUBMISSIONS + "/" + id + "/envelope";
  }

  public static String reviewerReplyKey(String id) {
    return REVIEWER_SUBMISSIONS + "/" + id + "/reply-key";
  }

  public static String reviewerReplies(String id) {
    return REVIEWER_SUBMISSIONS + "/" + id + "/replies";
  }

  public static String reviewerRewrap(String id) {
    return REVIEWER_REWRAPS + "/" + id;
  }

  public static String reviewerRewrapGeneration(String id, int generation) {
    return REVIEWER_REWRAPS + "/" + id + "/" + generation;
  }

  public static String reviewerCaseEvents(String caseId) {
    return REVIEWER + "/cases/" + caseId + "/events";
  }

  public static String reviewerCaseObjects(String caseId) {
    return REVIEWER + "/cases/" + caseId + "/objects";
  }
}
