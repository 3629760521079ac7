package org.testigo.cli.cases;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.testigo.api.progress.SourceProgress;
import org.testigo.api.questionnaire.MxState;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.identity.Alias;

/**
 * What a case event does: the decrypted content of a case event, one record per event
 * type of content JSON v1 (see {@link CaseContent}). Every record validates its fields on
 * construction and throws {@link IllegalArgumentException} with a message that never
 * repeats the rejected value.
 */
public sealed interface CaseAction {
  /** The {@code type} string of content JSON v1. */
  String type();

  /** Longest note, in UTF-16 units. */
  int MAX_NOTE_CHARS = 20_000;
  /** Labels are short ASCII tags such as {@code inm}, {@code extortion}, {@code minor}. */
  Pattern LABEL = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");

  /** The case has been seen and the source's report is acknowledged. */
  record Acknowledge() implements CaseAction {
    public String type() {
      return "acknowledge";
    }
  }

  /** Assigns the case to a reviewer alias, or unassigns it ({@code assignee} null). */
  record Assign(String assignee) implements CaseAction {
    public Assign {
      if (assignee != null && !Alias.isValid(assignee)) {
        throw new IllegalArgumentException("assignee is not a valid reviewer alias");
      }
    }

    public String type() {
      return "assign";
    }
  }

  /** Moves an open case, or reopens a closed one. Neither NEW nor CLOSED may be set here. */
  record SetStatus(Status status) implements CaseAction {
    public SetStatus {
      if (status == null || status == Status.NEW || status == Status.CLOSED) {
        throw new IllegalArgumentException(
            "status must be acknowledged, under_review, investigating or referred");
      }
    }

    public String type() {
      return "status";
    }
  }

  record SetPriority(Priority priority) implements CaseAction {
    public SetPriority {
      if (priority == null) {
        throw new IllegalArgumentException("priority is required");
      }
    }

    public String type() {
      return "priority";
    }
  }

  /** Adds ({@code add} true) or removes a label. */
  record Label(String label, boolean add) implements CaseAction {
    public Label {
      if (label == null || !LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException("a label is 1-40 characters of [a-z0-9_-]");
      }
    }

    public String type() {
      return "label";
    }
  }

  record Note(String text) implements CaseAction {
    public Note {
      if (text == null || text.isBlank() || text.length() > MAX_NOTE_CHARS) {
        throw new IllegalArgumentException("a note is 1 to 20000 characters, not blank");
      }
    }

    public String type() {
      return "note";
    }
  }

  /**
   * A referral to an institution. {@code state} is required exactly for state institutions;
   * {@code institution} (free text) exactly for {@link ReferralTarget#OTHER}.
   */
  record Refer(ReferralTarget to, String state, String institution, String reference,
      LocalDate date) implements CaseAction {
    public Refer {
      if (to == null || date == null) {
        throw new IllegalArgumentException("a referral needs a target and a date");
      }
      if (to.needsState() != (state != null)
          || state != null && MxState.fromCode(state).isEmpty()) {
        throw new IllegalArgumentException(
            "a state institution needs a state code (ISO 3166-2:MX); others take none");
      }
      if ((to == ReferralTarget.OTHER) != (institution != null)
          || institution != null && !shortText(institution)) {
        throw new IllegalArgumentException(
            "'other' needs the institution's name (1-200 characters); others take none");
      }
      if (!shortText(reference)) {
        throw new IllegalArgumentException("a reference number is 1-200 characters");
      }
    }

    public String type() {
      return "refer";
    }
  }

  /** Closes the case with an outcome. */
  record Close(Outcome outcome) implements CaseAction {
    public Close {
      if (outcome == null) {
        throw new IllegalArgumentException("closing needs an outcome");
      }
    }

    public String type() {
      return "close";
    }
  }

  /** Links this case to another one. */
  record Link(CaseId other, LinkRelation relation) implements CaseAction {
    public Link {
      if (other == null || relation == null) {
        throw new IllegalArgumentException("a link needs a case id and a relation");
      }
    }

