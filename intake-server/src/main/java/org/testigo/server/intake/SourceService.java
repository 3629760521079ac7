package org.testigo.server.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testigo.api.EnvelopeId;
import org.testigo.api.progress.SourceProgress;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.payload.PartHeader;
import org.testigo.crypto.payload.PayloadReader;
import org.testigo.crypto.payload.PayloadWriter;
import org.testigo.crypto.receipt.MailboxIds;
import org.testigo.crypto.receipt.Receipt;
import org.testigo.crypto.receipt.ReceiptKeys;
import org.testigo.server.domain.EnvelopeRecord;
import org.testigo.server.domain.FiledEnvelope;
import org.testigo.server.domain.InvalidInputException;
import org.testigo.server.domain.KeyState;
import org.testigo.server.domain.Language;
import org.testigo.server.domain.LimitedInputStream;
import org.testigo.server.domain.MailboxId;
import org.testigo.server.domain.OpenedReply;
import org.testigo.server.domain.PayloadTooLargeException;
import org.testigo.server.domain.PublishedProgress;
import org.testigo.server.domain.RetentionInForce;
import org.testigo.server.domain.SubmissionIdConflictException;
import org.testigo.server.domain.report.FollowUp;
import org.testigo.server.domain.report.FormFields;
import org.testigo.server.domain.report.FormInvalidException;
import org.testigo.server.domain.report.FormReceipt;
import org.testigo.server.domain.report.Questionnaire;
import org.testigo.server.domain.report.QuestionnaireParser;
import org.testigo.server.intake.multipart.MultipartReader;
import org.testigo.server.intake.strip.MetadataStripper;
import org.testigo.server.storage.EnvelopeStore.MailboxLink;
import org.testigo.server.storage.EnvelopeStore;
import org.testigo.server.storage.MailboxStore;

/**
 * What a source does without JavaScript: the server seals on receipt. The multipart body is
 * read as a stream; the questionnaire JSON and each file go straight into
 * {@link Envelope#sealing} to the manifest's reviewers, and the ciphertext into a {@link Spool}
 * as the body arrives; only then is a submission slot taken and the ciphertext written to the
 * database in one transaction (a slow sender holds no slot). Plaintext exists only in memory,
 * one buffer at a time. The receipt is returned only after the transaction committed, and
 * with it the capability of the visit the report began ({@link VisitService}).
 */
