package org.testigo.cli.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.testigo.api.questionnaire.QuestionnaireCheck;
import org.testigo.cli.remote.LocalCache;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.payload.PartHeader;
import org.testigo.crypto.payload.PayloadReader;

/**
 * A cached submission opened in memory with bounded memory: the server's listing entry, the
 * questionnaire (a report) or message (a follow-up) as JSON, and the name, type and size of
 * each attachment. The payload is parsed as it is decrypted ({@link PayloadReader#decoder}); an
 * attachment's bytes go to the caller's {@link AttachmentSink} or nowhere, never into memory.
 * A payload over the caps ({@link #MAX_PARTS} parts, a questionnaire or message JSON over
 * {@link #MAX_DOCUMENT_BYTES}, a narrative or message over {@link #MAX_TEXT_CODE_POINTS}),
 * with a framing defect, or whose first part is not a version 1 questionnaire (message) is
 * refused with {@link NotAValidReportException}: the envelope opened but is not a report.
 * Nothing of it is written to disk except by the sink.
 */
public record DecryptedSubmission(LocalCache.Submission listing, JsonNode document, List<Attachment> files) {
  /**
   * Strict: a repeated key or anything after the object makes the payload not a valid report
   * (another reader would keep the other value, or stop at the first object, and show another
   * report; found by an outside attack).
   */
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  /** Parts in one payload: a questionnaire and up to 99 attachments (the server's form allows 20). */
  public static final int MAX_PARTS = PayloadReader.Limits.REVIEWER.maxParts();
  /** The questionnaire or follow-up JSON (a narrative of 20,000 code points escaped fits easily). */
  public static final int MAX_DOCUMENT_BYTES = (int) PayloadReader.Limits.REVIEWER.maxFirstPartBytes();
  /** The narrative of a report, the message of a follow-up (the server's own limit). */
  public static final int MAX_TEXT_CODE_POINTS = 20_000;

  /** Bytes read from the envelope file at once (a typical report's envelope in one read). */
  private static final int READ_BUFFER = 32 * 1024;

  /** An attachment as listed in the payload; its bytes are not kept. */
  public record Attachment(String filename, String type, long size) {}

  /** Receives the bytes of each attachment while it is decrypted. */
  public interface AttachmentSink {
    /** Attachment {@code n} (from 1 within this submission) starts; its bytes go to the stream returned. */
    OutputStream open(int n, String filename, String type) throws IOException;
  }

  /** The envelope opened but its content is not a valid report or follow-up; the message says why. */
  public static final class NotAValidReportException extends IOException {
    public NotAValidReportException(String reason) {
      super(reason);
    }
  }

  /** The name of the single part of a source's request for early erasure (spec retention-and-erasure.md §4.2). */
  public static final String ERASURE_REQUEST = "erasure-request";

  public boolean isReport() {
    return Envelope.CONTEXT_REPORT.equals(listing.context());
  }

  /**
   * True for a follow-up whose only part is a source's request for early erasure: it erases
   * nothing; the reviewers decide (erase --reason source-request --early).
   */
  public boolean isErasureRequest() {
    return !isReport() && "erasure_request".equals(document.path("type").asText(null)) && document.size() == 2;
  }

  /** Opens a cached envelope with the reviewer's key, attachments discarded. */
  public static DecryptedSubmission open(LocalCache cache, LocalCache.Submission s, RecipientPrivateKey key)
      throws IOException, CryptoException {
    return open(cache, s, key, null);
  }

