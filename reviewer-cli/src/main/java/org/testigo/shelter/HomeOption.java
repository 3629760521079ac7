package org.testigo.shelter;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --home} option: where the shelter profile lives. */
public final class HomeOption {
  @Option(names = "--home", paramLabel = "DIR",
      description = "Shelter profile directory (default: $TESTIGO_SHELTER_HOME, else"
          + " ~/.testigo-shelter).")
  Path home;

  Path path() {
    if (home != null) {
      return home;
    }
    String env = System.getenv("TESTIGO_SHELTER_HOME");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".testigo-shelter");
  }
}
