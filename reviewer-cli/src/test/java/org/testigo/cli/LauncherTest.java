package org.testigo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped launcher {@code reviewer-cli/testigo-reviewer}, run by {@code sh} with a stand-in
 * {@code java} that prints its arguments: the heap, the quick compiler only for the short
 * commands, both compilers for the ones that decrypt or verify much, TESTIGO_JAVA_OPTS last
 * (so it wins), the arguments passed on unchanged, and a clear error without the jar.
 */
class LauncherTest {
  @TempDir Path dir;

  List<String> launch(String javaOpts, String... args) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path fakeJava = bin.resolve("java");
    Files.writeString(fakeJava, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
    Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwx------"));
    Path install = Files.createDirectories(dir.resolve("install"));
    Files.copy(Path.of("testigo-reviewer"), install.resolve("testigo-reviewer"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.write(install.resolve("testigo-reviewer.jar"), new byte[0]);
    List<String> cmd = new ArrayList<>(List.of("/bin/sh", install.resolve("testigo-reviewer").toString()));
    cmd.addAll(List.of(args));
    Path cwd = Files.createDirectories(dir.resolve("cwd"));
    Files.write(cwd.resolve("-Xmx1m"), new byte[0]); // a file name a glob in the options would pick up
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(cwd.toFile());
    pb.environment().put("PATH", bin + ":/usr/bin:/bin");
    if (javaOpts == null) {
      pb.environment().remove("TESTIGO_JAVA_OPTS");
    } else {
      pb.environment().put("TESTIGO_JAVA_OPTS", javaOpts);
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().toList();
  }

  @Test
  void shortCommandsGetTheQuickCompilerOnly_heavyOnesBoth_andTheArgumentsPassUnchanged() throws Exception {
    for (String command : List.of("list", "show", "overdue", "keys", "ack", "history", "inbox")) {
      List<String> jvm = launch(null, command, "--home", "/tmp/a b");
      assertThat(jvm).as(command).startsWith("-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar");
      assertThat(jvm).as(command).endsWith(command, "--home", "/tmp/a b");
    }
    for (String command : List.of("sync", "rewrap", "files", "export", "open", "seal", "audit", "stats")) {
      List<String> jvm = launch(null, command);
      assertThat(jvm).as(command).doesNotContain("-XX:TieredStopAtLevel=1").startsWith("-Xmx512m", "-jar");
    }
    // an option before the command does not hide it
    assertThat(launch(null, "--verbose", "sync")).doesNotContain("-XX:TieredStopAtLevel=1");
    assertThat(launch(null, "--help")).contains("-XX:TieredStopAtLevel=1");
  }

  @Test
  void testigoJavaOptsComeLast_soTheyWin() throws Exception {
    List<String> jvm = launch("-Xmx256m -XX:TieredStopAtLevel=4", "list");
    assertThat(jvm.subList(0, jvm.indexOf("-jar"))).containsExactly("-Xmx512m", "-XX:TieredStopAtLevel=1",
        "-Xmx256m", "-XX:TieredStopAtLevel=4");
    // split into words, never expanded as file names (found by an outside attack)
    List<String> globbed = launch("-X*", "list");
    assertThat(globbed.subList(0, globbed.indexOf("-jar"))).containsExactly("-Xmx512m", "-XX:TieredStopAtLevel=1",
        "-X*");
  }

  @Test
  void withoutTheJar_itSaysHowToBuildItAndExits4() throws Exception {
    Path lone = Files.createDirectories(dir.resolve("lone"));
    Files.copy(Path.of("testigo-reviewer"), lone.resolve("testigo-reviewer"));
    Process p = new ProcessBuilder("/bin/sh", lone.resolve("testigo-reviewer").toString(), "list")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(4);
    assertThat(out).contains("testigo-reviewer.jar not found").contains("mvn -B -DskipTests package");
  }
}
