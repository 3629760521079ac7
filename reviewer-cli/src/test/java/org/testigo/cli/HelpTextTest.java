package org.testigo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testigo.server.demo.DemoOrganisation;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/** Every option and argument of every command has help text; the demo banner names real commands. */
class HelpTextTest {
  static void walk(CommandLine cl, List<String> missing, List<String> commands) {
    CommandSpec spec = cl.getCommandSpec();
    commands.add(spec.qualifiedName());
    if (String.join("", spec.usageMessage().description()).isBlank()) {
      missing.add(spec.qualifiedName() + " (the command itself)");
    }
    for (ArgSpec a : spec.args()) {
      String text = String.join("", a.description()).strip();
      if (text.isEmpty()) {
        missing.add(spec.qualifiedName() + " " + (a.isOption() ? ((CommandLine.Model.OptionSpec) a).longestName()
            : a.paramLabel()));
      }
    }
    for (CommandLine sub : cl.getSubcommands().values()) {
      walk(sub, missing, commands);
    }
  }

  @Test
  void everyOptionAndArgumentOfEveryCommand_hasADescription() {
    List<String> missing = new ArrayList<>();
    List<String> commands = new ArrayList<>();
    walk(new CommandLine(new ReviewerCli()), missing, commands);
    assertThat(commands).hasSizeGreaterThan(40).contains("testigo-reviewer reopen", "testigo-reviewer history");
    assertThat(missing).as("options and arguments without help text").isEmpty();
  }

  @Test
  void demoBanner_namesOnlyRealCommands_andUsesTheEnvironmentInsteadOfRepeatingHomeAndKeystore() {
    List<String> lines = DemoOrganisation.reviewerCommands(Path.of("/d/home"), Path.of("/d/reviewer.keystore"),
        Path.of("/d/pass"), "http://127.0.0.1:1/", "ab".repeat(32));
    assertThat(lines.get(0)).isEqualTo("export TESTIGO_HOME=/d/home TESTIGO_KEYSTORE=/d/reviewer.keystore");
    CommandLine cli = new CommandLine(new ReviewerCli());
    int named = 0;
    for (String l : lines.subList(1, lines.size())) {
      assertThat(l).doesNotContain("--home").doesNotContain(" -k ");
      if (l.startsWith("testigo-reviewer ") && !l.startsWith("testigo-reviewer --")) {
        String name = l.split("\\s+")[1];
        assertThat(cli.getSubcommands()).as(l).containsKey(name);
        named++;
      }
    }
    assertThat(named).isGreaterThanOrEqualTo(15);
    for (String workflow : List.of("sync", "list", "show", "reply", "assign", "note", "refer", "close", "reopen",
        "history", "export", "feedback", "overdue")) {
      String command = "testigo-reviewer " + workflow;
      assertThat(lines).as(workflow).anyMatch(l -> l.equals(command) || l.startsWith(command + " "));
    }
  }
}
