package org.testigo.server.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * A test class whose tests run on H2 and on the real MariaDB (127.0.0.1:3306): one migrated
 * database of each for the whole class, dropped (MariaDB) or shut down and deleted (H2)
 * after it. Parameterize a test with {@code @MethodSource("databases")}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BothDatabases {
  private Path h2Directory;
  protected TestDatabase h2;
  protected TestDatabase mariadb;

  @BeforeAll
  void openDatabases() throws IOException {
    h2Directory = Files.createTempDirectory("testigo-h2-");
    h2 = TestDatabase.h2(h2Directory);
    mariadb = TestDatabase.mariadb();
  }

  @AfterAll
  void closeDatabases() throws Exception {
    try {
      if (h2 != null) {
        h2.close();
      }
      if (mariadb != null) {
        mariadb.close();
      }
    } finally {
      try (Stream<Path> files = Files.walk(h2Directory)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  protected Stream<TestDatabase> databases() {
    return Stream.of(h2, mariadb);
  }
}
