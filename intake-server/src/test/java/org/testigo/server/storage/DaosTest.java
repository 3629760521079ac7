package org.testigo.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.extension.ExtensionFactory;
import org.jdbi.v3.core.extension.Extensions;
import org.jdbi.v3.sqlobject.SqlObjectFactory;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaosTest {
  @Test
  void everySqlObjectInterfaceOfTheServerIsListed() throws IOException {
    Path main = Path.of("src/main/java");
    Set<String> annotated;
    try (Stream<Path> files = Files.walk(main)) {
      annotated = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
        try {
          String s = Files.readString(p);
          return s.contains("@SqlUpdate") || s.contains("@SqlQuery") || s.contains("@SqlBatch");
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }).map(p -> main.relativize(p).toString().replace('/', '.').replaceAll("\\.java$", ""))
          .collect(Collectors.toCollection(TreeSet::new));
    }
    Set<String> listed = Daos.ALL.stream().map(Class::getName).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(annotated, listed, "every interface with SQL annotations belongs in Daos.ALL");
  }

  /** A handle's attach finds the metadata built once in the Jdbi's configuration, not a new one. */
  @Test
  void handlesReuseTheMetadataBuiltOnce(@TempDir Path dir) throws Exception {
    TestDatabase db = TestDatabase.h2(dir);
    try {
      check(db.jdbi());
    } finally {
      db.close();
    }
  }

  private static void check(Jdbi jdbi) {
    Extensions root = jdbi.getConfig(Extensions.class);
    ExtensionFactory factory = root.findFactory(SqlObjectFactory.class).orElseThrow();
    for (Class<?> dao : Daos.ALL) {
      Object built = root.findMetadata(dao, factory);
      try (Handle a = jdbi.open(); Handle b = jdbi.open()) {
        assertSame(built, a.getConfig(Extensions.class).findMetadata(dao, factory), dao.getName());
        assertSame(built, b.getConfig(Extensions.class).findMetadata(dao, factory), dao.getName());
        a.attach(dao); // and attaching still works
      }
    }
    try (Handle h = jdbi.open()) {
      assertEquals(0, h.attach(EnvelopeDao.class).storedSince(java.time.LocalDate.EPOCH).size());
    }
  }

  /**
   * Without it, each handle builds its own: the JDBI behaviour {@link Daos} works around. When
   * this fails after a JDBI upgrade, the upgrade fixed it and {@code Daos.cacheMetadata} can go.
   */
  @Test
  void withoutItEachHandleBuildsItsOwn() {
    Jdbi jdbi = Jdbi.create("jdbc:h2:mem:daos;MODE=MariaDB").installPlugin(new SqlObjectPlugin());
    ExtensionFactory factory = jdbi.getConfig(Extensions.class).findFactory(SqlObjectFactory.class).orElseThrow();
    try (Handle a = jdbi.open(); Handle b = jdbi.open()) {
      assertNotSame(a.getConfig(Extensions.class).findMetadata(EnvelopeDao.class, factory),
          b.getConfig(Extensions.class).findMetadata(EnvelopeDao.class, factory));
    }
  }
}
