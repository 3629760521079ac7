package org.testigo.server.app;

import io.dropwizard.testing.ConfigOverride;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The configuration app tests share: config-demo.yml on a test MariaDB (user root, an empty
 * password file in the data directory), every connector on a free loopback port, and cheap
 * receipt parameters; each test adds its own overrides.
 */
final class MariadbApp {
  private MariadbApp() {}

  /** A new data directory for one test class. */
  static Path dataDirectory(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The shared overrides for {@code data} and the JDBC URL {@code url}, then {@code extra}. */
  static ConfigOverride[] overrides(Path data, Supplier<String> url, ConfigOverride... extra) {
    List<ConfigOverride> all = new ArrayList<>(List.of(
        ConfigOverride.config("dataDirectory", data.toString()),
        ConfigOverride.config("database.type", "MARIADB"),
        ConfigOverride.config("database.url", url),
        ConfigOverride.config("database.user", "root"),
        ConfigOverride.config("database.passwordFile", () -> emptyPasswordFile(data)),
        ConfigOverride.config("server.applicationConnectors[0].port", "0"),
        ConfigOverride.config("server.applicationConnectors[1].port", "0"),
        ConfigOverride.config("server.adminConnectors[0].port", "0"),
        ConfigOverride.config("receipts.memoryKiB", "256"),
        ConfigOverride.config("receipts.iterations", "1")));
    all.addAll(List.of(extra));
    return all.toArray(ConfigOverride[]::new);
  }

  private static String emptyPasswordFile(Path data) {
    try {
      return Files.writeString(data.resolve("db-password"), "").toString();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
