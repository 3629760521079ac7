package org.testigo.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The paths against the server's {@code @Path} annotations (class path + method path, copied
 * here) and the builders against the URL literals of the reviewer tool and the shelter tool
 * (copied here with sample values).
 */
class ApiPathsTest {
  private static final String ID = "00112233445566778899aabbccddeeff";

  @Test
  void constantsAreTheServersPaths() {
    // ReviewerSubmissionsResource @Path("/api/v1/reviewer/submissions") + methods
    assertThat(ApiPaths.REVIEWER_SUBMISSIONS).isEqualTo("/api/v1/reviewer/submissions");
    assertThat(ApiPaths.REVIEWER_SUBMISSIONS_ENVELOPES).isEqualTo("/api/v1/reviewer/submissions" + "/" + "envelopes");
    assertThat(ApiPaths.REVIEWER_SUBMISSION_ENVELOPE).isEqualTo("/api/v1/reviewer/submissions/{id}/envelope");
    assertThat(ApiPaths.REVIEWER_SUBMISSION_REPLY_KEY).isEqualTo("/api/v1/reviewer/submissions/{id}/reply-key");
    assertThat(ApiPaths.REVIEWER_SUBMISSION_REPLIES).isEqualTo("/api/v1/reviewer/submissions/{id}/replies");
    // ReviewerRewrapsResource, ReviewerManifestResource, ReviewerChallengesResource, ReviewerEventsResource
    assertThat(ApiPaths.REVIEWER_REWRAPS).isEqualTo("/api/v1/reviewer/rewraps");
    assertThat(ApiPaths.REVIEWER_REWRAP).isEqualTo("/api/v1/reviewer/rewraps/{id}");
    assertThat(ApiPaths.REVIEWER_REWRAP_GENERATION).isEqualTo("/api/v1/reviewer/rewraps/{id}/{generation}");
    assertThat(ApiPaths.REVIEWER_MANIFEST).isEqualTo("/api/v1/reviewer/manifest");
    assertThat(ApiPaths.REVIEWER_CHALLENGES).isEqualTo("/api/v1/reviewer/challenges");
    assertThat(ApiPaths.REVIEWER_CASE_EVENTS).isEqualTo("/api/v1/reviewer" + "/" + "cases/{id}/events");
    assertThat(ApiPaths.REVIEWER_EVENTS).isEqualTo("/api/v1/reviewer" + "/" + "events");
    // ReviewerErasuresResource @Path("/api/v1/reviewer") + methods
    assertThat(ApiPaths.REVIEWER_CASE_OBJECTS).isEqualTo("/api/v1/reviewer" + "/" + "cases/{id}/objects");
    assertThat(ApiPaths.REVIEWER_ERASURES).isEqualTo("/api/v1/reviewer" + "/" + "erasures");
    // LogResource @Path("/api/v1/log"), RewrapLogResource, AuditFeedResource, ProofOfFilingResource
    assertThat(ApiPaths.LOG_STH).isEqualTo("/api/v1/log/sth");
    assertThat(ApiPaths.LOG_STH_SIZE).isEqualTo("/api/v1/log/sth/{size}");
    assertThat(ApiPaths.LOG_PROOF_INCLUSION).isEqualTo("/api/v1/log/proof/inclusion");
    assertThat(ApiPaths.LOG_PROOF_CONSISTENCY).isEqualTo("/api/v1/log/proof/consistency");
    assertThat(ApiPaths.LOG_LEAVES).isEqualTo("/api/v1/log/leaves");
    assertThat(ApiPaths.LOG_LEAF_ENVELOPE_HEADER).isEqualTo("/api/v1/log/leaves/{index}/envelope-header");
    assertThat(ApiPaths.LOG_LEAF_REWRAP).isEqualTo("/api/v1/log/leaves/{index}/rewrap");
    assertThat(ApiPaths.AUDIT_CASE_EVENTS).isEqualTo("/api/v1/audit/case-events");
    assertThat(ApiPaths.AUDIT_CHALLENGES).isEqualTo("/api/v1/audit/challenges");
    assertThat(ApiPaths.AUDIT_ERASURES).isEqualTo("/api/v1/audit" + "/" + "erasures");
    assertThat(ApiPaths.PROOF_OF_FILING_TEXT).isEqualTo("/proof-of-filing/{index}/{size}/proof.txt");
    assertThat(ApiPaths.PROOF_OF_FILING_QR).isEqualTo("/proof-of-filing/{index}/{size}/qr.svg");
    // source side: SubmissionsServlet.PATH, MailboxesResource, UploadsResource, ManifestResource, pages
    assertThat(ApiPaths.SUBMISSIONS).isEqualTo("/api/v1/submissions");
    assertThat(ApiPaths.MAILBOXES).isEqualTo("/api/v1/mailboxes");
    assertThat(ApiPaths.UPLOAD).isEqualTo("/api/v1/uploads/{id}");
    assertThat(ApiPaths.UPLOAD_COMMIT).isEqualTo("/api/v1/uploads/{id}/commit");
    assertThat(ApiPaths.MANIFEST).isEqualTo("/api/v1/manifest");
    assertThat(ApiPaths.STATUS_FOLLOW_UP).isEqualTo("/status/follow-up");
    assertThat(ApiPaths.VISIT_LEAVE).isEqualTo("/visit/leave");
    assertThat(ApiPaths.ASSET_AUDIO).isEqualTo("/assets/audio/{lang}/{clip}.ogg");
  }

