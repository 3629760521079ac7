package org.testigo.server.resources.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testigo.crypto.receipt.Receipt;
import org.testigo.server.domain.Language;
import org.testigo.server.domain.RetentionInForce;
import org.testigo.server.domain.StorageUnavailableException;
import org.testigo.server.intake.ConcurrencyLimiter;
import org.testigo.server.intake.ReceiptLanguages;
import org.testigo.server.intake.SourceService;
import org.testigo.server.intake.VisitService;
import org.testigo.server.log.FilingProofs;
import org.testigo.server.views.BrowserSealing;

/**
 * The source pages resource with real services and mocked stores: every class of bad input
 * gets its status and a generic page (no stack trace, no echo of what was sent) and nothing
 * is committed; full Argon2id or submission slots and a database outage give 503 with
 * Retry-After. A valid report, the positive control, is sealed and committed exactly once.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SourcePagesResourceTest {
  static final String BOUNDARY = "----ResourceTestBoundary4q";
  static final String MULTIPART = "multipart/form-data; boundary=" + BOUNDARY;
  static final String MARKER = "ECHOPROBE" + Long.toHexString(ResourceFixture.RANDOM.nextLong());
  static final int MAX_FORM_BYTES = 64 * 1024;
  static final ResourceFixture F = new ResourceFixture();
  static final FilingProofs FILINGS = mock(FilingProofs.class);
  static final VisitService VISITS = new VisitService(100, Duration.ofMinutes(30), Duration.ofHours(2),
      Clock.systemUTC(), ResourceFixture.RANDOM);

  /** The retention terms the resource reads (null: the manifest in force has no policy). */
  static final java.util.concurrent.atomic.AtomicReference<RetentionInForce.Terms> RETENTION =
      new java.util.concurrent.atomic.AtomicReference<>(new RetentionInForce.Terms(365, 1825));

  static final ResourceExtension RESOURCES = ResourceFixture.withErrorMappers(ResourceExtension.builder())
      .addResource(new SourcePagesResource(F.keys,
          new SourceService(F.keys, F.envelopes, F.mailboxes, F.receipts, F.submissionSlots, VISITS,
              F.dir.resolve("spool"), ResourceFixture.RETRY_AFTER, MAX_FORM_BYTES, 3, Clock.systemUTC(),
              ResourceFixture.RANDOM),
          new BrowserSealing(F.keys.rootFingerprint().hex(), 256, 1, 1, 2_000_000, 3), FILINGS,
          () -> java.util.Optional.ofNullable(RETENTION.get())))
      .build();

  @BeforeEach
  void resetStores() {
    F.resetStores();
  }

  /** Builds multipart/form-data bodies as a browser without JavaScript sends them. */
  static final class Form {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Form field(String name, String value) {
      out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n"
          + value + "\r\n").getBytes(StandardCharsets.UTF_8));
      return this;
    }

    Form file(String filename, byte[] content) {
      out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"" + filename
          + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.writeBytes(content);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      return this;
    }

    byte[] body() {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      all.writeBytes(out.toByteArray());
      all.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
      return all.toByteArray();
    }
  }

  static Form validReport() {
    return new Form().field("version", "1").field("lang", "en").field("what", "extortion").field("who", "inm")
        .field("state", "CHP").field("place_kind", "train").field("narrative", "They asked for money. " + MARKER)
        .field("wants", "reply").file("photo.bin", ("file " + MARKER).getBytes(StandardCharsets.US_ASCII));
  }

  static Response post(String path, String contentType, byte[] body) {
    return RESOURCES.target(path).queryParam("lang", "en").request()
        .post(Entity.entity(body, contentType));
  }

  /** A generic error page: the status, no stack trace, nothing of the request echoed. */
  static String assertGenericError(Response r, int status) {
    String body = r.readEntity(String.class);
    assertThat(r.getStatus()).as(body).isEqualTo(status);
    assertThat(r.getMediaType().toString()).startsWith("text/html");
    assertThat(body).contains("<html").doesNotContain(MARKER).doesNotContainIgnoringCase("exception")
        .doesNotContain("at org.").doesNotContain("java.");
    return body;
  }

  @Test
  void report_validFormIsSealedAndCommittedOnce() {
    Response r = post("/report", MULTIPART, validReport().body());
    String body = r.readEntity(String.class);
    assertThat(r.getStatus()).as(body).isEqualTo(200);
    assertThat(body).contains("class=\"receipt\"").doesNotContain(MARKER);
    assertThat(F.committed).hasSize(1);
    assertThat(new String(F.committed.get(0), StandardCharsets.ISO_8859_1)).doesNotContain(MARKER);
  }

  @Test
  void report_malformedOrTruncatedMultipartIs400AndCommitsNothing() {
    byte[] good = validReport().body();
    List<byte[]> bad = new ArrayList<>();
    bad.add(("garbage " + MARKER).getBytes(StandardCharsets.US_ASCII));
    bad.add(Arrays.copyOf(good, good.length - 30));
    bad.add(Arrays.copyOf(good, 40));
    bad.add(("--" + BOUNDARY + "\r\nContent-Disposition: form-data\r\n\r\n" + MARKER + "\r\n--" + BOUNDARY + "--\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    bad.add(new byte[0]);
    for (byte[] body : bad) {
      String page = assertGenericError(post("/report", MULTIPART, body), 400);
      assertThat(page).contains("incomplete or damaged");
    }
    assertThat(F.committed).isEmpty();
  }

  @Test
  void report_wrongContentTypeIs400AndTouchesNoStore() {
    for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
        "multipart/mixed; boundary=" + BOUNDARY)) {
      String page = assertGenericError(post("/report", type, validReport().body()), 400);
      assertThat(page).containsAnyOf("does not have the expected format", "incomplete or damaged");
    }
    verifyNoInteractions(F.envelopes, F.mailboxes);
  }

  @Test
  void report_unknownQuestionnaireVersionIs400AskingToReloadAndTouchesNoStore() {
    for (String version : List.of("9", "0", "-1", "1.5", MARKER)) {
      byte[] body = new Form().field("version", version).field("lang", "en").field("what", "extortion")
          .field("narrative", MARKER).body();
      String page = assertGenericError(post("/report", MULTIPART, body), 400);
      assertThat(page).containsAnyOf("This form is old", "The form is not valid");
    }
    verifyNoInteractions(F.envelopes, F.mailboxes);
  }

  @Test
  void report_oversizedOrUnknownFieldIs400AndTouchesNoStore() {
    List<byte[]> bad = List.of(
        new Form().field("version", "1").field("what", "extortion").field("narrative", "x".repeat(20_001)).body(),
        new Form().field("version", "1").field("what", "extortion").field("place_detail", MARKER.repeat(100)).body(),
        new Form().field("version", "1").field("what", "<b>" + MARKER).body(),
        new Form().field("version", "1").field(MARKER, "1").body());
    for (byte[] body : bad) {
      assertGenericError(post("/report", MULTIPART, body), 400);
    }
    verifyNoInteractions(F.envelopes, F.mailboxes);
  }

  @Test
  void report_overTheFormLimitIs413AndCommitsNothing() {
    byte[] body = validReport().file("big.bin", new byte[MAX_FORM_BYTES + 1]).body();
    String page = assertGenericError(post("/report", MULTIPART, body), 413);
    assertThat(page).contains("too big");
    assertThat(F.committed).isEmpty();
  }

  @Test
  void report_tooManyFilesIs400AndCommitsNothing() {
    Form form = validReport();
    for (int i = 0; i < 3; i++) {
      form.file("more" + i + ".bin", new byte[] {1});
    }
    assertThat(assertGenericError(post("/report", MULTIPART, form.body()), 400)).contains("Too many files");
    assertThat(F.committed).isEmpty();
  }

  @Test
  void report_whenEverySubmissionSlotIsTaken_is503WithRetryAfterAndTouchesNoStore() {
    List<ConcurrencyLimiter.Slot> held = new ArrayList<>();
    try {
      while (F.submissionSlots.available() > 0) {
        held.add(F.submissionSlots.acquire());
      }
      Response r = post("/report", MULTIPART, validReport().body());
      assertThat(r.getHeaderString("Retry-After")).isEqualTo(String.valueOf(ResourceFixture.RETRY_AFTER));
      assertThat(assertGenericError(r, 503)).contains("busy");
    } finally {
      held.forEach(ConcurrencyLimiter.Slot::close);
    }
    verifyNoInteractions(F.envelopes, F.mailboxes);
  }

  @Test
  void report_whenEveryArgon2SlotIsTaken_is503WithRetryAfterAndTouchesNoStore() {
    try (ConcurrencyLimiter.Slot held = F.argon2Slots.acquire()) {
      Response r = post("/report", MULTIPART, validReport().body());
      assertThat(r.getHeaderString("Retry-After")).isEqualTo(String.valueOf(ResourceFixture.RETRY_AFTER));
      assertGenericError(r, 503);
    }
    verifyNoInteractions(F.envelopes, F.mailboxes);
  }

  @Test
  void report_whenTheDatabaseIsDown_is503WithRetryAfter() throws Exception {
    doThrow(new StorageUnavailableException(
        new java.sql.SQLNonTransientConnectionException("Could not connect to 127.0.0.1:3306 " + MARKER, "08000")))
        .when(F.envelopes).store(anyString(), any(), any());
    Response r = post("/report", MULTIPART, validReport().body());
    assertThat(r.getHeaderString("Retry-After")).isEqualTo(String.valueOf(ResourceFixture.RETRY_AFTER));
    assertThat(assertGenericError(r, 503)).contains("not available").doesNotContain("3306");
  }

  static byte[] statusForm(String receipt) {
    return ("receipt=" + URLEncoder.encode(receipt, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
  }

  static String validReceiptWords() {
    return Receipt.generate(ResourceFixture.RANDOM).render(ReceiptLanguages.of(Language.EN));
  }

  @Test
  void status_invalidReceiptIs400AndTouchesNoStore() {
    String words = validReceiptWords();
    String[] w = words.split(" ");
    String swapped = String.join(" ", Arrays.asList(w).subList(1, w.length)) + " " + w[0];
    List<byte[]> bad = List.of(statusForm(MARKER), statusForm(swapped), statusForm(words + " " + w[0]),
        statusForm("x".repeat(401)), "other=1".getBytes(StandardCharsets.US_ASCII),
        "receipt=%zz".getBytes(StandardCharsets.US_ASCII), new byte[0]);
    for (byte[] body : bad) {
      assertGenericError(post("/status", "application/x-www-form-urlencoded", body), 400);
    }
    assertGenericError(post("/status", "text/plain", statusForm(words)), 400);
    // the hint follows the code's form: how many words, or digits rather than words (user pass)
    assertThat(assertGenericError(post("/status", "application/x-www-form-urlencoded",
        statusForm(String.join(" ", Arrays.asList(w).subList(0, 7)))), 400)).contains("it has 8 words");
    assertThat(assertGenericError(post("/status", "application/x-www-form-urlencoded",
        statusForm("1234 5678 9012")), 400)).contains("Check the numbers: 8 groups of 4 digits");
    assertThat(assertGenericError(post("/status", "application/x-www-form-urlencoded", statusForm(swapped)),
        400)).contains("The code is not valid. Check the words.");
    // the form comes back with the code in its box, a word that is no code word as ?, and the
    // message beside it (user pass: a page said "use Back", which brought an empty box)
    String misspelt = String.join(" ", Arrays.asList(w).subList(0, 7)) + " zzqxv";
    String again = assertGenericError(post("/status", "application/x-www-form-urlencoded", statusForm(misspelt)), 400);
    assertThat(again).contains("what is marked ? is not a code word").contains("aria-invalid=\"true\"")
        .contains(" ?</textarea>").contains("<form method=\"post\"").doesNotContain("zzqxv")
        .doesNotContain("Back button");
    verifyNoInteractions(F.envelopes, F.mailboxes);
  }

  @Test
  void status_receiptOfNoMailboxIs400AndStoresNothing() throws Exception {
    String page = assertGenericError(post("/status", "application/x-www-form-urlencoded",
        statusForm(validReceiptWords())), 400);
    assertThat(page).contains("The code is not valid");
    verify(F.mailboxes).replyKey(any());
    verify(F.mailboxes, never()).register(any(), any());
    verify(F.envelopes, never()).store(anyString(), any(), any());
  }

  @Test
  void status_whenTheArgon2SlotIsTaken_is503WithRetryAfterAndTouchesNoStore() {
    try (ConcurrencyLimiter.Slot held = F.argon2Slots.acquire()) {
      Response r = post("/status", "application/x-www-form-urlencoded", statusForm(validReceiptWords()));
      assertThat(r.getHeaderString("Retry-After")).isEqualTo(String.valueOf(ResourceFixture.RETRY_AFTER));
      assertGenericError(r, 503);
    }
    verifyNoInteractions(F.envelopes, F.mailboxes);
  }

  @Test
  void followUp_invalidReceiptOrUnknownFieldIs400AndCommitsNothing() {
    List<byte[]> bad = List.of(
        new Form().field("receipt", MARKER).field("message", "more").body(),
        new Form().field("receipt", validReceiptWords()).field("message", "more").body(),
        new Form().field("receipt", validReceiptWords()).field(MARKER, "x").body());
    for (byte[] body : bad) {
      assertGenericError(post("/status/follow-up", MULTIPART, body), 400);
    }
    assertThat(F.committed).isEmpty();
  }

  /** A visit of a fresh mailbox, begun as the status page begins one; returns its capability. */
  static String newVisit() {
    org.testigo.crypto.receipt.ReceiptKeys keys = F.receipts.derive(Receipt.generate(ResourceFixture.RANDOM));
    return VISITS.begin(F.receipts.mailboxId(keys.mailboxLookupKey()), keys);
  }

  static byte[] visitForm(String visit) {
    return ("visit=" + visit).getBytes(StandardCharsets.US_ASCII);
  }

  static final String FORM = "application/x-www-form-urlencoded";

  @Test
  void erasureRequest_confirmStepStoresNothingThenTheConfirmedRequestIsOneFollowUpWithTheOnePart() throws Exception {
    String visit = newVisit();
    Response step = post("/visit/erasure", FORM, visitForm(visit));
    String confirm = step.readEntity(String.class);
    assertThat(step.getStatus()).as(confirm).isEqualTo(200);
    assertThat(confirm).contains("The team decides. It is never erased on its own, and not at once.")
        .contains("action=\"/visit/erasure/confirm?lang=en\"").contains("value=\"" + visit + "\"");
    verify(F.envelopes, never()).store(anyString(), any(), any());

    Response sent = post("/visit/erasure/confirm", FORM, visitForm(visit));
    String page = sent.readEntity(String.class);
    assertThat(sent.getStatus()).as(page).isEqualTo(200);
    assertThat(page).contains("<h1>Your request was sent.</h1>").contains("value=\"" + visit + "\"");
    assertThat(F.committed).hasSize(1);
    org.mockito.ArgumentCaptor<java.util.Optional<org.testigo.server.storage.EnvelopeStore.MailboxLink>> link =
        org.mockito.ArgumentCaptor.captor();
    verify(F.envelopes).store(org.mockito.ArgumentMatchers.eq("follow-up"), link.capture(), any());
    assertThat(link.getValue()).get().satisfies(l -> {
      assertThat(l.kind()).isEqualTo(org.testigo.server.storage.MailboxStore.KIND_FOLLOW_UP);
      assertThat(l.mailbox()).isEqualTo(VISITS.use(visit, org.testigo.server.intake.VisitService.Opened::mailbox));
    });
    byte[] plain = org.testigo.crypto.envelope.Envelope.open(F.committed.get(0), demoReviewer().encryptionKey(),
        org.testigo.crypto.envelope.Envelope.CONTEXT_FOLLOW_UP);
    var reader = new org.testigo.crypto.payload.PayloadReader(new java.io.ByteArrayInputStream(plain));
    var part = reader.next();
    assertThat(part.header()).isEqualTo(new org.testigo.crypto.payload.PartHeader("erasure-request", null,
        "application/json"));
    assertThat(new String(part.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"v\":1,\"type\":\"erasure_request\"}");
    assertThat(reader.next()).isNull();
  }

  static org.testigo.crypto.identity.ReviewerIdentity demoReviewer() throws Exception {
    char[] pass = java.nio.file.Files.readString(F.dir.resolve(org.testigo.server.demo.DemoOrganisation.PASSPHRASE))
        .strip().toCharArray();
    return org.testigo.crypto.identity.Keystore.read(F.dir.resolve(org.testigo.server.demo.DemoOrganisation.KEYSTORE),
        org.testigo.crypto.identity.Passphrase.of(pass));
  }

  @Test
  void erasureRequest_withoutAVisitOrWithAnEndedOneIs400AndStoresNothing() throws Exception {
    String ended = newVisit();
    VISITS.leave(ended);
    List<byte[]> bad = List.of(new byte[0], ("other=" + newVisit()).getBytes(StandardCharsets.US_ASCII),
        visitForm(MARKER), visitForm("0123456789abcdef0123456789abcdef"), visitForm(ended),
        visitForm(newVisit().toUpperCase(java.util.Locale.ROOT)), "visit=%zz".getBytes(StandardCharsets.US_ASCII));
    for (String path : List.of("/visit/erasure", "/visit/erasure/confirm")) {
      for (byte[] body : bad) {
        assertThat(assertGenericError(post(path, FORM, body), 400)).as(path + " " + new String(body))
            .contains("Your visit has ended");
      }
      assertGenericError(post(path, "text/plain", visitForm(newVisit())), 400);
      assertGenericError(post(path, MULTIPART, new Form().field("visit", newVisit()).body()), 400);
    }
    verify(F.envelopes, never()).store(anyString(), any(), any());
    assertThat(F.committed).isEmpty();
  }

  @Test
  void erasureRequest_underAManifestWithoutPolicyIs400SayingSoAndStoresNothing() throws Exception {
    RETENTION.set(null);
    try {
      for (String path : List.of("/visit/erasure", "/visit/erasure/confirm")) {
        assertThat(assertGenericError(post(path, FORM, visitForm(newVisit())), 400)).as(path)
            .contains("Reports are not erased here for now. Nothing was sent.");
      }
    } finally {
      RETENTION.set(new RetentionInForce.Terms(365, 1825));
    }
    verify(F.envelopes, never()).store(anyString(), any(), any());
    assertThat(F.committed).isEmpty();
  }

  @Test
  void erasureRequest_whenEverySubmissionSlotIsTaken_is503AndStoresNothing() throws Exception {
    String visit = newVisit();
    List<ConcurrencyLimiter.Slot> held = new ArrayList<>();
    try {
      while (F.submissionSlots.available() > 0) {
        held.add(F.submissionSlots.acquire());
      }
      Response r = post("/visit/erasure/confirm", FORM, visitForm(visit));
      assertThat(r.getHeaderString("Retry-After")).isEqualTo(String.valueOf(ResourceFixture.RETRY_AFTER));
      assertGenericError(r, 503);
    } finally {
      held.forEach(ConcurrencyLimiter.Slot::close);
    }
    verify(F.envelopes, never()).store(anyString(), any(), any());
  }
}
