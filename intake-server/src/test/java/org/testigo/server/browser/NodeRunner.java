package org.testigo.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.testigo.server.views.BrowserSealing;

/** Runs {@code src/test/js/interop.cjs} under Node on the bundle the server serves. */
final class NodeRunner {
  private final Path bundle;

  NodeRunner(Path dir) throws IOException {
    bundle = dir.resolve("testigo.js");
    Files.write(bundle, BrowserSealing.script());
  }

  static String node() {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, "node"))) {
        return Path.of(d, "node").toString();
      }
    }
    throw new AssertionError("Node.js is needed for the browser interop tests: install it "
        + "(Debian: apt-get install -y nodejs) so that `node` is on the PATH");
  }

  String run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(node(), Path.of("src/test/js/interop.cjs").toAbsolutePath().toString(),
        bundle.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("node failed: " + new String(err, StandardCharsets.UTF_8)).isZero();
    return new String(out, StandardCharsets.UTF_8);
  }
}
