package org.testigo.cli.cases;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.testigo.api.questionnaire.AbuseCategory;
import org.testigo.api.questionnaire.MxState;
import org.testigo.api.questionnaire.Perpetrator;
import org.testigo.api.questionnaire.Vocabulary;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.Folding;
import org.testigo.cli.common.ExitCodes;

/**
 * Which reports {@code list} shows and {@code close --filter} closes. The same conditions as
 * {@code list}'s options, written {@code KEY=VALUE} or {@code KEY} and joined by commas, all of
 * which must hold: {@code status=new}, {@code assignee=maria}, {@code category=extortion},
 * {@code state=CHP}, {@code agency=inm}, {@code overdue}, {@code malformed} (opens, but is not
 * a valid report), {@code spam} (closed as spam; hidden otherwise unless a status is asked).
 * Example: {@code --filter malformed,status=new}.
 */
final class ListFilter {
  String status;
  String assignee;
  String category;
  String state;
  String agency;
  boolean overdue;
  boolean malformed;
  boolean spam;

  /** Adds the conditions of one {@code --filter} expression; exit 2 with the valid keys on a bad one. */
  ListFilter add(String expression) {
    for (String term : expression.split(",")) {
      String t = term.strip();
      if (t.isEmpty()) {
        continue;
      }
      int eq = t.indexOf('=');
      String key = (eq < 0 ? t : t.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
      String value = eq < 0 ? null : t.substring(eq + 1).strip();
      boolean flag = switch (key) {
        case "overdue" -> overdue = true;
        case "malformed" -> malformed = true;
        case "spam" -> spam = true;
        default -> false;
      };
      if (flag) {
        if (value != null) {
          throw usage("'" + key + "' takes no value");
        }
        continue;
      }
      if (value == null || value.isEmpty()) {
        throw usage("'" + key + "' needs a value (" + key + "=...)");
      }
      switch (key) {
        case "status" -> status = TriageCommands.parse(Status.class, value).name();
        case "assignee" -> assignee = value;
        case "category" -> category = category(value);
        case "state" -> state = state(value);
        case "agency" -> agency = agency(value);
        default -> throw usage("unknown filter key '" + key + "'");
      }
    }
    return this;
  }

  static String category(String value) {
    return code(AbuseCategory.class, "category", "what", value.strip().toLowerCase(Locale.ROOT));
  }

  static String state(String value) {
    return code(MxState.class, "state", "state", value.strip().toUpperCase(Locale.ROOT));
  }

  static String agency(String value) {
    return code(Perpetrator.class, "agency", "who", value.strip().toLowerCase(Locale.ROOT));
  }

  /**
   * {@code value} if it is a code of questionnaire v1's list {@code type}, or the code whose
   * label (as {@code show} prints it, in Spanish or English; accents and case aside) it is:
   * {@code extorsion}, {@code Extorsión} and {@code extortion} all give {@code extortion},
   * {@code chiapas} gives {@code CHP}. Otherwise a usage error that lists the codes with their
   * labels (a misspelt value would silently match nothing).
   */
  private static <E extends Enum<E> & Vocabulary> String code(Class<E> type, String key, String labelPrefix,
      String value) {
    if (Vocabulary.find(type, value).isPresent()) {
      return value;
    }
    ReportRenderer es = new ReportRenderer("es");
    ReportRenderer en = new ReportRenderer("en");
    String wanted = Folding.fold(value);
    List<String> choices = new ArrayList<>();
    for (String c : Vocabulary.codes(type)) {
      String labelEs = es.label(labelPrefix + "." + c);
      if (wanted.equals(Folding.fold(labelEs)) || wanted.equals(Folding.fold(en.label(labelPrefix + "." + c)))) {
        return c;
      }
      choices.add(c + " (" + labelEs + ")");
    }
    throw new CliException(ExitCodes.USAGE, "the " + key + " given is neither a code nor a label of questionnaire"
        + " v1; one of: " + String.join(", ", choices));
  }


  private static CliException usage(String what) {
    return new CliException(ExitCodes.USAGE, "--filter: " + what + "; keys: status=S, assignee=A, category=C,"
        + " state=CODE, agency=W, overdue, malformed, spam, joined by commas (e.g. malformed,status=new)");
  }

  /** True if no condition is set. */
  boolean isEmpty() {
    return status == null && assignee == null && category == null && state == null && agency == null && !overdue
        && !malformed && !spam;
  }

  boolean matches(ReportIndex.Entry e, CaseState st, Instant now) {
    boolean isSpam = st.status() == Status.CLOSED && st.outcome() == Outcome.SPAM;
    if (spam != isSpam && !(status != null && isSpam)) {
      return false;
    }
    if (malformed && e.kind() != ReportIndex.Kind.MALFORMED) {
      return false;
    }
    return (category == null || e.what().contains(category))
        && (state == null || state.equalsIgnoreCase(e.state() == null ? "" : e.state()))
        && (agency == null || e.who().contains(agency))
        && (status == null || st.status().name().equals(status))
        && (assignee == null || assignee.equals(st.assignee()))
        && (!overdue || st.isOverdue(now, Deadlines.DEFAULT));
  }
}
