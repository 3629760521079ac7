package org.testigo.cli.cases;

import java.text.MessageFormat;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;

/**
 * The case-management text of {@code show}, {@code history}, {@code export} and {@code sync}
 * in one reviewer language ({@link ReportRenderer#LANGUAGES}: es, the default, or en), from
 * the bundles {@code org/testigo/cli/cases/case{,_en}.properties}: statuses, priorities,
 * outcomes, referral targets, deadlines, replay flags and reasons, and every event with its
 * details. Nothing of another language is mixed in; codes a reviewer types (ids, labels,
 * state codes, reference numbers) and times (ISO 8601, UTC) stay as they are. Text that came
 * from a person (notes, replies, references, institution names, aliases) passes through
 * {@link Text}.
 */
public final class CaseText {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
  /** The replay's reasons (English, from {@link CaseReplay}) and their keys. */
  private static final Map<String, String> REASONS = Map.of(
      "the case is closed; reopen it first", "reason.closed",
      "status referred needs a recorded referral", "reason.referredNeedsReferral",
      "outcome referred needs a recorded referral", "reason.referredNeedsReferral",
      "a case cannot be linked to itself", "reason.selfLink",
      "the case is not closed", "reason.notClosed",
      "an earlier event of this case is not known yet", "reason.missing",
      "Lamport counter not after its parents", "reason.lamport",
      "content cannot be opened with this key", "reason.unreadable",
      "signed for another case", "reason.wrongCase",
      "the case is not under legal hold", "reason.notHeld");

  private final String language;
  private final ResourceBundle bundle;
  private final ReportRenderer labels;

  /**
   * @throws CliException (usage) for a language other than es or en
   */
  public CaseText(String language) {
    if (!ReportRenderer.LANGUAGES.contains(language)) {
      throw new CliException(ExitCodes.USAGE, "--lang must be one of " + ReportRenderer.LANGUAGES);
    }
    this.language = language;
    this.bundle = ResourceBundle.getBundle("org.testigo.cli.cases.case",
        "en".equals(language) ? Locale.ENGLISH : Locale.ROOT,
        ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    this.labels = new ReportRenderer(language);
  }

  public String language() {
    return language;
  }

  /** The text of a key. */
  public String get(String key) {
    return bundle.getString(key);
  }

  /** The text of a key with its arguments (all strings, so no locale number formatting). */
  public String format(String key, Object... args) {
    Object[] texts = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      texts[i] = String.valueOf(args[i]);
    }
    return new MessageFormat(bundle.getString(key), Locale.ROOT).format(texts);
  }

  public String status(Status s) {
    return get("status." + s.wire());
  }

  public String priority(Priority p) {
    return get("priority." + p.wire());
  }

  public String outcome(Outcome o) {
    return get("outcome." + o.wire());
  }

  public String flag(CaseState.Flag f) {
    return get("flag." + f.name().toLowerCase(Locale.ROOT));
  }

  /** A replay reason in this language (an unknown one is shown as given, made safe). */
  public String reason(String reason) {
    String key = reasonKey(reason);
    return key == null ? Text.cell(reason, 120) : get(key);
  }

  /** The bundle key of one of the replay's reasons ({@code reason.closed}, ...), or null. */
  static String reasonKey(String reason) {
    return reason == null ? null : REASONS.get(reason);
  }

  /** The name of a reply's language (its code when the questionnaire labels do not know it). */
  public String languageName(String code) {
    return labels.label("lang." + code);
  }

  /** An instant as {@code 2026-03-03 16:20 UTC}. */
  public static String time(Instant t) {
    return t == null ? "-" : TIME.format(t);
  }

  /** A referral: the institution (with the state or the name) and the reference and date. */
  public String referral(CaseAction.Refer r) {
    String to = get("target." + r.to().wire()) + (r.state() == null ? "" : " " + r.state())
        + (r.institution() == null ? "" : " " + Text.cell(r.institution(), 200));
    return format("event.refer", to, Text.cell(r.reference(), 200), r.date());
  }

  /**
   * One event on one line: what it did, with its details (a note's and a reply's text are
   * not on this line; see {@link #body}).
   */
  public String describe(CaseAction a) {
    if (a == null) {
      return get("event.unreadable");
    }
    if (a instanceof CaseAction.Acknowledge) {
      return get("event.acknowledge");
    } else if (a instanceof CaseAction.Assign as) {
      return as.assignee() == null ? get("event.unassign") : format("event.assign", Text.cell(as.assignee(), 32));
    } else if (a instanceof CaseAction.SetStatus s) {
      return format("event.status", status(s.status()));
    } else if (a instanceof CaseAction.SetPriority p) {
      return format("event.priority", priority(p.priority()));
    } else if (a instanceof CaseAction.Label l) {
      return format(l.add() ? "event.labelAdd" : "event.labelRemove", l.label());
    } else if (a instanceof CaseAction.Note) {
      return get("event.note");
    } else if (a instanceof CaseAction.Refer r) {
      return referral(r);
    } else if (a instanceof CaseAction.Close c) {
      return format("event.close", outcome(c.outcome()));
    } else if (a instanceof CaseAction.Link l) {
      return format("event.link", get("relation." + l.relation().wire()), l.other().hex());
    } else if (a instanceof CaseAction.ReplySent r) {
      return r.kept() ? format("event.reply", languageName(r.language()))
          : format("event.replyNotKept", CaseAction.ReplySent.TEXT_KEPT_SINCE);
    } else if (a instanceof CaseAction.FeedbackGiven) {
      return get("event.feedback");
    } else if (a instanceof CaseAction.Reopen) {
      return get("event.reopen");
    } else if (a instanceof CaseAction.LegalHold h) {
      return h.set() ? format("event.holdSet", Text.cell(h.reference(), 200)) : get("event.holdRelease");
    } else if (a instanceof CaseAction.Erasure e) {
      return format("event.erasure", get("erasure.reason." + e.reason()), get("erasure.basis." + e.basis()));
    }
    String detail = ProgressLines.detail(a, this);
    return detail != null ? detail : a.type();
  }

