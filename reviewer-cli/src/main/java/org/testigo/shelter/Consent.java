package org.testigo.shelter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.Folding;

/**
 * The migrant's consent, asked in their language before anything is asked or sealed: the
 * statement is shown (to be read aloud) and the answer typed by the staff member. Only an
 * explicit yes produces a {@link Record}; a no ends the filing with nothing stored.
 */
final class Consent {
  private Consent() {}

  /** What goes into the questionnaire JSON as {@code consent}. */
  record Record(boolean given, String language, int statementVersion, String statementSha256) {}

  static Record ask(Terminal terminal, Lang lang) throws IOException {
    String statement = lang.text("consent.statement");
    terminal.out().println();
    terminal.out().println(lang.text("consent.heading"));
    terminal.out().println();
    terminal.out().println("  " + statement);
    terminal.out().println();
    for (int attempt = 0; attempt < 5; attempt++) {
      String answer = Folding.fold(terminal.ask(lang.text("consent.question")));
      if (Arrays.asList(lang.text("consent.yes").split(",")).stream().map(Folding::fold)
          .anyMatch(answer::equals)) {
        return new Record(true, lang.code, Integer.parseInt(lang.text("consent.version")),
            statementHash(lang));
      }
      if (Arrays.asList(lang.text("consent.no").split(",")).stream().map(Folding::fold)
          .anyMatch(answer::equals)) {
        break;
      }
      terminal.out().println(lang.text("answer.invalid"));
    }
    throw new CliException(ExitCodes.REFUSED, "no consent recorded: nothing was filed or stored ("
        + lang.text("consent.refused") + ")");
  }

  /** SHA-256 of the UTF-8 statement text exactly as shown, lowercase hex. */
  static String statementHash(Lang lang) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
          lang.text("consent.statement").getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
