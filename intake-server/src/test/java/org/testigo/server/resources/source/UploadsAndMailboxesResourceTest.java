package org.testigo.server.resources.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.verifyNoInteractions;

import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testigo.api.EnvelopeId;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.server.domain.StorageUnavailableException;
import org.testigo.server.intake.ConcurrencyLimiter;
import org.testigo.server.intake.SubmissionService;
import org.testigo.server.intake.UploadService;

/**
 * Chunked uploads ({@code /api/v1/uploads}, committed through the SubmissionService that
 * {@code /api/v1/submissions} uses, SubmissionsServletTest) and mailbox registration
 * ({@code /api/v1/mailboxes}), with real services and mocked stores: garbage, truncated,
 * mis-addressed or wrong-context envelopes, wrong content types, malformed ids and headers,
 * oversized bodies and pieces get their status and a generic JSON body, and nothing is
 * committed; full submission slots, too many open uploads and a database outage give 503 with
 * Retry-After. Valid envelopes, the positive controls, are committed exactly once.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class UploadsAndMailboxesResourceTest {
  static final String MARKER = "ECHOPROBE" + Long.toHexString(ResourceFixture.RANDOM.nextLong());
  static final long MAX_ENVELOPE = 200_000;
  static final int MAX_PIECE = 8192;
  static final int MAX_OPEN_UPLOADS = 3;
  static final int MAX_PENDING_UPLOADS = 4;
  static final ResourceFixture F = new ResourceFixture();
  static final SubmissionService SUBMISSIONS = new SubmissionService(F.keys, F.envelopes, F.mailboxes, F.receipts,
      F.submissionSlots, MAX_ENVELOPE, F.dir.resolve("spool"), ResourceFixture.RETRY_AFTER);
  static final UploadService UPLOADS = uploads();

  static final ResourceExtension RESOURCES = ResourceFixture.withErrorMappers(ResourceExtension.builder())
      .addResource(new UploadsResource(UPLOADS))
      .addResource(new MailboxesResource(SUBMISSIONS))
      .addProvider(new UploadsResource.UnknownUploadMapper())
      .addProvider(new UploadsResource.OffsetMismatchMapper())
      .build();

  static UploadService uploads() {
    try {
      return new UploadService(F.dir.resolve("uploads"), SUBMISSIONS, new UploadService.Bounds(MAX_OPEN_UPLOADS,
          MAX_PENDING_UPLOADS, 1L << 30, MAX_ENVELOPE, MAX_PIECE, Duration.ofMinutes(5), Duration.ofMinutes(5),
          Duration.ofHours(2), ResourceFixture.RETRY_AFTER), Clock.systemUTC(), ResourceFixture.RANDOM);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  final List<String> openUploads = new ArrayList<>();

  @BeforeEach
  void resetStores() {
    F.resetStores();
  }

  @AfterEach
  void deleteUploads() {
    openUploads.forEach(UPLOADS::delete);
  }

  static byte[] sealed(String context, List<org.testigo.crypto.key.RecipientPublicKey> to, int size)
      throws Exception {
    return ResourceFixture.sealed(MARKER, context, to, size);
  }

  static byte[] valid() throws Exception {
    return sealed(Envelope.CONTEXT_REPORT, F.recipients(), 3000);
  }

  /** A generic JSON error: the status, no stack trace, nothing of the request echoed. */
  static String assertGenericError(Response r, int status) {
    String body = r.readEntity(String.class);
    assertThat(r.getStatus()).as(body).isEqualTo(status);
    assertThat(r.getMediaType().isCompatible(MediaType.APPLICATION_JSON_TYPE)).as(body).isTrue();
    assertThat(body).contains("\"code\":" + status).doesNotContain(MARKER).doesNotContainIgnoringCase("exception")
        .doesNotContain("at org.").doesNotContain("java.");
    return body;
  }

  // --- uploads ---

  String create() {
    Response r = RESOURCES.target("/api/v1/uploads").request().post(Entity.json(""));
    String body = r.readEntity(String.class);
    assertThat(r.getStatus()).as(body).isEqualTo(201);
    String id = body.replaceAll(".*\"id\":\"([0-9a-f]+)\".*", "$1");
    openUploads.add(id);
    return id;
  }

  static Response put(String id, Long offset, byte[] piece) {
    var target = RESOURCES.target("/api/v1/uploads/" + id);
    if (offset != null) {
      target = target.queryParam("offset", offset);
    }
    return target.request().put(Entity.entity(piece, "application/octet-stream"));
  }

  static Response commit(String id) {
    return RESOURCES.target("/api/v1/uploads/" + id + "/commit").request().post(Entity.json(""));
  }

  /** Uploads {@code envelope} in pieces; returns the upload id. */
  String upload(byte[] envelope) {
    String id = create();
    for (int off = 0; off < envelope.length; off += MAX_PIECE) {
      byte[] piece = Arrays.copyOfRange(envelope, off, Math.min(envelope.length, off + MAX_PIECE));
      Response r = put(id, (long) off, piece);
      assertThat(r.getStatus()).as(r.readEntity(String.class)).isEqualTo(200);
    }
    return id;
  }

  @Test
  void upload_validEnvelopeInPiecesIsCommittedOnceEvenIfCommittedTwice() throws Exception {
    byte[] envelope = sealed(Envelope.CONTEXT_REPORT, F.recipients(), 20_000);
    String id = upload(envelope);
    assertThat(commit(id).getStatus()).isEqualTo(201);
    assertThat(commit(id).getStatus()).isEqualTo(201);
    assertThat(F.committed).hasSize(1);
    assertThat(F.committed.get(0)).isEqualTo(envelope);
  }

  @Test
  void upload_garbageOrTruncatedEnvelopeIs400OnCommitDeletesTheUploadAndCommitsNothing() throws Exception {
    byte[] good = valid();
    for (byte[] bad : List.of(("garbage " + MARKER).getBytes(StandardCharsets.US_ASCII),
        Arrays.copyOf(good, good.length - 10))) {
      String id = upload(bad);
      assertThat(assertGenericError(commit(id), 400)).contains("The encrypted envelope is not valid.");
      assertThat(RESOURCES.target("/api/v1/uploads/" + id).request().get().getStatus()).isEqualTo(404);
    }
    assertThat(F.committed).isEmpty();
  }

  @Test
  void upload_missingNegativeOrWrongOffsetIsRefusedAndTheUploadKeepsItsBytes() {
    String id = create();
    assertThat(put(id, 0L, new byte[100]).getStatus()).isEqualTo(200);
    assertGenericError(put(id, null, new byte[10]), 400);
    assertGenericError(put(id, -1L, new byte[10]), 400);
    Response wrong = put(id, 50L, new byte[10]);
    assertThat(wrong.getStatus()).isEqualTo(409);
    assertThat(wrong.readEntity(String.class)).contains("\"code\":409").contains("\"offset\":100");
    assertThat(RESOURCES.target("/api/v1/uploads/" + id).request().get(String.class)).contains("\"offset\":100");
    verifyNoInteractions(F.envelopes, F.mailboxes);
  }

  @Test
  void upload_unknownOrMalformedIdIs404AndTouchesNoStore() {
    for (String id : List.of("0123456789abcdef0123456789abcdef", MARKER, "..%2F..%2Fetc")) {
      assertGenericError(put(id, 0L, new byte[10]), 404);
      assertGenericError(commit(id), 404);
    }
    verifyNoInteractions(F.envelopes, F.mailboxes);
  }

  @Test
  void upload_pieceOverTheLimitIs413AndTheUploadKeepsItsBytes() {
    String id = create();
    assertThat(put(id, 0L, new byte[100]).getStatus()).isEqualTo(200);
    assertThat(assertGenericError(put(id, 100L, new byte[MAX_PIECE + 1]), 413)).contains("too big");
    assertThat(RESOURCES.target("/api/v1/uploads/" + id).request().get(String.class)).contains("\"offset\":100");
    verifyNoInteractions(F.envelopes, F.mailboxes);
  }

  @Test
  void upload_wrongContentTypeIs415() {
    String id = create();
    Response r = RESOURCES.target("/api/v1/uploads/" + id).queryParam("offset", 0).request()
        .put(Entity.entity("{}", "application/json"));
    assertGenericError(r, 415);
    verifyNoInteractions(F.envelopes, F.mailboxes);
  }

  @Test
  void upload_aFirstPieceWhenEverySlotMovesDataIs503WithRetryAfter_andTheUploadStaysPending() {
    for (int i = 0; i < MAX_OPEN_UPLOADS; i++) {
      String moving = create();
      assertThat(RESOURCES.target("/api/v1/uploads/" + moving).queryParam("offset", 0).request()
          .put(Entity.entity(new byte[] {1}, MediaType.APPLICATION_OCTET_STREAM)).getStatus()).isEqualTo(200);
    }
    String id = create();
    Response r = RESOURCES.target("/api/v1/uploads/" + id).queryParam("offset", 0).request()
        .put(Entity.entity(new byte[] {1}, MediaType.APPLICATION_OCTET_STREAM));
    assertThat(r.getHeaderString("Retry-After")).isEqualTo(String.valueOf(ResourceFixture.RETRY_AFTER));
    assertGenericError(r, 503);
    assertThat(RESOURCES.target("/api/v1/uploads/" + id).request().get(String.class)).contains("\"offset\":0");
  }

  @Test
  void upload_commitWhenSlotsAreFullOrTheDatabaseIsDown_is503AndCanBeCommittedLater() throws Exception {
    byte[] envelope = valid();
    String id = upload(envelope);
    List<ConcurrencyLimiter.Slot> held = new ArrayList<>();
    try {
      while (F.submissionSlots.available() > 0) {
        held.add(F.submissionSlots.acquire());
      }
      Response busy = commit(id);
      assertThat(busy.getHeaderString("Retry-After")).isEqualTo(String.valueOf(ResourceFixture.RETRY_AFTER));
      assertGenericError(busy, 503);
    } finally {
      held.forEach(ConcurrencyLimiter.Slot::close);
    }
    doThrow(new StorageUnavailableException(new java.sql.SQLNonTransientConnectionException("gone", "08000")))
        .when(F.envelopes).store(any(EnvelopeId.class), anyString(), any(), any());
    Response down = commit(id);
    assertThat(down.getHeaderString("Retry-After")).isEqualTo(String.valueOf(ResourceFixture.RETRY_AFTER));
    assertGenericError(down, 503);
    assertThat(F.committed).isEmpty();

    F.resetStores();
    assertThat(commit(id).getStatus()).isEqualTo(201);
    assertThat(F.committed).hasSize(1);
    assertThat(F.committed.get(0)).isEqualTo(envelope);
  }

  @Test
  void uploadDirectory_holdsNoPlaintextMarkerOrLeftoverAfterDelete() throws Exception {
    String id = upload(valid());
    RESOURCES.target("/api/v1/uploads/" + id).request().delete();
    try (var files = Files.list(F.dir.resolve("uploads"))) {
      assertThat(files.map(Path::getFileName).map(Path::toString)).noneMatch(n -> n.startsWith(id));
    }
  }

  // --- mailbox registration ---

  @Test
  void mailboxes_malformedOrInvalidJsonIs4xxAndTouchesNoStore() {
    String key = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
    List<String> bad = List.of("{\"lookupKey\": \"" + MARKER, "not json " + MARKER, "[]", "{}",
        "{\"lookupKey\":\"" + key + "\",\"replyPublicKey\":\"" + "A".repeat(1200) + "\"}",
        "{\"lookupKey\":\"" + MARKER + "\",\"replyPublicKey\":\"" + "A".repeat(1200) + "\"}");
    for (String body : bad) {
      Response r = RESOURCES.target("/api/v1/mailboxes").request().post(Entity.json(body));
      String text = r.readEntity(String.class);
      assertThat(r.getStatus()).as(body + " -> " + text).isBetween(400, 499);
      assertThat(text).doesNotContain(MARKER).doesNotContainIgnoringCase("exception").doesNotContain("at org.");
    }
    verifyNoInteractions(F.envelopes, F.mailboxes);
  }
}