    public String type() {
      return "link";
    }
  }

  /**
   * A reply was posted to the source's mailbox; {@code replySha256} hashes its envelope.
   * Since reviewer 0.1.0 the event also keeps the reply's {@code text} and its
   * {@code language} (both or neither), sealed to the team like a note; events written before
   * carry only the hash ({@link #kept()} false).
   */
  record ReplySent(byte[] replySha256, String text, String language) implements CaseAction {
    /** The version of the reviewer tool from which replies keep their text. */
    public static final String TEXT_KEPT_SINCE = "0.1.0";
    /** A reply's language: an ISO 639 code, lower case ({@code und} when unknown). */
    public static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}");

    public ReplySent {
      if (replySha256 == null || replySha256.length != 32) {
        throw new IllegalArgumentException("the reply hash is 32 bytes");
      }
      if ((text == null) != (language == null)) {
        throw new IllegalArgumentException("a kept reply has both its text and its language");
      }
      if (text != null && (text.isBlank() || text.length() > MAX_NOTE_CHARS)) {
        throw new IllegalArgumentException("a reply's text is 1 to 20000 characters, not blank");
      }
      if (language != null && !LANGUAGE.matcher(language).matches()) {
        throw new IllegalArgumentException("a reply's language is 2 or 3 lowercase letters (ISO 639)");
      }
      replySha256 = replySha256.clone();
    }

    /** A reply of which only the hash is recorded (the form before {@link #TEXT_KEPT_SINCE}). */
    public ReplySent(byte[] replySha256) {
      this(replySha256, null, null);
    }

    /** True when the event keeps the text (and language) of the reply. */
    public boolean kept() {
      return text != null;
    }

    @Override
    public byte[] replySha256() {
      return replySha256.clone();
    }

    public String replyHex() {
      return HexFormat.of().formatHex(replySha256);
    }

    public String type() {
      return "reply_sent";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ReplySent r && Arrays.equals(replySha256, r.replySha256)
          && java.util.Objects.equals(text, r.text) && java.util.Objects.equals(language, r.language);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(replySha256) * 31 + java.util.Objects.hash(text, language);
    }

