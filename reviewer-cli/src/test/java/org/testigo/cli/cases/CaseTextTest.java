package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.testigo.cli.common.CliException;
import org.testigo.crypto.event.CaseId;

/** Case text in the reviewer's language: complete bundles, every event with its details, no language mixed in. */
class CaseTextTest {
  private static final LocalDate RECEIVED = LocalDate.parse("2026-03-01");
  /** English words that gave away a mixed Spanish page ("Estado del caso: new; … priority normal; labels []"). */
  private static final Pattern ENGLISH = Pattern.compile(
      "\\b(new|priority|labels|assignee|status|applied|rejected|reply|referred|closed|note|due|met|pending|outcome)\\b");

  static Properties bundle(String name) throws Exception {
    Properties p = new Properties();
    try (InputStream in = CaseTextTest.class.getResourceAsStream("/org/testigo/cli/cases/" + name)) {
      p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
    }
    return p;
  }

  @Test
  void bundles_haveTheSameKeysAndCoverEveryCode() throws Exception {
    Properties es = bundle("case.properties");
    Properties en = bundle("case_en.properties");
    assertThat(es.stringPropertyNames()).isEqualTo(en.stringPropertyNames());
    List<String> needed = new ArrayList<>();
    for (Status s : Status.values()) {
      needed.add("status." + s.wire());
    }
    for (Priority p : Priority.values()) {
      needed.add("priority." + p.wire());
    }
    for (Outcome o : Outcome.values()) {
      needed.add("outcome." + o.wire());
    }
    for (ReferralTarget t : ReferralTarget.values()) {
      needed.add("target." + t.wire());
    }
    for (LinkRelation r : LinkRelation.values()) {
      needed.add("relation." + r.wire());
    }
    for (CaseState.Flag f : CaseState.Flag.values()) {
      needed.add("flag." + f.name().toLowerCase(Locale.ROOT));
    }
    for (CaseState.DeadlineState d : CaseState.DeadlineState.values()) {
      needed.add("deadline." + d.name().toLowerCase(Locale.ROOT));
    }
    for (CaseState.DeadlineKind k : CaseState.DeadlineKind.values()) {
      needed.add("deadline." + k.name().toLowerCase(Locale.ROOT));
    }
    assertThat(es.stringPropertyNames()).containsAll(needed);
    for (String k : en.stringPropertyNames()) {
      if (en.getProperty(k).contains("{")) {
        assertThat(en.getProperty(k)).as("MessageFormat would eat the quote of " + k).doesNotContain("'");
        assertThat(es.getProperty(k)).as(k).doesNotContain("'");
      }
    }
  }

  static CaseState everyEvent() {
    Sim maria = new Sim("maria");
    Sim jose = new Sim("jose");
    List<OpenedCaseEvent> ev = new ArrayList<>(List.of(
        maria.act(new CaseAction.Acknowledge()),
        maria.act(new CaseAction.Assign("jose")),
        maria.act(new CaseAction.SetPriority(Priority.HIGH)),
        maria.act(new CaseAction.Label("inm", true)),
        maria.act(new CaseAction.SetStatus(Status.INVESTIGATING)),
        maria.act(new CaseAction.Note("Llamar al albergue de Arriaga.\nPreguntar por el video.")),
        maria.act(new CaseAction.ReplySent(new byte[32])),
        maria.act(new CaseAction.ReplySent(new byte[32], "Recibimos su denuncia.", "es")),
        maria.act(new CaseAction.Refer(ReferralTarget.FISCALIA_ESTATAL, "CHP", null, "FGE/CHP/123/2026",
            LocalDate.parse("2026-03-04"))),
        maria.act(new CaseAction.Link(CaseId.fromHex("00112233445566778899aabbccddeeff"), LinkRelation.RELATED)),
        maria.act(new CaseAction.Close(Outcome.REFERRED)),
        maria.act(new CaseAction.Acknowledge())));
    jose.learn(ev);
    ev.add(jose.act(new CaseAction.FeedbackGiven()));
    ev.add(jose.act(new CaseAction.Reopen()));
    ev.add(jose.act(new CaseAction.Label("inm", false)));
    ev.add(jose.act(new CaseAction.Close(Outcome.REFERRED)));
    return CaseReplay.replay(Sim.CASE, RECEIVED, ev);
  }

