package org.testigo.shelter;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.testigo.api.questionnaire.AbuseCategory;
import org.testigo.api.questionnaire.Minors;
import org.testigo.api.questionnaire.MxState;
import org.testigo.api.questionnaire.Perpetrator;
import org.testigo.api.questionnaire.PlaceKind;
import org.testigo.api.questionnaire.Vocabulary;
import org.testigo.api.questionnaire.Want;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;

/**
 * The questionnaire asked at the terminal in the migrant's language: closed lists as
 * numbered menus (several numbers separated by commas where several answers fit), free text
 * on one line, the narrative on several lines ended by a line holding only ".". An invalid
 * answer is asked again (at most five times).
 */
final class Interview {
  private static final int ATTEMPTS = 5;
  private final Terminal t;
  private final Lang lang;

  Interview(Terminal t, Lang lang) {
    this.t = t;
    this.lang = lang;
  }

  Answers run() throws IOException {
    Answers a = new Answers();
    a.what = many("q.what", "what", Vocabulary.codes(AbuseCategory.class));
    if (a.what.contains("other")) {
      a.whatOther = line("q.what_other");
    }
    a.who = many("q.who", "who", Vocabulary.codes(Perpetrator.class));
    if (a.who.contains("other")) {
      a.whoOther = line("q.who_other");
    }
    heading("q.identifying");
    a.uniform = line("q.uniform");
    a.badge = line("q.badge");
    a.plates = line("q.plates");
    a.unit = line("q.unit");
    heading("q.where");
    a.state = one("q.state", "state", Vocabulary.codes(MxState.class));
    a.place = line("q.place");
    a.placeKind = one("q.place_kind", "place", Vocabulary.codes(PlaceKind.class));
    heading("q.when");
    a.date = dated();
    a.approximate = line("q.when_approx");
    a.count = number("q.victims");
    a.minors = one("q.minors", "minors", Vocabulary.codes(Minors.class));
    if ("yes".equals(a.minors)) {
      a.minorsCount = number("q.minors_count");
    }
    a.narrative = narrative();
    a.wants = many("q.wants", "wants", Vocabulary.codes(Want.class));
    return a;
  }

  private void heading(String key) {
    t.out().println();
    t.out().println("== " + lang.question(key));
  }

  private void menu(String question, String prefix, List<String> values) {
    PrintWriter out = t.out();
    out.println();
    out.println(lang.question(question));
    for (int i = 0; i < values.size(); i++) {
      out.printf("  %2d) %s%n", i + 1, lang.question(prefix + "." + values.get(i)));
    }
  }

  private List<String> many(String question, String prefix, List<String> values)
      throws IOException {
    menu(question, prefix, values);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      String answer = t.ask(lang.text("menu.many"));
      List<String> chosen = new ArrayList<>();
      boolean ok = true;
      for (String part : answer.split("[,\\s]+")) {
        if (part.isEmpty()) {
          continue;
        }
        int n = index(part, values.size());
        if (n < 0) {
          ok = false;
          break;
        }
        if (!chosen.contains(values.get(n))) {
          chosen.add(values.get(n));
        }
      }
      if (ok) {
        return chosen;
      }
      t.out().println(lang.text("answer.invalid"));
    }
    throw tooManyAttempts();
  }

  private String one(String question, String prefix, List<String> values) throws IOException {
    menu(question, prefix, values);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      String answer = t.ask(lang.text("menu.one"));
      if (answer.isEmpty()) {
        return null;
      }
      int n = index(answer, values.size());
      if (n >= 0) {
        return values.get(n);
      }
      t.out().println(lang.text("answer.invalid"));
    }
    throw tooManyAttempts();
  }

  private String line(String question) throws IOException {
    return t.ask(lang.question(question) + " " + lang.text("text.optional"));
  }

  private String dated() throws IOException {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      String answer = t.ask(lang.question("q.date") + " " + lang.text("date.hint"));
      if (answer.isEmpty() || answer.matches("\\d{4}-\\d{2}-\\d{2}")) {
        return answer.isEmpty() ? null : answer;
      }
      t.out().println(lang.text("answer.invalid"));
    }
    throw tooManyAttempts();
  }

  private Integer number(String question) throws IOException {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      String answer = t.ask(lang.question(question) + " " + lang.text("number.hint"));
      if (answer.isEmpty()) {
        return null;
      }
      if (answer.matches("[0-9]{1,4}")) {
        return Integer.parseInt(answer);
      }
      t.out().println(lang.text("answer.invalid"));
    }
    throw tooManyAttempts();
  }

  private String narrative() throws IOException {
    t.out().println();
    t.out().println(lang.question("q.narrative"));
    t.out().println(lang.text("narrative.end"));
    StringBuilder text = new StringBuilder();
    while (true) {
      String l = t.ask(">");
      if (l.equals(".")) {
        break;
      }
      if (text.length() > 0) {
        text.append('\n');
      }
      text.append(l);
      if (text.length() > Answers.NARRATIVE * 2) {
        throw Answers.bad("narrative", "at most " + Answers.NARRATIVE + " characters");
      }
    }
    return text.toString();
  }

  private static int index(String text, int size) {
    if (!text.matches("[0-9]{1,3}")) {
      return -1;
    }
    int n = Integer.parseInt(text) - 1;
    return n >= 0 && n < size ? n : -1;
  }

  private static CliException tooManyAttempts() {
    return new CliException(ExitCodes.BAD_INPUT, "too many invalid answers; nothing was filed");
  }
}
