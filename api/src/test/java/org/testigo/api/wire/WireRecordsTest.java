package org.testigo.api.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every wire record against the JSON the server's resources write today, each expected string
 * written here from the server's code (the record or {@code Map.of} the resource returns, in the
 * order Jackson writes a record: its components in order). Round trip both ways: the record
 * reads from the server's JSON, and writes JSON equal to it (as a tree, since {@code Map.of}
 * answers have no order; as a string where the server writes a record).
 */
class WireRecordsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ID = "00112233445566778899aabbccddeeff";
  private static final String FOLLOW = "ffeeddccbbaa99887766554433221100";
  private static final String SHA = "ab".repeat(32);
  private static final String SHA2 = "cd".repeat(32);

  private static <T> void sameAsServer(String serverJson, T record, Class<T> type, boolean ordered) throws Exception {
    assertThat(JSON.readValue(serverJson, type)).isEqualTo(record);
    String written = JSON.writeValueAsString(record);
    assertThat(JSON.readTree(written)).isEqualTo(JSON.readTree(serverJson));
    if (ordered) {
      assertThat(written).isEqualTo(serverJson);
    }
  }

  @Test
  void reviewerSubmissionsPage() throws Exception {
    // ReviewerService.Page<ReviewerService.Submission>
    String server = "{\"items\":[{\"seq\":7,\"id\":\"" + ID + "\",\"context\":\"report\",\"receivedDay\":\"2026-03-01\","
        + "\"size\":4096,\"sha256\":\"" + SHA + "\",\"hasMailbox\":true,\"caseId\":\"" + ID + "\",\"currentSha256\":\""
        + SHA2 + "\",\"rewraps\":1}],\"next\":7,\"more\":false}";
    Page<Submission> page = new Page<>(List.of(new Submission(7, ID, "report", "2026-03-01", 4096, SHA, true, ID,
        SHA2, 1)), 7, false);
    assertThat(JSON.readValue(server, new TypeReference<Page<Submission>>() {})).isEqualTo(page);
    assertThat(JSON.writeValueAsString(page)).isEqualTo(server);
    Submission checked = Submission.parse(JSON.readTree(server).get("items").get(0));
    assertThat(checked).isEqualTo(page.items().get(0));
  }

  @Test
  void reviewerSmallAnswers() throws Exception {
    // replyKey: Map.of("replyPublicKey", base64url, "fingerprint", hex)
    sameAsServer("{\"replyPublicKey\":\"AAEC\",\"fingerprint\":\"" + SHA + "\"}", new ReplyKey("AAEC", SHA),
        ReplyKey.class, true);
    // reply: Map.of("id", hex, "receivedDay", day); also SubmissionsServlet.Accepted and the upload commit
    sameAsServer("{\"receivedDay\":\"2026-03-02\",\"id\":\"" + FOLLOW + "\"}", new Accepted(FOLLOW, "2026-03-02"),
        Accepted.class, false);
    // ReviewerEventsResource.post: Map.of("seq", seq, "eventId", hex)
    sameAsServer("{\"seq\":12,\"eventId\":\"" + SHA + "\"}", new EventPosted(12, SHA), EventPosted.class, true);
    // ReviewerChallengesResource.answer: Map.of("seq", seq, "challengeId", id)
    sameAsServer("{\"seq\":3,\"challengeId\":\"" + SHA2 + "\"}", new ChallengeAnswered(3, SHA2),
        ChallengeAnswered.class, true);
    // RewrapService.Stored
    sameAsServer("{\"seq\":5,\"id\":\"" + ID + "\",\"generation\":2,\"headerSha256\":\"" + SHA + "\",\"sha256\":\""
        + SHA2 + "\",\"created\":true}", new RewrapStored(5, ID, 2, SHA, SHA2, true), RewrapStored.class, true);
  }

  @Test
  void reviewerEventsAndRewrapsPages() throws Exception {
    // ReviewerService.Page<CaseEventService.Listed>
    String events = "{\"items\":[{\"seq\":1,\"eventId\":\"" + SHA + "\",\"caseId\":\"" + ID + "\",\"author\":\"" + SHA2
        + "\",\"receivedAt\":\"2026-03-01T12:00:00Z\",\"event\":\"AQID\",\"content\":\"BAUG\"}],\"next\":1,\"more\":true}";
    Page<CaseEventItem> p = JSON.readValue(events, new TypeReference<>() {});
    assertThat(p).isEqualTo(new Page<>(List.of(new CaseEventItem(1, SHA, ID, SHA2, "2026-03-01T12:00:00Z", "AQID",
        "BAUG")), 1, true));
    assertThat(JSON.writeValueAsString(p)).isEqualTo(events);
    assertThat(CaseEventItem.parse(JSON.readTree(events).get("items").get(0), 1 << 20)).isEqualTo(p.items().get(0));
    // ReviewerService.Page<RewrapService.Listed>
    String rewraps = "{\"items\":[{\"seq\":2,\"id\":\"" + ID + "\",\"generation\":1,\"headerSha256\":\"" + SHA
        + "\",\"sha256\":\"" + SHA2 + "\",\"receivedDay\":\"2026-03-03\",\"signer\":\"" + SHA + "\"}],\"next\":2,"
        + "\"more\":false}";
    Page<RewrapItem> r = JSON.readValue(rewraps, new TypeReference<>() {});
    assertThat(r.items()).containsExactly(new RewrapItem(2, ID, 1, SHA, SHA2, "2026-03-03", SHA));
    assertThat(JSON.writeValueAsString(r)).isEqualTo(rewraps);
    assertThat(RewrapItem.parse(JSON.readTree(rewraps).get("items").get(0))).isEqualTo(r.items().get(0));
  }

  @Test
  void publicLogAndAuditAnswers() throws Exception {
    sameAsServer("{\"version\":1,\"treeSize\":40,\"timestampMillis\":1772366400000,\"rootHash\":\"" + SHA
        + "\",\"signature\":\"00\",\"encoded\":\"01\"}", new TreeHead(1, 40, 1772366400000L, SHA, "00", "01"),
        TreeHead.class, true);
    sameAsServer("{\"leafIndex\":3,\"treeSize\":40,\"auditPath\":[\"" + SHA + "\",\"" + SHA2 + "\"]}",
        new InclusionProof(3, 40, List.of(SHA, SHA2)), InclusionProof.class, true);
    sameAsServer("{\"from\":10,\"to\":40,\"proof\":[\"" + SHA + "\"]}", new ConsistencyProof(10, 40, List.of(SHA)),
        ConsistencyProof.class, true);
    sameAsServer("{\"start\":0,\"end\":1,\"leaves\":[\"0102\"]}", new Leaves(0, 1, List.of("0102")), Leaves.class,
        true);
    sameAsServer("{\"leafIndex\":4,\"header\":\"7467\"}", new EnvelopeHeaderLeaf(4, "7467"),
        EnvelopeHeaderLeaf.class, true);
    // RewrapService.PublicRecord
    sameAsServer("{\"leafIndex\":9,\"envelopeSha256\":\"" + SHA + "\",\"previousHeaderSha256\":\"" + SHA2
        + "\",\"header\":\"7467\"}", new RewrapLeaf(9, SHA, SHA2, "7467"), RewrapLeaf.class, true);
    // AuditFeedResource.PageJson<CaseEventJson>, PageJson<ChallengeJson>
    String caseEvents = "{\"items\":[{\"seq\":1,\"event\":\"01ab\"}],\"next\":1,\"more\":false}";
    Page<AuditCaseEvent> ce = JSON.readValue(caseEvents, new TypeReference<>() {});
    assertThat(ce).isEqualTo(new Page<>(List.of(new AuditCaseEvent(1, "01ab")), 1, false));
    assertThat(JSON.writeValueAsString(ce)).isEqualTo(caseEvents);
    String challenges = "{\"items\":[{\"seq\":2,\"challenge\":\"01\",\"answer\":\"02\"}],\"next\":2,\"more\":true}";
    Page<AuditChallenge> ch = JSON.readValue(challenges, new TypeReference<>() {});
    assertThat(ch.items()).containsExactly(new AuditChallenge(2, "01", "02"));
    assertThat(JSON.writeValueAsString(ch)).isEqualTo(challenges);
  }

  @Test
  void sourceApiAnswers() throws Exception {
    // MailboxesResource.Registration (request body) and its answers
    sameAsServer("{\"lookupKey\":\"a-b_\",\"replyPublicKey\":\"c-d_\"}", new MailboxRegistration("a-b_", "c-d_"),
        MailboxRegistration.class, true);
    sameAsServer("{\"status\":\"created\"}", new MailboxStatus(MailboxStatus.CREATED), MailboxStatus.class, true);
    sameAsServer("{\"status\":\"exists\"}", new MailboxStatus(MailboxStatus.EXISTS), MailboxStatus.class, true);
    sameAsServer("{\"code\":409,\"message\":\"This mailbox is registered with another reply key.\"}",
        new ErrorMessage(409, "This mailbox is registered with another reply key."), ErrorMessage.class, true);
    // UploadsResource: create, status, append, 409
    sameAsServer("{\"id\":\"" + ID + "\",\"offset\":0,\"maxBytes\":104857600,\"maxPieceBytes\":1048576}",
        new UploadCreated(ID, 0, 104857600L, 1048576), UploadCreated.class, false);
    sameAsServer("{\"offset\":65536,\"committed\":false}", new UploadStatus(65536, false), UploadStatus.class, false);
    sameAsServer("{\"offset\":65536}", new UploadOffset(65536), UploadOffset.class, true);
    sameAsServer("{\"code\":409,\"offset\":100}", new OffsetConflict(409, 100), OffsetConflict.class, false);
    sameAsServer("{\"code\":404,\"message\":\"No such upload.\"}", new ErrorMessage(404, "No such upload."),
        ErrorMessage.class, true);
  }

  @Test
  void submissionParse_isTheReviewerToolsStrictCheck() throws Exception {
    String good = "{\"seq\":7,\"id\":\"" + FOLLOW + "\",\"context\":\"follow-up\",\"receivedDay\":\"2026-03-01\","
        + "\"size\":4096,\"sha256\":\"" + SHA + "\",\"caseId\":\"" + ID + "\"}";
    assertThat(Submission.parse(JSON.readTree(good)))
        .isEqualTo(new Submission(7, FOLLOW, "follow-up", "2026-03-01", 4096, SHA, false, ID, SHA, 0));
    assertRefused(good.replace("\"seq\":7", "\"seq\":\"7\""), "seq");
    assertRefused(good.replace("\"size\":4096", "\"size\":0"), "size");
    assertRefused(good.replace("follow-up", "reply"), "context");
    assertRefused(good.replace("2026-03-01", "2026-02-30"), "receivedDay");
    assertRefused(good.replace(SHA, SHA.toUpperCase()), "sha256");
    assertRefused(good.replace("follow-up", "report"), "caseId");
    assertRefused(good.replace("}", ",\"rewraps\":-1}"), "rewraps");
    assertRefused(good.replace("}", ",\"hasMailbox\":\"yes\"}"), "hasMailbox");
    assertThatThrownBy(() -> Submission.parse(JSON.readTree("[]"))).isInstanceOf(WireFields.InvalidEntryException.class)
        .hasMessage("bad or missing field 'entry'");
  }

  @Test
  void eventAndRewrapParse_nameTheBadField() throws Exception {
    JsonNode event = JSON.readTree("{\"seq\":1,\"eventId\":\"" + SHA + "\",\"caseId\":\"" + ID + "\",\"author\":\""
        + SHA2 + "\",\"receivedAt\":\"2026-03-01T12:00:00.000Z\",\"event\":\"AQID\",\"content\":\"BAUGBwg=\"}");
    assertThat(CaseEventItem.parse(event, 5).receivedAt()).isEqualTo("2026-03-01T12:00:00Z");
    assertThatThrownBy(() -> CaseEventItem.parse(event, 3)) // base64 of at most 4 characters.isInstanceOf(WireFields.InvalidEntryException.class)
        .satisfies(e -> assertThat(((WireFields.InvalidEntryException) e).field()).isEqualTo("content"));
    JsonNode rewrap = JSON.readTree("{\"seq\":2,\"id\":\"" + ID + "\",\"generation\":0,\"headerSha256\":\"" + SHA
        + "\",\"sha256\":\"" + SHA2 + "\"}");
    assertThatThrownBy(() -> RewrapItem.parse(rewrap)).isInstanceOf(WireFields.InvalidEntryException.class)
        .hasMessage("bad or missing field 'generation'");
  }

  private static void assertRefused(String json, String field) {
    assertThatThrownBy(() -> Submission.parse(JSON.readTree(json))).as(json)
        .isInstanceOfSatisfying(WireFields.InvalidEntryException.class, e -> assertThat(e.field()).isEqualTo(field));
  }
}