public final class SourceService {
  private static final Logger LOG = LoggerFactory.getLogger(SourceService.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_REPLY_BYTES = 4L * 1024 * 1024;
  private static final int MAX_TEXT_BYTES = QuestionnaireParser.NARRATIVE * 4;

  private final KeyState keys;
  private final EnvelopeStore envelopes;
  private final MailboxStore mailboxes;
  private final ReceiptService receipts;
  private final ConcurrencyLimiter submissions;
  private final VisitService visits;
  private final Path spool;
  private final int retryAfterSeconds;
  private final long maxFormBytes;
  private final int maxFiles;
  private final Clock clock;
  private final SecureRandom random;

  public SourceService(KeyState keys, EnvelopeStore envelopes, MailboxStore mailboxes,
      ReceiptService receipts, ConcurrencyLimiter submissions, VisitService visits, Path spool,
      int retryAfterSeconds, long maxFormBytes, int maxFiles, Clock clock, SecureRandom random) {
    this.spool = spool;
    this.retryAfterSeconds = retryAfterSeconds;
    try {
      java.nio.file.Files.createDirectories(spool);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    this.keys = keys;
    this.envelopes = envelopes;
    this.mailboxes = mailboxes;
    this.receipts = receipts;
    this.submissions = submissions;
    this.visits = visits;
    this.maxFormBytes = maxFormBytes;
    this.maxFiles = maxFiles;
    this.clock = clock;
    this.random = random;
  }

  /**
   * What the source is shown after a report: the receipt words, how much metadata was removed,
   * and the capability of the visit that the report began (its status page costs no derivation).
   */
  public record ReportReceipt(String words, int metadataItemsRemoved, String visit) {}

  /**
   * A receipt for a new no-JavaScript report form (receipt first): shown on the form, in the
   * page language or as digit groups, with two random positions the source types back. The
   * server keeps nothing: the form carries it in hidden fields and posts it with the report.
   */
  public FormReceipt newFormReceipt(Language language, boolean digits) {
    Receipt r = Receipt.generate(random, ReceiptLanguages.of(language));
    try {
      String words = digits ? r.renderDigits() : r.render(ReceiptLanguages.of(language));
      int a = random.nextInt(Receipt.WORD_COUNT);
      int b = random.nextInt(Receipt.WORD_COUNT - 1);
      if (b >= a) {
        b++;
      }
      return new FormReceipt(words, Math.min(a, b) + 1, Math.max(a, b) + 1);
    } finally {
      r.destroy();
    }
  }

  /**
   * Seals and stores a report; returns the receipt in the page language (or as digits). A form
   * from {@link #newFormReceipt} carries its receipt, which must be confirmed (two of its words
   * typed back) and is the one used; a post without one (a form page older than receipt-first,
   * a script) gets a fresh receipt here, as before. Question errors and a wrong confirmation
   * throw a {@link FormInvalidException} carrying the answers, so the form can be shown again.
   */
  public ReportReceipt submitReport(Language language, String contentType, Long contentLength, InputStream body)
      throws IOException {
    checkLength(contentLength);
    {
      MultipartReader reader = new MultipartReader(new LimitedInputStream(body, maxFormBytes),
          MultipartReader.boundaryOf(contentType));
      FormFields fields = new FormFields(MAX_TEXT_BYTES, 200);
      MultipartReader.Part firstFile = readFields(reader, fields);
      FormReceipt shown = formReceipt(fields);
      Receipt given = null;
      if (shown != null) {
        try {
          given = Receipt.parse(shown.words());
        } catch (org.testigo.crypto.receipt.InvalidReceiptException e) {
          throw new InvalidInputException("error.form");
        }
      }
      Confirmation confirmation = shown == null ? null : Confirmation.of(shown, fields);
      boolean confirmed = confirmation == null || confirmation.right();
      Questionnaire q;
      try {
        q = QuestionnaireParser.parse(fields, language.code(), LocalDate.now(clock));
      } catch (FormInvalidException e) {
        destroy(given);
        if (shown == null) {
          throw e;
        }
        confirmation.keepRightWord(fields);
        throw e.withAnswers(confirmed ? List.of() : List.of(shown.confirmError()), fields, shown);
      } catch (RuntimeException e) {
        destroy(given);
        throw e;
      }
      if (!confirmed) {
        destroy(given);
        confirmation.keepRightWord(fields);
        throw new FormInvalidException(List.of()).withAnswers(List.of(shown.confirmError()), fields, shown);
      }
      byte[] json = JSON.writeValueAsBytes(q);
      Receipt receipt = given != null ? given : Receipt.generate(random, ReceiptLanguages.of(language));
      ReceiptKeys derived = receipts.derive(receipt);
      MailboxId mailbox;
      RecipientPublicKey replyKey;
      String visit = null;
      try {
        mailbox = receipts.mailboxId(derived.mailboxLookupKey());
        replyKey = derived.replyKey().publicKey();
        // The same form posted twice (a lost answer page, then "send" again) carries the same
        // receipt: the second report joins the mailbox the first one made.
        MailboxLink link = given != null && mailboxes.replyKey(mailbox).isPresent()
            ? MailboxLink.existing(mailbox, MailboxStore.KIND_REPORT)
            : new MailboxLink(mailbox, MailboxStore.KIND_REPORT, replyKey);
        int stripped;
        // A form that carries its receipt and is sent twice with the same answers (a second tap on
        // "send", a reload that posts again) is one report: its id comes from the receipt and the
        // payload (MailboxIds.formReportId), so the second is refused as a different envelope
        // under a stored id and answered as the first. Other answers are another report.
        MessageDigest payloadHash = given != null ? sha256() : null;
        // Sealed while the body arrives, into a spool; a submission slot only for the transaction.
        try (Spool sealed = Spool.in(spool, retryAfterSeconds)) {
          stripped = seal(sealed, Envelope.CONTEXT_REPORT,
              new PartHeader(PartHeader.QUESTIONNAIRE, null, "application/json"), json, firstFile, reader, false,
              payloadHash);
          try (ConcurrencyLimiter.Slot slot = submissions.acquire()) {
            if (payloadHash == null) {
              envelopes.store(Envelope.CONTEXT_REPORT, Optional.of(link), sealed::copyTo);
            } else {
              storeOnce(EnvelopeId.fromBytes(MailboxIds.formReportId(derived.mailboxLookupKey(), payloadHash.digest())),
                  link, sealed);
            }
          }
        }
        String words = shown != null && shown.digits() ? receipt.renderDigits()
            : receipt.render(ReceiptLanguages.of(language));
        visit = visits.begin(mailbox, derived);
        return new ReportReceipt(words, stripped, visit);
      } finally {
        if (visit == null) {
          derived.destroy();
        }
        java.util.Arrays.fill(json, (byte) 0);
        receipt.destroy();
      }
    }
  }

  /**
   * The two typed words of a receipt-first form, taken out of the fields (they are no question),
   * and which of them are the receipt's at its positions. When the form is shown again, the one
   * that was right is put back, so the source retypes only the wrong one (user pass: both boxes
   * came back empty and nothing said which word was wrong).
   */
  private record Confirmation(String first, String second, boolean firstRight, boolean secondRight) {
    static Confirmation of(FormReceipt shown, FormFields fields) {
      String typedFirst = fields.remove(FormReceipt.CONFIRM_FIRST);
      String typedSecond = fields.remove(FormReceipt.CONFIRM_SECOND);
      return new Confirmation(typedFirst, typedSecond, shown.isWordAt(shown.first(), typedFirst),
          shown.isWordAt(shown.second(), typedSecond));
    }

    boolean right() {
      return firstRight && secondRight;
    }

    /** Puts back the right word of a wrong confirmation, for the form shown again. */
    void keepRightWord(FormFields fields) {
      if (right()) {
        return;
      }
      if (firstRight) {
        fields.add(FormReceipt.CONFIRM_FIRST, first.strip());
      }
      if (secondRight) {
        fields.add(FormReceipt.CONFIRM_SECOND, second.strip());
      }
    }
  }

  /** The receipt fields of a receipt-first form, taken out of {@code fields}; null if absent. */
  private static FormReceipt formReceipt(FormFields fields) {
    if (!fields.names().contains(FormReceipt.FIELD)) {
      return null;
    }
    String words = fields.remove(FormReceipt.FIELD);
    String[] at = fields.remove(FormReceipt.POSITIONS).split(" ");
    try {
      if (at.length != 2 || words.length() > 200) {
        throw new InvalidInputException("error.form");
      }
      // one space between words, as the form showed them: a post with other spacing must not
      // draw empty words (the numbers beside the words would no longer match "word N")
      return new FormReceipt(String.join(" ", words.strip().split("\\s+")), Integer.parseInt(at[0]),
          Integer.parseInt(at[1]));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("error.form");
    }
  }

  private static void destroy(Receipt r) {
    if (r != null) {
      r.destroy();
    }
  }

  /**
   * Adds a message (and files) from the source to the case of a receipt typed into the form
   * (one Argon2id derivation).
   */
  public void followUp(Language language, String contentType, Long contentLength, InputStream body)
      throws IOException {
    followUp(language, contentType, contentLength, body, "receipt");
  }

  /**
   * Adds a message (and files) to the case of a visit ({@code visit} field): no derivation.
   * Returns the visit's capability, for the page that follows.
   */
  public String followUpInVisit(Language language, String contentType, Long contentLength, InputStream body)
      throws IOException {
    return followUp(language, contentType, contentLength, body, "visit");
  }

  private String followUp(Language language, String contentType, Long contentLength, InputStream body,
      String keyField) throws IOException {
    checkLength(contentLength);
    {
      MultipartReader reader = new MultipartReader(new LimitedInputStream(body, maxFormBytes),
          MultipartReader.boundaryOf(contentType));
      FormFields fields = new FormFields(MAX_TEXT_BYTES, 10);
      MultipartReader.Part firstFile = readFields(reader, fields);
      for (String name : fields.names()) {
        if (!List.of(keyField, "message", "lang").contains(name)) {
          throw new InvalidInputException("error.form");
        }
      }
      String message = fields.one("message");
      if (message.codePointCount(0, message.length()) > QuestionnaireParser.NARRATIVE) {
        throw new FormInvalidException(List.of("error.too_long"));
      }
      MailboxId mailbox = "visit".equals(keyField)
          ? visits.use(fields.one("visit"), VisitService.Opened::mailbox)
          : openMailbox(fields.one("receipt"));
      if ("visit".equals(keyField) && mailboxes.replyKey(mailbox).isEmpty()) {
        throw new InvalidInputException("error.receipt"); // erased while the visit was open
      }
      byte[] json = JSON.writeValueAsBytes(new FollowUp(FollowUp.VERSION, language.code(), message));
      try (Spool sealed = Spool.in(spool, retryAfterSeconds)) {
        seal(sealed, Envelope.CONTEXT_FOLLOW_UP, new PartHeader(PartHeader.MESSAGE, null, "application/json"),
            json, firstFile, reader, message.isBlank());
        try (ConcurrencyLimiter.Slot slot = submissions.acquire()) {
          storeFollowUp(mailbox, sealed);
        }
      } finally {
        java.util.Arrays.fill(json, (byte) 0);
      }
      return "visit".equals(keyField) ? fields.one("visit") : null;
    }
  }

  /** The body of the one part of an early erasure request (docs/spec/retention-and-erasure.md §4.2). */
  static final byte[] ERASURE_REQUEST = "{\"v\":1,\"type\":\"erasure_request\"}".getBytes(StandardCharsets.US_ASCII);

  /**
   * Seals a source's request for early erasure as a follow-up to the reviewers of the manifest
   * in force, stored in the visit's mailbox exactly like a follow-up; its payload holds the one
   * part {@code erasure-request}. It erases nothing: the reviewers decide (a coerced or stolen
   * receipt must not be able to destroy evidence). Refused ({@code error.erasure_unavailable})
   * when the manifest in force has no retention policy, and {@code error.visit} for a malformed,
   * unknown or ended visit; then nothing is stored. Returns the visit's capability.
   */
  public String requestErasure(String visit, RetentionInForce retention) throws IOException {
    MailboxId mailbox = visits.use(visit, VisitService.Opened::mailbox);
    if (retention.now().isEmpty()) {
      throw new InvalidInputException("error.erasure_unavailable");
    }
    try (Spool sealed = Spool.in(spool, retryAfterSeconds)) {
      seal(sealed, Envelope.CONTEXT_FOLLOW_UP, new PartHeader(PartHeader.ERASURE_REQUEST, null, "application/json"),
          ERASURE_REQUEST, null, null, false);
      try (ConcurrencyLimiter.Slot slot = submissions.acquire()) {
        storeFollowUp(mailbox, sealed);
      }
    }
    return visit;
  }

  /** Stores a sealed follow-up in the mailbox; as an unknown receipt if its case was erased meanwhile. */
  private void storeFollowUp(MailboxId mailbox, Spool sealed) throws IOException {
    try {
      envelopes.store(Envelope.CONTEXT_FOLLOW_UP,
          Optional.of(MailboxLink.existing(mailbox, MailboxStore.KIND_FOLLOW_UP)), sealed::copyTo);
    } catch (EnvelopeStore.CaseGoneException e) {
      throw new InvalidInputException("error.receipt");
    }
  }

  /**
   * What the status page shows: the replies, opened in memory, the ids of the source's own
   * envelopes (the report, then follow-ups) for their proofs of filing, and the capability of
   * the visit that carries the next requests.
   */
  public record SourceStatus(List<OpenedReply> replies, List<PublishedProgress> progress,
      List<FiledEnvelope> filed, String visit) {}

  /**
   * Derives the receipt's keys (one Argon2id), begins a visit with them, and opens the
   * mailbox's replies.
   */
  public SourceStatus status(String typedReceipt) throws IOException {
    Receipt receipt = ReceiptService.parse(typedReceipt);
    ReceiptKeys derived = receipts.derive(receipt);
    String visit = null;
    try {
      MailboxId mailbox = receipts.mailboxId(derived.mailboxLookupKey());
      if (mailboxes.replyKey(mailbox).isEmpty()) {
        throw new InvalidInputException("error.receipt");
      }
      visit = visits.begin(mailbox, derived);
    } finally {
      if (visit == null) {
        derived.destroy();
      }
      receipt.destroy();
    }
    return visitStatus(visit);
  }

  /** The status page of a visit already begun: no derivation. */
  public SourceStatus visitStatus(String visit) {
    return visits.use(visit, opened -> {
      try {
        return read(opened.mailbox(), opened.keys(), visit);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  /** Refuses ({@code error.visit}) a malformed, unknown or ended visit; opens nothing. */
  public void checkVisit(String visit) {
    visits.use(visit, VisitService.Opened::mailbox);
  }

  /** Ends a visit (the "leave" button). */
  public void leave(String visit) {
    visits.leave(visit);
  }

  private SourceStatus read(MailboxId mailbox, ReceiptKeys derived, String visit) throws IOException {
    if (mailboxes.replyKey(mailbox).isEmpty()) {
      // erased (docs/spec/retention-and-erasure.md §3.3) while the visit was open: as for an unknown receipt
      throw new InvalidInputException("error.receipt");
    }
    List<FiledEnvelope> filed = mailboxes.filed(mailbox);
    List<OpenedReply> out = new ArrayList<>();
    List<PublishedProgress> progress = new ArrayList<>();
    for (EnvelopeId id : mailboxes.envelopes(mailbox, MailboxStore.KIND_REPLY)) {
      Optional<EnvelopeRecord> record = envelopes.find(id);
      if (record.isEmpty() || record.get().sizeBucket() > MAX_REPLY_BYTES) {
        continue;
      }
      ByteArrayOutputStream sealed = new ByteArrayOutputStream();
      envelopes.copyTo(record.get(), sealed);
      try {
        byte[] plain = Envelope.open(sealed.toByteArray(), derived.replyKey(), Envelope.CONTEXT_REPLY);
        String day = record.get().receivedDay().toString();
        try {
          Optional<SourceProgress> published = SourceProgress.fromReplyPayload(plain);
          if (published.isPresent()) {
            progress.add(new PublishedProgress(day, published.get()));
          } else {
            out.add(readReply(day, plain));
          }
        } catch (SourceProgress.InvalidProgressException e) {
          LOG.warn("a progress record in a mailbox is not valid; it is not shown");
        } finally {
          java.util.Arrays.fill(plain, (byte) 0);
        }
      } catch (CryptoException | PayloadReader.MalformedPayloadException e) {
        LOG.warn("a reply envelope in a mailbox did not open with its reply key");
      }
    }
    progress.sort(java.util.Comparator.comparingInt((PublishedProgress p) -> p.progress().n())
        .thenComparing(PublishedProgress::receivedDay).reversed());
    return new SourceStatus(out, progress, filed, visit);
  }

  private MailboxId openMailbox(String typedReceipt) {
    Receipt receipt = ReceiptService.parse(typedReceipt);
    ReceiptKeys derived = receipts.derive(receipt);
    try {
      MailboxId mailbox = receipts.mailboxId(derived.mailboxLookupKey());
      if (mailboxes.replyKey(mailbox).isEmpty()) {
        throw new InvalidInputException("error.receipt");
      }
      return mailbox;
    } finally {
      derived.destroy();
      receipt.destroy();
    }
  }

  private static OpenedReply readReply(String day, byte[] plain) throws IOException {
    PayloadReader reader = new PayloadReader(new ByteArrayInputStream(plain));
    StringBuilder text = new StringBuilder();
    List<String> files = new ArrayList<>();
    for (PayloadReader.Part p = reader.next(); p != null; p = reader.next()) {
      if (PartHeader.MESSAGE.equals(p.header().name())) {
        text.append(new String(p.body().readNBytes(1 << 20), StandardCharsets.UTF_8));
      } else if (p.header().filename() != null) {
        files.add(p.header().filename());
      }
    }
    return new OpenedReply(day, text.toString(), files);
  }

  private void checkLength(Long contentLength) {
    if (contentLength != null && contentLength > maxFormBytes) {
      throw new PayloadTooLargeException();
    }
  }

  /** Reads text fields up to the first file part, which it returns (or null). */
  private static MultipartReader.Part readFields(MultipartReader reader, FormFields fields) throws IOException {
    for (MultipartReader.Part p = reader.next(); p != null; p = reader.next()) {
      if (p.isFile()) {
        return p;
      }
      fields.add(p.name(), p.body());
    }
    return null;
  }

  /**
   * Stores a form report under its {@link MailboxIds#formReportId}; a report already stored
   * under that id is this form sent before with the same answers (sealed again, so other bytes):
   * nothing more is stored, and the source is answered as the first time. An id refused for
   * another reason (its case was erased) is an error, as on the API.
   */
  private void storeOnce(EnvelopeId id, MailboxLink link, Spool sealed) throws IOException {
    try {
      envelopes.store(id, Envelope.CONTEXT_REPORT, Optional.of(link), sealed::copyTo);
    } catch (SubmissionIdConflictException conflict) {
      // the same form again only if its report is stored; an id refused because its case was
      // erased is not (the source must not be told "received" when nothing was stored)
      if (envelopes.find(id).filter(r -> Envelope.CONTEXT_REPORT.equals(r.context())).isEmpty()) {
        throw conflict;
      }
      LOG.info("a form report was sent again with the same receipt and answers; stored once");
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java", e);
    }
  }

  /** Seals the parts; JPEG and PNG files lose their metadata. Returns the number of items removed. */
  private int seal(OutputStream out, String context, PartHeader first, byte[] firstBody,
      MultipartReader.Part firstFile, MultipartReader reader, boolean requireFile) throws IOException {
    return seal(out, context, first, firstBody, firstFile, reader, requireFile, null);
  }

  /** Seals the payload into {@code out}; with a non-null {@code plainHash}, also hashes the payload's plaintext. */
  private int seal(OutputStream out, String context, PartHeader first, byte[] firstBody,
      MultipartReader.Part firstFile, MultipartReader reader, boolean requireFile, MessageDigest plainHash)
      throws IOException {
    int files = 0;
    int stripped = 0;
    try (OutputStream sealed = Envelope.sealing(new NonClosing(out), keys.recipients(), context, random)) {
      PayloadWriter payload = new PayloadWriter(plainHash == null ? sealed
          : new java.security.DigestOutputStream(sealed, plainHash));
      payload.writePart(first, firstBody);
      for (MultipartReader.Part p = firstFile; p != null; p = reader.next()) {
        if (!p.isFile()) {
          throw new InvalidInputException("error.form");
        }
        if (p.filename().isEmpty()) {
          continue; // an empty file input
        }
        if (++files > maxFiles) {
          throw new InvalidInputException("error.files");
        }
        try (OutputStream part = payload.beginPart(new PartHeader(PartHeader.FILE,
            FileNames.clean(p.filename()), FileNames.cleanType(p.contentType())))) {
          MetadataStripper clean = new MetadataStripper(part);
          p.body().transferTo(clean);
          clean.finish();
          stripped += clean.removedCount();
        } catch (MetadataStripper.MalformedImageException e) {
          throw new InvalidInputException("error.image");
        }
      }
      if (requireFile && files == 0) {
        throw new FormInvalidException(List.of("error.empty"));
      }
      payload.finish();
    }
    return stripped;
  }

  /** Lets the envelope finish without closing the spool it is written into. */
  private static final class NonClosing extends FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
