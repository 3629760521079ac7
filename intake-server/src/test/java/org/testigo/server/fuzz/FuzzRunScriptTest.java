package org.testigo.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The top-level {@code fuzz/run} script: shellcheck-clean (ops/check-shellcheck.sh covers only
 * ops/), and its target list finds the @FuzzTest methods of every module. Fuzzing itself is
 * not run here; {@code mvn verify} replays the committed corpora in the surefire execution
 * {@code fuzz}.
 */
class FuzzRunScriptTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path SCRIPT = ROOT.resolve("fuzz/run");

  @Test
  void shellcheck_findsNothingInFuzzRun() throws Exception {
    run("shellcheck", "--severity=style", SCRIPT.toString());
  }

  @Test
  void list_namesTheTargetsOfEveryModule() throws Exception {
    String out = run("bash", SCRIPT.toString(), "--list");
    assertThat(out.lines().filter(l -> !l.isBlank()).count()).isGreaterThanOrEqualTo(20);
    assertThat(out)
        .contains("crypto EnvelopeFuzzTest inspect_refusesOrCopiesExactlyTheInput")
        .contains("intake-server MetadataStripperFuzzTest strip_refusesOrWritesCleanImageNoLargerThanInput")
        .contains("reviewer-cli EnvelopeBatchReaderFuzzTest read_refusesOrRoundTrips");
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s exited with:%n%s", String.join(" ", command), out).isZero();
    return out;
  }
}
