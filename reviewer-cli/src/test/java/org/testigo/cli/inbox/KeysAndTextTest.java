package org.testigo.cli.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.utils.NonBlocking;
import org.junit.jupiter.api.Test;
import org.testigo.cli.cases.Priority;
import org.testigo.cli.cases.Status;

/** The inbox's key decoder, editor and case-list view, without a terminal. */
class KeysAndTextTest {
  static List<Key> decode(String typed) throws Exception {
    Keys keys = new Keys(NonBlocking.nonBlocking("test", new StringReader(typed)), new AtomicBoolean());
    List<Key> out = new ArrayList<>();
    for (Key k = keys.next(); k.kind() != Key.Kind.EOF; k = keys.next()) {
      out.add(k);
    }
    return out;
  }

  @Test
  void keys_decodeArrowsInBothFormsPagingControlAndAnyScript() throws Exception {
    assertThat(decode("\u001b[A\u001bOB\u001b[5~\u001b[6~\u001b[3~\u001b[H\u001b[4~\r\u007f\u0018\u0003"))
        .extracting(Key::kind).containsExactly(Key.Kind.UP, Key.Kind.DOWN, Key.Kind.PAGE_UP, Key.Kind.PAGE_DOWN,
            Key.Kind.DELETE, Key.Kind.HOME, Key.Kind.END, Key.Kind.ENTER, Key.Kind.BACKSPACE, Key.Kind.CTRL,
            Key.Kind.CTRL);
    assertThat(decode("ñ你😀")).extracting(Key::ch).containsExactly((int) 'ñ', (int) '你', 0x1F600);
  }

  @Test
  void keys_neverTakeAnEscapeSequenceOrAC1ControlAsText() throws Exception {
    // An unknown or overlong CSI sequence (a terminal's reply, a paste with escapes) is dropped whole.
    List<Key> keys = decode("\u001b[999;999;999;999;999;999t\u001b]0;title\u0007x\u009b");
    assertThat(keys).noneMatch(k -> k.kind() == Key.Kind.CHAR && (k.ch() == '[' || k.ch() == 0x9b || k.ch() == 27));
    assertThat(keys).filteredOn(k -> k.kind() == Key.Kind.CHAR).extracting(Key::ch).contains((int) 'x', 0xfffd);
  }

  @Test
  void textArea_editsAcrossLinesWrapsAndErases() {
    TextArea t = new TextArea("Hola:\n\n[Escriba aquí.]\nAdiós", 100);
    t.toPlaceholder();
    assertThat(t.row()).isEqualTo(2);
    t.apply(new Key(Key.Kind.CTRL, 'K'));
    for (char c : "Lo enviamos a la fiscalía.".toCharArray()) {
      t.apply(new Key(Key.Kind.CHAR, c));
    }
    t.apply(Key.of(Key.Kind.ENTER));
    assertThat(t.text()).isEqualTo("Hola:\n\nLo enviamos a la fiscalía.\nAdiós");
    t.apply(Key.of(Key.Kind.UP));
    t.apply(Key.of(Key.Kind.END));
    t.apply(Key.of(Key.Kind.BACKSPACE));
    assertThat(t.text()).isEqualTo("Hola:\n\nLo enviamos a la fiscalía\nAdiós");
    assertThat(t.wrap(10)).extracting(TextArea.Visual::text)
        .containsExactly("Hola:", "", "Lo enviamo", "s a la fis", "calía", "Adiós");
    assertThat(t.cursor(t.wrap(10))).containsExactly(4, 5);
    t.erase();
    assertThat(t.text()).isEmpty();
  }

  @Test
  void textArea_holdsAtMostItsLimit() {
    TextArea t = new TextArea("", 5);
    for (char c : "abcdefgh".toCharArray()) {
      t.apply(new Key(Key.Kind.CHAR, c));
    }
    t.apply(Key.of(Key.Kind.ENTER));
    assertThat(t.text()).isEqualTo("abcde");
  }

  static CaseRows.Row row(String id, String day, Status s, Priority p, String lang, boolean overdue) {
    return new CaseRows.Row(id, day, s, p, lang, "extortion", "CHP", "", true, overdue, "", false, false);
  }

  @Test
  void view_sortsNewestFirstByDefaultAndFiltersByStatusOverdueLanguageAndIdPrefix() {
    List<CaseRows.Row> rows = List.of(
        row("aa01", "2026-01-01", Status.NEW, Priority.URGENT, "es", true),
        row("bb02", "2026-03-01", Status.CLOSED, Priority.LOW, "en", false),
        row("cc03", "2026-02-01", Status.INVESTIGATING, Priority.HIGH, "es", false));
    CaseRows.View v = new CaseRows.View();
    assertThat(v.apply(rows)).extracting(CaseRows.Row::id).containsExactly("bb02", "cc03", "aa01");
    v.sort = CaseRows.Sort.PRIORITY;
    assertThat(v.apply(rows)).extracting(CaseRows.Row::id).containsExactly("aa01", "cc03", "bb02");
    v.nextStatus();
    assertThat(v.status).isEqualTo("open");
    assertThat(v.apply(rows)).extracting(CaseRows.Row::id).containsExactly("aa01", "cc03");
    v.overdueOnly = true;
    assertThat(v.apply(rows)).extracting(CaseRows.Row::id).containsExactly("aa01");
    v.overdueOnly = false;
    v.nextLanguage(rows);
    assertThat(v.language).isEqualTo("en");
    assertThat(v.apply(rows)).isEmpty();
    v.nextLanguage(rows);
    v.nextLanguage(rows);
    assertThat(v.language).isEmpty();
    v.searchId(" CC-0 ");
    assertThat(v.idPrefix).isEqualTo("cc0");
    assertThat(v.apply(rows)).extracting(CaseRows.Row::id).containsExactly("cc03");
  }

  @Test
  void rows_fitEightyColumnsInBothLanguages() {
    for (String lang : Messages.LANGUAGES) {
      Messages m = new Messages(lang);
      CaseRows.Row r = new CaseRows.Row("0123456789abcdef0123456789abcdef", "2026-12-06", Status.INVESTIGATING,
          Priority.URGENT, "ht", "extortion,kidnapping,robbery,assault", "CMX", "yes", true, true, "maría", false,
          false);
      assertThat(CaseRows.header(m, 80)).hasSizeLessThanOrEqualTo(80);
      assertThat(CaseRows.format(r, m, 80)).hasSizeLessThanOrEqualTo(80).startsWith("01234567 2026-12-06 investigating")
          .contains("urgent").contains(m.get("row.overdue"));
      assertThat(m.get("list.help").length()).as(lang).isLessThanOrEqualTo(80);
    }
  }
}