  /**
   * Opens a cached envelope with the reviewer's key. CryptoException if it is not ours or
   * altered; {@link NotAValidReportException} if it opens but is not a valid report or
   * follow-up (then the sink may have received part of an attachment).
   */
  public static DecryptedSubmission open(LocalCache cache, LocalCache.Submission s, RecipientPrivateKey key,
      AttachmentSink sink) throws IOException, CryptoException {
    boolean report = Envelope.CONTEXT_REPORT.equals(s.context());
    String[] firstName = {report ? "questionnaire" : "message"};
    ByteArrayOutputStream doc = new ByteArrayOutputStream();
    List<Attachment> files = new ArrayList<>();
    String[] current = new String[2];
    boolean[] isFile = new boolean[1];
    // the decoder refuses a first part over MAX_DOCUMENT_BYTES ("the questionnaire is over ... bytes")
    PayloadReader.Decoder parser = PayloadReader.decoder(new PayloadReader.Parts() {
      @Override
      public OutputStream begin(int index, PartHeader header) throws IOException {
        if (index == 0) {
          if (!report && header.name().equals(ERASURE_REQUEST)) {
            firstName[0] = ERASURE_REQUEST; // a source's request for erasure (retention-and-erasure.md §4.2)
          } else if (!header.name().equals(firstName[0])) {
            throw new NotAValidReportException("the first part is not a " + firstName[0]);
          }
          return doc;
        }
        if (firstName[0].equals(ERASURE_REQUEST)) {
          throw new NotAValidReportException("an erasure request has no other part");
        }
        isFile[0] = PartHeader.FILE.equals(header.name());
        if (!isFile[0]) {
          // only attachments follow the first part (docs/spec/payload-and-questionnaire.md §1): a second
          // questionnaire could be what another reader shows, so the report is not valid
          throw new NotAValidReportException("part " + (index + 1) + " is not an attachment");
        }
        current[0] = header.filename();
        current[1] = header.type();
        return sink == null ? null : sink.open(files.size() + 1, header.filename(), header.type());
      }

      @Override
      public void end(int index, long size) {
        if (index > 0 && isFile[0]) {
          files.add(new Attachment(current[0], current[1], size));
        }
        isFile[0] = false;
        current[0] = null;
        current[1] = null;
      }
    }, PayloadReader.Limits.REVIEWER);
    // buffered: the envelope reader asks for the header field by field (a dozen small reads)
    try (InputStream in = new BufferedInputStream(Files.newInputStream(cache.envelope(s.id())), READ_BUFFER)) {
      try {
        Envelope.open(in, parser, key, s.context());
        parser.finish();
      } catch (PayloadReader.MalformedPayloadException e) {
        throw new NotAValidReportException(e.getMessage());
      }
    }
    String first = firstName[0];
    if (parser.partCount() == 0) {
      throw new NotAValidReportException("no " + first);
    }
    byte[] bytes = doc.toByteArray();
    try {
      JsonNode d;
      try {
        d = JSON.readTree(bytes);
      } catch (com.fasterxml.jackson.core.JsonParseException | com.fasterxml.jackson.databind.exc.MismatchedInputException e)
          {
        boolean strict = e.getMessage() != null && (e.getMessage().startsWith("Duplicate field")
            || e.getMessage().startsWith("Trailing token"));
        throw new NotAValidReportException("the " + first + (strict ? " repeats a key or has data after its end"
            : " is not JSON"));
      } catch (IOException e) {
        throw new NotAValidReportException("the " + first + " is not JSON");
      }
      check(d, first, s.receivedDay());
      return new DecryptedSubmission(s, d, List.copyOf(files));
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
  }

  private static void check(JsonNode d, String first, String receivedDay) throws NotAValidReportException {
    if (d == null || !d.isObject()) {
      throw new NotAValidReportException("the " + first + " is not a JSON object");
    }
    if (first.equals(ERASURE_REQUEST)) {
      if (!d.equals(JSON.createObjectNode().put("v", 1).put("type", "erasure_request"))) {
        throw new NotAValidReportException("the erasure request is not {\"v\":1,\"type\":\"erasure_request\"}");
      }
      return;
    }
    java.util.Optional<String> problem;
    if (first.equals("questionnaire")) {
      LocalDate latest;
      try {
        latest = LocalDate.parse(receivedDay).plusDays(1);
      } catch (RuntimeException e) {
        latest = null;
      }
      problem = QuestionnaireCheck.questionnaire(d, latest);
    } else {
      problem = QuestionnaireCheck.followUp(d);
    }
    if (problem.isPresent()) {
      throw new NotAValidReportException("the " + first + " does not follow version 1: " + problem.get());
    }
  }

  /** Values of a string array field, e.g. {@code what}. */
  public List<String> list(String field) {
    List<String> out = new java.util.ArrayList<>();
    document.path(field).forEach(n -> out.add(n.asText()));
    return out;
  }

  public String text(String... path) {
    JsonNode n = document;
    for (String p : path) {
      n = n.path(p);
    }
    return n.isValueNode() && !n.isNull() ? n.asText() : "";
  }
}