  @Test
  void buildersAreTheToolsLiterals() {
    long cursor = 41;
    int pageSize = 100;
    // SyncCommand
    assertThat(ApiPaths.page(ApiPaths.REVIEWER_SUBMISSIONS_ENVELOPES, cursor, pageSize))
        .isEqualTo("/api/v1/reviewer/submissions/envelopes?after=" + cursor + "&limit=" + pageSize);
    // Rewraps
    assertThat(ApiPaths.page(ApiPaths.REVIEWER_REWRAPS, cursor, 200))
        .isEqualTo("/api/v1/reviewer/rewraps?after=" + cursor + "&limit=200");
    assertThat(ApiPaths.reviewerRewrapGeneration(ID, 3)).isEqualTo("/api/v1/reviewer/rewraps/" + ID + "/" + 3);
    // RewrapCommand
    assertThat(ApiPaths.reviewerRewrap(ID)).isEqualTo("/api/v1/reviewer/rewraps/" + ID);
    // CaseLog
    assertThat(ApiPaths.page(ApiPaths.REVIEWER_EVENTS, cursor, 500))
        .isEqualTo("/api/v1/reviewer/events?after=" + cursor + "&limit=" + 500);
    // TriageCommands, ReplyCommand
    assertThat(ApiPaths.reviewerCaseEvents(ID)).isEqualTo("/api/v1/reviewer/cases/" + ID + "/events");
    assertThat(ApiPaths.reviewerCaseObjects(ID)).isEqualTo("/api/v1/reviewer/cases/" + ID + "/objects");
    assertThat(ApiPaths.reviewerReplyKey(ID)).isEqualTo("/api/v1/reviewer/submissions/" + ID + "/reply-key");
    assertThat(ApiPaths.reviewerReplies(ID)).isEqualTo("/api/v1/reviewer/submissions/" + ID + "/replies");
    assertThat(ApiPaths.reviewerSubmissionEnvelope(ID)).isEqualTo("/api/v1/reviewer/submissions/" + ID + "/envelope");
    // shelter ProofFetcher
    assertThat(ApiPaths.logInclusion("ab", 7)).isEqualTo("/api/v1/log/proof/inclusion?leaf=" + "ab" + "&size=" + 7);
    // LogClient (relative to its base URI)
    assertThat(ApiPaths.relative(ApiPaths.MANIFEST)).isEqualTo("api/v1/manifest");
    assertThat(ApiPaths.relative(ApiPaths.logSth(9))).isEqualTo("api/v1/log/sth/" + 9);
    assertThat(ApiPaths.relative(ApiPaths.logConsistency(2, 5)))
        .isEqualTo("api/v1/log/proof/consistency?from=" + 2 + "&to=" + 5);
    assertThat(ApiPaths.relative(ApiPaths.logLeaves(0, 10))).isEqualTo("api/v1/log/leaves?start=" + 0 + "&end=" + 10);
    assertThat(ApiPaths.relative(ApiPaths.logLeafEnvelopeHeader(4)))
        .isEqualTo("api/v1/log/leaves/" + 4 + "/envelope-header");
    assertThat(ApiPaths.relative(ApiPaths.logLeafRewrap(4))).isEqualTo("api/v1/log/leaves/" + 4 + "/rewrap");
    assertThat(ApiPaths.page(ApiPaths.relative(ApiPaths.AUDIT_CASE_EVENTS), 0, 1000))
        .isEqualTo("api/v1/audit/case-events" + "?after=" + 0 + "&limit=" + 1000);
    // Pages (receipt page link)
    assertThat(ApiPaths.proofOfFiling(12, 40)).isEqualTo("/proof-of-filing/" + 12 + "/" + 40 + "/");
    // UploadsResource
    assertThat(ApiPaths.upload(ID)).isEqualTo("/api/v1/uploads/" + ID);
    assertThat(ApiPaths.uploadAppend(ID, 65536)).isEqualTo("/api/v1/uploads/" + ID + "?offset=65536");
    assertThat(ApiPaths.uploadCommit(ID)).isEqualTo("/api/v1/uploads/" + ID + "/commit");
  }
}
