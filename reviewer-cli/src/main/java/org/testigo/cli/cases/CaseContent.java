package org.testigo.cli.cases;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.testigo.crypto.event.CaseId;

/**
 * Content JSON v1 of a case event: the plaintext sealed inside the {@code case-event}
 * envelope. One UTF-8 JSON object, {@code {"v":1,"type":...,<fields of the type>}}; see
 * docs/spec/case-events.md for the schema.
 *
 * <p>{@link #parse} is strict: exactly the fields of the type, no others, no duplicate keys,
 * values of the right JSON kind and range, {@code "v"} equal to 1. Failures throw
 * {@link InvalidContentException} whose message names the field, never the value.
 * {@link #encode} writes a fixed field order, so encode(parse(x)) is stable.
 */
public final class CaseContent {
  public static final int VERSION = 1;
  /** Largest content accepted (a 20,000-character note is at most ~60 KiB of UTF-8). */
  public static final int MAX_BYTES = 128 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final HexFormat HEX = HexFormat.of();

  private CaseContent() {}

  /** Thrown for content that is not valid content JSON v1. */
  public static final class InvalidContentException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidContentException(String message) {
      super(message, null, false, false);
    }
  }

  /** The canonical UTF-8 JSON of {@code action}. */
  public static byte[] encode(CaseAction action) {
    ObjectNode o = JSON.createObjectNode();
    o.put("v", VERSION);
    o.put("type", action.type());
    if (action instanceof CaseAction.Assign a) {
      if (a.assignee() == null) {
        o.putNull("assignee");
      } else {
        o.put("assignee", a.assignee());
      }
    } else if (action instanceof CaseAction.SetStatus s) {
      o.put("status", s.status().wire());
    } else if (action instanceof CaseAction.SetPriority p) {
      o.put("priority", p.priority().wire());
    } else if (action instanceof CaseAction.Label l) {
      o.put("op", l.add() ? "add" : "remove");
      o.put("label", l.label());
    } else if (action instanceof CaseAction.Note n) {
      o.put("text", n.text());
    } else if (action instanceof CaseAction.Refer r) {
      o.put("to", r.to().wire());
      if (r.state() != null) {
        o.put("state", r.state());
      }
      if (r.institution() != null) {
        o.put("institution", r.institution());
      }
      o.put("reference", r.reference());
      o.put("date", r.date().toString());
    } else if (action instanceof CaseAction.Close c) {
      o.put("outcome", c.outcome().wire());
    } else if (action instanceof CaseAction.Link l) {
      o.put("case", l.other().hex());
      o.put("relation", l.relation().wire());
    } else if (action instanceof CaseAction.ReplySent r) {
      o.put("reply_sha256", r.replyHex());
      if (r.kept()) {
        o.put("text", r.text());
        o.put("language", r.language());
      }
    } else if (action instanceof CaseAction.StatusPublished p) {
      ProgressContent.encode(o, p);
    } else if (action instanceof CaseAction.ReferralUpdate u) {
      ProgressContent.encode(o, u);
    } else if (action instanceof CaseAction.ContentRewrap r) {
      ProgressContent.encode(o, r);
    } else if (action instanceof CaseAction.LegalHold h) {
      o.put("op", h.set() ? "set" : "release");
      if (h.set()) {
        o.put("reference", h.reference());
      }
    } else if (action instanceof CaseAction.Erasure e) {
      o.put("reason", e.reason());
      o.put("basis", e.basis());
      o.set("record", e.record().toJson());
    }
    try {
      return JSON.writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("JSON encoding of a tree cannot fail", e);
    }
  }

  /** Parses and validates content JSON v1. */
  public static CaseAction parse(byte[] json) throws InvalidContentException {
    if (json == null || json.length == 0 || json.length > MAX_BYTES) {
      throw new InvalidContentException("case event content is empty or too large");
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new InvalidContentException("case event content is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new InvalidContentException("case event content is not a JSON object");
    }
    JsonNode v = root.get("v");
    if (v == null || !v.isIntegralNumber() || v.asLong() != VERSION) {
      throw new InvalidContentException("case event content version is not 1");
    }
    String type = text(root, "type");
    try {
      return switch (type) {
        case "acknowledge" -> only(root, new CaseAction.Acknowledge());
        case "assign" -> {
          JsonNode a = root.get("assignee");
          if (a == null || !(a.isNull() || a.isTextual())) {
            throw new InvalidContentException("field 'assignee' must be an alias or null");
          }
          yield only(root, new CaseAction.Assign(a.isNull() ? null : a.asText()), "assignee");
        }
        case "status" -> only(root, new CaseAction.SetStatus(
            WireName.parse(Status.class, text(root, "status"))), "status");
        case "priority" -> only(root, new CaseAction.SetPriority(
            WireName.parse(Priority.class, text(root, "priority"))), "priority");
        case "label" -> {
          String op = text(root, "op");
          if (!op.equals("add") && !op.equals("remove")) {
            throw new InvalidContentException("field 'op' must be add or remove");
          }
          yield only(root, new CaseAction.Label(text(root, "label"), op.equals("add")),
              "op", "label");
        }
        case "note" -> only(root, new CaseAction.Note(text(root, "text")), "text");
        case "refer" -> {
          String state = root.has("state") ? text(root, "state") : null;
          String inst = root.has("institution") ? text(root, "institution") : null;
          LocalDate date;
          try {
            date = LocalDate.parse(text(root, "date"));
          } catch (DateTimeParseException e) {
            throw new InvalidContentException("field 'date' must be YYYY-MM-DD");
          }
          yield only(root, new CaseAction.Refer(
              WireName.parse(ReferralTarget.class, text(root, "to")), state, inst,
              text(root, "reference"), date), "to", "state", "institution", "reference", "date");
        }
        case "close" -> only(root, new CaseAction.Close(
            WireName.parse(Outcome.class, text(root, "outcome"))), "outcome");
        case "link" -> only(root, new CaseAction.Link(CaseId.fromHex(strictHex(root, "case", 16)),
            WireName.parse(LinkRelation.class, text(root, "relation"))), "case", "relation");
        case "reply_sent" -> {
          if (root.has("text") != root.has("language")) {
            throw new InvalidContentException("fields 'text' and 'language' of reply_sent go together");
          }
          String replyText = root.has("text") ? text(root, "text") : null;
          String language = root.has("language") ? text(root, "language") : null;
          yield only(root, new CaseAction.ReplySent(HEX.parseHex(strictHex(root, "reply_sha256", 32)),
              replyText, language), "reply_sha256", "text", "language");
        }
        case "reopen" -> only(root, new CaseAction.Reopen());
        case "feedback_given" -> only(root, new CaseAction.FeedbackGiven());
        case "status_published" -> ProgressContent.statusPublished(root);
        case "referral_update" -> ProgressContent.referralUpdate(root);
        case "content_rewrap" -> ProgressContent.contentRewrap(root);
        case "legal_hold" -> {
          String op = text(root, "op");
          if (!op.equals("set") && !op.equals("release")) {
            throw new InvalidContentException("field 'op' must be set or release");
          }
          yield op.equals("set")
              ? only(root, new CaseAction.LegalHold(true, text(root, "reference")), "op", "reference")
              : only(root, new CaseAction.LegalHold(false, null), "op");
        }
        case "erasure" -> only(root, new CaseAction.Erasure(text(root, "reason"), text(root, "basis"),
            StatsRecord.parse(root.get("record"))), "reason", "basis", "record");
        default -> throw new InvalidContentException("unknown case event type");
      };
    } catch (IllegalArgumentException e) {
      throw new InvalidContentException("case event content of type " + type
          + " is invalid: " + e.getMessage());
    }
  }

  /** Parses UTF-8 text (convenience for tests and files). */
  public static CaseAction parse(String json) throws InvalidContentException {
    return parse(json.getBytes(StandardCharsets.UTF_8));
  }

  static String text(JsonNode root, String field) throws InvalidContentException {
    JsonNode n = root.get(field);
    if (n == null || !n.isTextual()) {
      throw new InvalidContentException("field '" + field + "' must be a string");
    }
    return n.asText();
  }

  static String strictHex(JsonNode root, String field, int bytes)
      throws InvalidContentException {
    String s = text(root, field);
    if (s.length() != bytes * 2 || !s.chars().allMatch(c -> c >= '0' && c <= '9'
        || c >= 'a' && c <= 'f')) {
      throw new InvalidContentException("field '" + field + "' must be " + bytes * 2
          + " lowercase hex characters");
    }
    return s;
  }

  static CaseAction only(JsonNode root, CaseAction action, String... fields)
      throws InvalidContentException {
    Set<String> allowed = new HashSet<>(Set.of(fields));
    allowed.add("v");
    allowed.add("type");
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      if (!allowed.contains(it.next().getKey())) {
        throw new InvalidContentException("unexpected field in case event content");
      }
    }
    return action;
  }
}
