package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;

/** What a reviewer types as ID: 4+ hex characters; none or several matches are explained. */
class CaseIdsTest {
  static final String A = "3f2a00112233445566778899aabbccdd";
  static final String B = "3f2a99887766554433221100ffeeddcc";

  @Test
  void prefix_ofFourHexCharactersInAnyCaseIsAccepted_othersAreUsageErrorsThatNeverEchoTheInput() {
    assertThat(CaseIds.prefix(" 3F2A ")).isEqualTo("3f2a");
    assertThat(CaseIds.prefix(A)).isEqualTo(A);
    for (String bad : new String[] {"3f2", "", "3f2g", A + "0", "zz\u001b[2J"}) {
      assertThatThrownBy(() -> CaseIds.prefix(bad)).as(bad).isInstanceOfSatisfying(CliException.class, e -> {
        assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(e.getMessage()).doesNotContain("\u001b").doesNotContain("zz");
      });
    }
  }

  @Test
  void unique_saysWhenNothingMatches_andListsSeveralMatches() {
    assertThatThrownBy(() -> CaseIds.unique("3f2b", List.of())).isInstanceOfSatisfying(CliException.class, e -> {
      assertThat(e.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(e.getMessage()).startsWith("no case starts with 3f2b");
    });
    assertThat(CaseIds.unique("3f2a0", List.of(new CaseIds.Hit(A, "2026-03-01", true)))).isEqualTo(A);
    assertThatThrownBy(() -> CaseIds.unique("3f2a", List.of(new CaseIds.Hit(B, "2026-03-02", false),
        new CaseIds.Hit(A, "2026-03-01", true)))).isInstanceOfSatisfying(CliException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
          assertThat(e.getMessage()).contains("the id prefix 3f2a matches 2 submissions:")
              .contains("  " + A + "  received 2026-03-01  report").contains("  " + B + "  received 2026-03-02  follow-up")
              .contains("give more characters");
          assertThat(e.getMessage().indexOf(A)).isLessThan(e.getMessage().indexOf(B));
        });
    List<CaseIds.Hit> many = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      many.add(new CaseIds.Hit(String.format("3f2a%028x", i), "2026-03-01", true));
    }
    assertThatThrownBy(() -> CaseIds.unique("3f2a", many)).hasMessageContaining("matches 25 submissions")
        .hasMessageContaining("… and 15 more");
  }
}