    @Override
    public String toString() {
      return "ReplySent[" + replyHex() + (kept() ? ", " + language + ", " + text.length() + " chars" : "") + "]";
    }
  }

  /**
   * Brings a closed case back to the open status it had before it was closed (clears the
   * outcome); refused on an open case. No fields.
   */
  record Reopen() implements CaseAction {
    public String type() {
      return "reopen";
    }
  }

  /** The first substantive feedback was given to the source (stops the feedback clock). */
  record FeedbackGiven() implements CaseAction {
    public String type() {
      return "feedback_given";
    }
  }

  /**
   * A status line was published to the source (sealed to their reply key, shown on the status
   * page); {@code progress} is exactly what was published, {@code replySha256} hashes the reply
   * envelope that carried it. Checks: {@link SourceProgress}.
   */
  record StatusPublished(SourceProgress progress, byte[] replySha256) implements CaseAction {
    public StatusPublished {
      if (progress == null || replySha256 == null || replySha256.length != 32) {
        throw new IllegalArgumentException("a published status needs the record and its reply's 32-byte hash");
      }
      replySha256 = replySha256.clone();
    }

    @Override
    public byte[] replySha256() {
      return replySha256.clone();
    }

    public String replyHex() {
      return HexFormat.of().formatHex(replySha256);
    }

    public String type() {
      return "status_published";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof StatusPublished p && progress.equals(p.progress) && Arrays.equals(replySha256, p.replySha256);
    }

    @Override
    public int hashCode() {
      return progress.hashCode() * 31 + Arrays.hashCode(replySha256);
    }
  }

  /**
   * What an institution did with a referral: {@code referral} is the event id of the applied
   * {@code refer} event, {@code stage} must suit its institution ({@link ReferralStage}),
   * {@code date} is when it happened; {@code note} is optional (1..2000 characters).
   */
  record ReferralUpdate(org.testigo.crypto.event.EventId referral, ReferralStage stage, LocalDate date,
      String note) implements CaseAction {
    public static final int MAX_NOTE_CHARS = 2000;

    public ReferralUpdate {
      if (referral == null || stage == null || date == null) {
        throw new IllegalArgumentException("a referral update needs the referral, a stage and a date");
      }
      if (note != null && (note.isBlank() || note.length() > MAX_NOTE_CHARS)) {
        throw new IllegalArgumentException("a referral update's note is 1 to 2000 characters, not blank");
      }
    }

    public String type() {
      return "referral_update";
    }
  }

  /**
   * The file key of an earlier event's content, re-sealed to the reviewers of the manifest in
   * force now: {@code header} is a new envelope header for the content of event {@code event}
   * (same context and payload salt, {@code Envelope.isRewrapOf}). It changes no state; readers
   * who could not open the original use it (rules: {@link ContentRewraps}).
   */
  record ContentRewrap(org.testigo.crypto.event.EventId event, byte[] header) implements CaseAction {
    /** The largest v1 header: 64 stanzas and a 64-byte context. */
    public static final int MAX_HEADER = 77_001;

    public ContentRewrap {
      if (event == null || header == null || header.length == 0 || header.length > MAX_HEADER) {
        throw new IllegalArgumentException("a content rewrap names an event and carries a header of 1-77001 bytes");
      }
      header = header.clone();
    }

    @Override
    public byte[] header() {
      return header.clone();
    }

    public String type() {
      return "content_rewrap";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ContentRewrap r && event.equals(r.event) && Arrays.equals(header, r.header);
    }

    @Override
    public int hashCode() {
      return event.hashCode() * 31 + Arrays.hashCode(header);
    }

    @Override
    public String toString() {
      return "ContentRewrap[" + event.hex() + ", " + header.length + " bytes]";
    }
  }

  /**
   * Puts the case under legal hold ({@code set}, with the {@code reference} of the order or
   * request that requires it, 1..200 characters) or releases it. A case under hold is never
   * due for erasure (docs/spec/retention-and-erasure.md §4).
   */
  record LegalHold(boolean set, String reference) implements CaseAction {
    public LegalHold {
      if (set != (reference != null) || reference != null && !shortText(reference)) {
        throw new IllegalArgumentException(
            "a hold needs the reference of the order or request (1-200 characters, no control characters);"
                + " a release takes none");
      }
    }

    public String type() {
      return "legal_hold";
    }
  }

  /**
   * The case is to be erased for {@code reason} ({@code retention_due}, {@code spam},
   * {@code source_request}, {@code duplicate}, {@code other}) on the {@code basis} of the
   * policy or before it ({@code early}); {@code record} is the statistical record that
   * survives it. No other effect on the case state: the erasure takes effect when its signed
   * decision is applied (docs/spec/retention-and-erasure.md §4).
   */
  record Erasure(String reason, String basis, StatsRecord record) implements CaseAction {
    /** The reasons of an erasure decision v1, by code 1..5. */
    public static final java.util.List<String> REASONS =
        java.util.List.of("retention_due", "spam", "source_request", "duplicate", "other");
    /** The bases of an erasure decision v1, by code 1..2. */
    public static final java.util.List<String> BASES = java.util.List.of("policy", "early");

    public Erasure {
      if (!REASONS.contains(reason) || !BASES.contains(basis) || record == null) {
        throw new IllegalArgumentException("an erasure needs a known reason, a basis (policy or early) and its"
            + " statistical record");
      }
    }

    public String type() {
      return "erasure";
    }
  }

  private static boolean shortText(String s) {
    if (s == null || s.isBlank() || s.length() > 200 || !s.strip().equals(s)) {
      return false;
    }
    return s.chars().noneMatch(Character::isISOControl);
  }
}
