package org.testigo.cli.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import org.testigo.api.progress.SourceProgress;
import org.testigo.cli.cases.CaseContent.InvalidContentException;
import org.testigo.crypto.event.EventId;

/**
 * Content JSON v1 of the types {@code status_published}, {@code referral_update} and
 * {@code content_rewrap}
 * (docs/spec/case-events.md §3), encoded and parsed with the same strictness as
 * {@link CaseContent}: exactly the fields of the type, errors naming the field, never the value.
 */
final class ProgressContent {
  private ProgressContent() {}

  static void encode(ObjectNode o, CaseAction.StatusPublished p) {
    SourceProgress r = p.progress();
    o.put("n", r.n());
    o.put("status", r.status().code());
    if (r.institution() != null) {
      o.put("institution", r.institution());
    }
    if (r.reference() != null) {
      o.put("reference", r.reference());
    }
    if (r.outcome() != null) {
      o.put("outcome", r.outcome().code());
    }
    o.put("reply_sha256", p.replyHex());
  }

  static void encode(ObjectNode o, CaseAction.ReferralUpdate u) {
    o.put("referral", u.referral().hex());
    o.put("stage", u.stage().wire());
    o.put("date", u.date().toString());
    if (u.note() != null) {
      o.put("note", u.note());
    }
  }

  static CaseAction statusPublished(JsonNode root) throws InvalidContentException {
    String status = CaseContent.text(root, "status");
    byte[] reply = HexFormat.of().parseHex(CaseContent.strictHex(root, "reply_sha256", 32));
    // The published record is re-parsed by its own strict parser (record v1 of the status page).
    ObjectNode record = root.deepCopy();
    record.remove(java.util.List.of("type", "reply_sha256"));
    SourceProgress progress;
    try {
      progress = SourceProgress.parse(record.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (SourceProgress.InvalidProgressException e) {
      throw new InvalidContentException("case event content of type status_published is invalid: "
          + e.getMessage());
    }
    if (!progress.status().code().equals(status)) {
      throw new InvalidContentException("field 'status' is not one of the allowed values");
    }
    return CaseContent.only(root, new CaseAction.StatusPublished(progress, reply),
        "n", "status", "institution", "reference", "outcome", "reply_sha256");
  }

  static void encode(ObjectNode o, CaseAction.ContentRewrap r) {
    o.put("event", r.event().hex());
    o.put("header", java.util.Base64.getEncoder().encodeToString(r.header()));
  }

  static CaseAction contentRewrap(JsonNode root) throws InvalidContentException {
    String b64 = CaseContent.text(root, "header");
    if (b64.length() > (CaseAction.ContentRewrap.MAX_HEADER + 2) / 3 * 4) {
      throw new InvalidContentException("field 'header' is too long");
    }
    byte[] header;
    try {
      header = java.util.Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new InvalidContentException("field 'header' must be standard base64");
    }
    if (!java.util.Base64.getEncoder().encodeToString(header).equals(b64)) {
      throw new InvalidContentException("field 'header' must be canonical base64");
    }
    return CaseContent.only(root, new CaseAction.ContentRewrap(
        EventId.fromHex(CaseContent.strictHex(root, "event", 32)), header), "event", "header");
  }

  static CaseAction referralUpdate(JsonNode root) throws InvalidContentException {
    LocalDate date;
    try {
      date = LocalDate.parse(CaseContent.text(root, "date"));
    } catch (DateTimeParseException e) {
      throw new InvalidContentException("field 'date' must be YYYY-MM-DD");
    }
    String note = root.has("note") ? CaseContent.text(root, "note") : null;
    return CaseContent.only(root, new CaseAction.ReferralUpdate(
        EventId.fromHex(CaseContent.strictHex(root, "referral", 32)),
        WireName.parse(ReferralStage.class, CaseContent.text(root, "stage")), date, note),
        "referral", "stage", "date", "note");
  }
}
