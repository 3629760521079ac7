package org.testigo.cli.common;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --keystore} option shared by every command that needs the reviewer's keys. */
public final class KeystoreOption {
  @Option(names = {"-k", "--keystore"}, paramLabel = "FILE",
      description = "Reviewer keystore (default: $TESTIGO_KEYSTORE, else"
          + " ~/.testigo/reviewer.tkey).")
  Path keystore;

  public Path path() {
    if (keystore != null) {
      return keystore;
    }
    String env = System.getenv("TESTIGO_KEYSTORE");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".testigo", "reviewer.tkey");
  }
}