  @Test
  void history_showsEveryEventWithItsDetails_inEnglish() {
    String h = new CaseText("en").history(Sim.CASE.hex(), RECEIVED.toString(), everyEvent(), 0);
    assertThat(h).contains("assigned to jose").contains("priority: high").contains("label added: inm")
        .contains("status: investigating").contains("    Llamar al albergue de Arriaga.\n    Preguntar por el video.")
        .contains("reply to the source (text not kept, sent before version 0.1.0)")
        .contains("reply to the source, in Spanish").contains("    Recibimos su denuncia.")
        .contains("referred to state prosecutor's office CHP, reference FGE/CHP/123/2026, on 2026-03-04")
        .contains("related to case 00112233445566778899aabbccddeeff").contains("closed, outcome: referred")
        .contains("[rejected: the case is closed; reopen it first]").contains("first feedback given by other means")
        .contains("reopened").contains("label removed: inm")
        .contains("Now: closed; assigned to: jose; priority: high; labels: none");
  }

  @Test
  void history_andCaseLinesInSpanish_mixInNoEnglish() {
    CaseText es = new CaseText("es");
    CaseState st = everyEvent();
    String h = es.history(Sim.CASE.hex(), RECEIVED.toString(), st, 2);
    assertThat(h).contains("asignado a jose").contains("prioridad: alta").contains("canalizado a fiscalía del estado CHP")
        .contains("respuesta a la fuente, en español").contains("texto no guardado: enviada antes de la versión 0.1.0")
        .contains("cerrado, resultado: canalizada").contains("[rechazado: el caso está cerrado; reábralo primero]")
        .contains("Ahora: cerrado; asignado a: jose; prioridad: alta; etiquetas: ninguna")
        .contains("2 evento(s) de este servidor");
    String lines = String.join("\n", es.caseLines(st, List.of(LocalDate.parse("2026-03-05")),
        Instant.parse("2026-03-10T00:00:00Z")));
    assertThat(lines).contains("Estado del caso:").contains("Resultado:").contains("Canalizaciones:")
        .contains("Respuestas a la fuente:").contains("Recibimos su denuncia.").contains("Notas del equipo:")
        .contains("SEGUIMIENTO DESPUÉS DEL CIERRE").contains("reopen " + Sim.CASE.hex());
    // What the people wrote, aliases, codes and times aside, nothing English.
    String withoutCodes = (h + "\n" + lines).replace("reply_sent", "").replace("testigo-reviewer reopen", "");
    assertThat(ENGLISH.matcher(withoutCodes).find()).as(withoutCodes).isFalse();
  }

  @Test
  void text_fromPeopleIsMadeSafeForTheTerminal() {
    Sim maria = new Sim("maria");
    CaseState st = CaseReplay.replay(Sim.CASE, RECEIVED, List.of(
        maria.act(new CaseAction.ReplySent(new byte[32], "hola \u001b]0;pwned\u0007 \u202e", "es"))));
    String h = new CaseText("en").history(Sim.CASE.hex(), RECEIVED.toString(), st, 0);
    assertThat(h).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u202e");
  }

  @Test
  void text_fromPeopleIsAnArgumentNeverAPattern_soBracesAndQuotesPrintAsWritten() {
    Sim maria = new Sim("maria");
    String odd = "{0} it's '{1}' {2,number}";
    CaseState st = CaseReplay.replay(Sim.CASE, RECEIVED, List.of(
        maria.act(new CaseAction.Note(odd)),
        maria.act(new CaseAction.Refer(ReferralTarget.OTHER, null, "Inst {0} 'x'", "Ref '{9}'",
            LocalDate.parse("2026-03-04")))));
    String h = new CaseText("en").history(Sim.CASE.hex(), RECEIVED.toString(), st, 0);
    assertThat(h).contains("    " + odd).contains("other institution Inst {0} 'x', reference Ref '{9}', on 2026-03-04");
  }

  @Test
  void unknownLanguage_isAUsageError() {
    assertThatThrownBy(() -> new CaseText("fr")).isInstanceOf(CliException.class);
  }
}
