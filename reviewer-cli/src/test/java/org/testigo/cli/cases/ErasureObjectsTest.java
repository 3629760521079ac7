package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.remote.LocalCache;

/**
 * The server's list of a case's objects is checked against what the reviewer can vouch for
 * before anything is signed (docs/spec/retention-and-erasure.md §5): a hostile server that slips
 * in another case's envelope, a reply no event names, or leaves out a cached follow-up is caught.
 */
class ErasureObjectsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CASE = Sim.CASE.hex();
  static final String REPORT = "11".repeat(32);
  static final String FOLLOW_UP = "22".repeat(32);
  static final String REPLY = "33".repeat(32);
  static final String OTHER = "44".repeat(32);

  static LocalCache.Submission sub(String id, String context, String sha) {
    return new LocalCache.Submission(1, id, context, "2026-03-01", 100, sha, true, CASE, sha, 0);
  }

  static final List<LocalCache.Submission> CACHED = List.of(sub(CASE, "report", REPORT),
      sub("0".repeat(31) + "1", "follow-up", FOLLOW_UP));

  static CaseState state() {
    Sim alice = new Sim("alice");
    return CaseReplay.replay(Sim.CASE, LocalDate.parse("2026-03-01"),
        List.of(alice.act(new CaseAction.ReplySent(HexFormat.of().parseHex(REPLY), "Gracias", "es"))));
  }

  static JsonNode answer(String caseId, String[]... objects) {
    ObjectNode o = JSON.createObjectNode().put("caseId", caseId);
    ArrayNode a = o.putArray("objects");
    for (String[] x : objects) {
      a.addObject().put("sha256", x[0]).put("context", x[1]).put("receivedDay", "2026-03-01");
    }
    return o;
  }

  @Test
  void checkedObjects_acceptsExactlyTheCachedSubmissionsAndTheRecordedReplies() {
    List<byte[]> h = Erasures.checkedObjects(answer(CASE, new String[] {REPLY, "reply"},
        new String[] {REPORT, "report"}, new String[] {FOLLOW_UP, "follow-up"}), CASE, CACHED, state());
    assertThat(h.stream().map(HexFormat.of()::formatHex).toList()).containsExactly(REPORT, FOLLOW_UP, REPLY);
  }

  @Test
  void checkedObjects_refusesAHostileList() {
    CaseState st = state();
    for (JsonNode bad : List.of(
        answer(CASE, new String[] {REPORT, "report"}, new String[] {FOLLOW_UP, "follow-up"},
            new String[] {OTHER, "follow-up"}),
        answer(CASE, new String[] {REPORT, "report"}, new String[] {FOLLOW_UP, "follow-up"},
            new String[] {OTHER, "reply"}),
        answer(CASE, new String[] {REPORT, "report"}, new String[] {FOLLOW_UP, "reply"}),
        answer(CASE, new String[] {REPORT, "report"}, new String[] {FOLLOW_UP, "follow-up"},
            new String[] {REPLY, "backup"}))) {
      assertThatThrownBy(() -> Erasures.checkedObjects(bad, CASE, CACHED, st)).as(bad.toString())
          .isInstanceOf(CliException.class).hasMessageContaining("nothing was signed")
          .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(ExitCodes.SERVER));
    }
    for (JsonNode bad : List.of(
        answer(CASE, new String[] {REPORT, "report"}),
        answer(CASE, new String[] {REPORT, "report"}, new String[] {REPORT, "report"},
            new String[] {FOLLOW_UP, "follow-up"}),
        answer("ff".repeat(16), new String[] {REPORT, "report"}, new String[] {FOLLOW_UP, "follow-up"}),
        answer(CASE, new String[] {"XYZ", "report"}),
        answer(CASE),
        JSON.createArrayNode())) {
      assertThatThrownBy(() -> Erasures.checkedObjects(bad, CASE, CACHED, st)).as(bad.toString())
          .isInstanceOf(CliException.class).hasMessageContaining("nothing signed");
    }
  }
}
