package org.testigo.server.resources.audit;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.HexFormat;
import org.testigo.api.ApiPaths;
import org.testigo.api.wire.AuditCaseEvent;
import org.testigo.api.wire.AuditChallenge;
import org.testigo.api.wire.AuditErasure;
import org.testigo.api.wire.Page;
import org.testigo.server.domain.InvalidInputException;
import org.testigo.server.review.ErasureService;
import org.testigo.server.storage.AuditFeeds;

/**
 * Public audit feeds (source port, no authentication, JSON, lowercase hex):
 * {@code GET /api/v1/audit/case-events?after=SEQ&limit=N} lists the stored SignedCaseEvent
 * v1 encodings (never the sealed content), {@code GET /api/v1/audit/challenges?after=SEQ&limit=N}
 * the answered possession challenges (challenge and answer encodings), {@code GET
 * /api/v1/audit/erasures?after=SEQ&limit=N} the applied erasure decisions (base64, as the
 * reviewers' feed; docs/spec/retention-and-erasure.md §3.1). {@code after}
 * defaults to 0, {@code limit} to 100 (1..1000). Malformed parameters get a generic 400.
 * Formats: docs/spec/merkle-log-and-proofs.md §5.1.
 */
@Path(ApiPaths.AUDIT)
@Produces(MediaType.APPLICATION_JSON)
public final class AuditFeedResource {
  /** Items per page at most. */
  public static final int MAX_LIMIT = 1000;
  private static final HexFormat HEX = HexFormat.of();
  private final AuditFeeds feeds;
  private final ErasureService erasures;

  public AuditFeedResource(AuditFeeds feeds, ErasureService erasures) {
    this.feeds = feeds;
    this.erasures = erasures;
  }

  @GET
  @Path("case-events")
  public Page<AuditCaseEvent> caseEvents(@QueryParam("after") String after, @QueryParam("limit") String limit) {
    AuditFeeds.Page<org.testigo.server.storage.CaseEventDao.SignedRow> p = feeds.caseEvents(after(after), limit(limit));
    return new Page<>(p.items().stream().map(r -> new AuditCaseEvent(r.seq(), HEX.formatHex(r.eventBytes())))
        .toList(), p.next(), p.more());
  }

  @GET
  @Path("challenges")
  public Page<AuditChallenge> challenges(@QueryParam("after") String after, @QueryParam("limit") String limit) {
    AuditFeeds.Page<org.testigo.server.storage.ChallengeDao.Row> p = feeds.challenges(after(after), limit(limit));
    return new Page<>(p.items().stream().map(r -> new AuditChallenge(r.seq(), HEX.formatHex(r.challenge()),
        HEX.formatHex(r.answer()))).toList(), p.next(), p.more());
  }

  /** The applied erasure decisions (docs/spec/retention-and-erasure.md §3.1), base64. */
  @GET
  @Path("erasures")
  public Page<AuditErasure> erasures(@QueryParam("after") String after, @QueryParam("limit") String limit) {
    return erasures.auditAfter(after(after), limit(limit));
  }

  private static long after(String s) {
    return s == null ? 0 : LogResource.number(s);
  }

  private static int limit(String s) {
    long n = s == null ? 100 : LogResource.number(s);
    if (n < 1 || n > MAX_LIMIT) {
      throw new InvalidInputException("error.request");
    }
    return (int) n;
  }
}