  /** The free text an event carries (a note's, a kept reply's), or null. */
  public static String body(CaseAction a) {
    if (a instanceof CaseAction.Note n) {
      return n.text();
    }
    if (a instanceof CaseAction.ReplySent r && r.kept()) {
      return r.text();
    }
    return null;
  }

  /** "new; assigned to: maria; priority: high; labels: inm, minor". */
  public String summary(CaseState st) {
    return format("case.summary", status(st.status()),
        st.assignee() == null ? get("case.nobody") : Text.cell(st.assignee(), 32), priority(st.priority()),
        st.labels().isEmpty() ? get("case.none") : String.join(", ", st.labels()));
  }

  /**
   * The case lines of {@code show} and of export's report.txt: status, outcome, deadlines,
   * the follow-up-after-close mark, referrals, replies (full text, who sent them, in which
   * language), notes (full text) and links.
   */
  public List<String> caseLines(CaseState st, Collection<LocalDate> followUpDays, Instant now) {
    List<String> lines = new ArrayList<>();
    lines.add(String.format("%-28s %s", get("case.status") + ":", summary(st)));
    if (st.outcome() != null) {
      lines.add(String.format("%-28s %s (%s)", get("case.outcome") + ":", outcome(st.outcome()), time(st.closedAt())));
    }
    if (st.held()) {
      lines.add(String.format("%-28s %s", get("case.hold") + ":", Text.cell(st.legalHold(), 200)));
    }
    LocalDate after = st.followUpAfterClose(followUpDays);
    if (after != null) {
      lines.add("  " + format("case.followUpAfterClose", after, st.closedAt().atZone(ZoneOffset.UTC).toLocalDate(),
          st.caseId().hex()));
    }
    for (CaseState.DeadlineStatus d : st.deadlines(now, Deadlines.DEFAULT)) {
      String kind = get("deadline." + d.kind().name().toLowerCase(Locale.ROOT));
      String state = get("deadline." + d.state().name().toLowerCase(Locale.ROOT));
      lines.add("  " + (d.metAt() == null ? format("case.deadline", kind, state, time(d.due()))
          : format("case.deadlineMet", kind, state, time(d.due()), time(d.metAt()))));
    }
    if (!st.referrals().isEmpty()) {
      lines.add(get("case.referrals") + ":");
      for (var r : st.referrals()) {
        lines.add("  " + referral(r.action()) + " " + format("case.by", Text.cell(r.author(), 32), time(r.at())));
      }
    }
    if (!st.replies().isEmpty()) {
      lines.add(get("case.replies") + ":");
      for (var r : st.replies()) {
        CaseAction.ReplySent a = r.action();
        if (a.kept()) {
          lines.add("  " + format("case.replyBy", Text.cell(r.author(), 32), time(r.at()), languageName(a.language())));
          lines.add(indent(a.text()));
        } else {
          lines.add("  " + format("case.by", Text.cell(r.author(), 32), time(r.at())) + " " + describe(a));
        }
      }
    }
    if (!st.notes().isEmpty()) {
      lines.add(get("case.notes") + ":");
      for (var n : st.notes()) {
        lines.add("  " + format("case.by", Text.cell(n.author(), 32), time(n.at())));
        lines.add(indent(n.action().text()));
      }
    }
    if (!st.links().isEmpty()) {
      lines.add(get("case.links") + ":");
      for (var k : st.links()) {
        lines.add("  " + describe(k.action()) + " " + format("case.by", Text.cell(k.author(), 32), time(k.at())));
      }
    }
    return lines;
  }

  /**
   * The trail as {@code history} prints it: a title, one line per event in replay order
   * (time, author, counter, what it did with its details, replay flag and reason, event id)
   * with a note's or reply's text indented below, then the state now.
   */
  public String history(String caseId, String receivedDay, CaseState state, int refused) {
    StringBuilder b = new StringBuilder();
    b.append(format("history.title", caseId, receivedDay, state.history().size())).append('\n');
    for (CaseState.HistoryEntry h : state.history()) {
      b.append(String.format("%s  %-16s  #%-3d %s  [%s%s]  %s%n", time(h.createdAt()), Text.cell(h.author(), 16),
          h.lamport(), describe(h.action()), flag(h.flag()), h.reason() == null ? "" : ": " + reason(h.reason()),
          h.eventId().hex().substring(0, 16)));
      String body = body(h.action());
      if (body != null) {
        b.append(indent(body)).append('\n');
      }
    }
    b.append(format("history.now", summary(state))).append('\n');
    if (refused > 0) {
      b.append(format("history.refused", refused)).append('\n');
    }
    return b.toString();
  }

  /** Free text, made safe, every line indented by four spaces. */
  static String indent(String text) {
    return "    " + Text.safe(text).strip().replace("\n", "\n    ");
  }
}
