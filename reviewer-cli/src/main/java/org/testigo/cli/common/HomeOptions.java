package org.testigo.cli.common;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the tool keeps its servers file and ciphertext cache ({@code --home}, else
 * {@code $TESTIGO_HOME}, else {@code ~/.testigo}) and which registered server to use.
 */
public final class HomeOptions {
  @Option(names = "--home", paramLabel = "DIR",
      description = "Testigo directory (default: $TESTIGO_HOME, else ~/.testigo).")
  public Path home;

  @Option(names = {"-s", "--server"}, paramLabel = "NAME", defaultValue = "default",
      description = "Registered server to use (default: ${DEFAULT-VALUE}).")
  String server;

  public Path home() {
    if (home != null) {
      return home;
    }
    String env = System.getenv("TESTIGO_HOME");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".testigo");
  }

  public String serverName() {
    return server;
  }
}
