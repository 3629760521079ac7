package org.testigo.server.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * An empty database for a migration test, {@code "H2"} (a file in MariaDB mode under a temp
 * directory) or {@code "MariaDB"} (a fresh {@code testigo_test_<random>} on 127.0.0.1:3306),
 * migrated only as far as the test asks; shut down and deleted, or dropped, on close.
 */
final class EmptyDatabase implements AutoCloseable {
  final String kind;
  final DataSource dataSource;
  private final Path directory;
  private final String name;

  EmptyDatabase(String kind) throws Exception {
    this.kind = kind;
    this.directory = Files.createTempDirectory("testigo-h2-");
    this.name = "testigo_test_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
    if (kind.equals("H2")) {
      JdbcDataSource h2 = new JdbcDataSource();
      h2.setURL("jdbc:h2:file:" + directory.resolve("db") + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
      h2.setUser("sa");
      h2.setPassword("");
      dataSource = h2;
    } else {
      try (Connection c = DriverManager.getConnection(TestDatabase.MARIADB_SERVER, "root", "");
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + name);
      }
      MariaDbDataSource m = new MariaDbDataSource(TestDatabase.MARIADB_SERVER + name);
      m.setUser("root");
      m.setPassword("");
      dataSource = m;
    }
  }

  /** Applies the migrations up to and including {@code version}. */
  EmptyDatabase migrateTo(String version) {
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target(version).load().migrate();
    return this;
  }

  @Override
  public void close() throws Exception {
    try {
      if (kind.equals("MariaDB")) {
        try (Connection c = DriverManager.getConnection(TestDatabase.MARIADB_SERVER, "root", "");
            Statement s = c.createStatement()) {
          s.execute("DROP DATABASE IF EXISTS " + name);
        }
      } else {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
          s.execute("SHUTDOWN");
        }
      }
    } finally {
      try (Stream<Path> files = Files.walk(directory)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
