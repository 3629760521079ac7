package org.testigo.server.storage;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * A migrated database for one test class: an H2 file in MariaDB mode under a temp
 * directory, or a fresh database {@code testigo_test_<random>} on the real MariaDB at
 * 127.0.0.1:3306 (root, empty password), dropped on close.
 */
public final class TestDatabase {
  public static final String MARIADB_SERVER = "jdbc:mariadb://127.0.0.1:3306/";
  private final String label;
  private final String url;
  private final DataSource dataSource;
  private final Jdbi jdbi;
  private final String mariadbName;

  private TestDatabase(String label, String url, DataSource dataSource, String mariadbName) {
    this.label = label;
    this.url = url;
    this.dataSource = dataSource;
    this.mariadbName = mariadbName;
    Migrations.migrate(dataSource);
    this.jdbi = Daos.cacheMetadata(Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()));
  }

  public static TestDatabase h2(Path directory) {
    String url = "jdbc:h2:file:" + directory.resolve("db").resolve("testigo").toAbsolutePath()
        + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL(url);
    ds.setUser("sa");
    ds.setPassword("");
    return new TestDatabase("H2", url, ds, null);
  }

  public static TestDatabase mariadb() {
    byte[] r = new byte[6];
    new SecureRandom().nextBytes(r);
    String name = "testigo_test_" + HexFormat.of().formatHex(r);
    try (Connection c = DriverManager.getConnection(MARIADB_SERVER, "root", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
      String url = MARIADB_SERVER + name + "?useServerPrepStmts=true";
      MariaDbDataSource ds = new MariaDbDataSource(url);
      ds.setUser("root");
      ds.setPassword("");
      return new TestDatabase("MariaDB", url, ds, name);
    } catch (SQLException e) {
      throw new IllegalStateException("MariaDB at 127.0.0.1:3306 is required for the tests", e);
    }
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public String url() {
    return url;
  }

  public boolean isMariadb() {
    return mariadbName != null;
  }

  public String mariadbName() {
    return mariadbName;
  }

  public long count(String table) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
  }

  /** Drops the MariaDB database; closes H2. */
  public void close() throws SQLException {
    if (mariadbName != null) {
      try (Connection c = DriverManager.getConnection(MARIADB_SERVER, "root", "");
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + mariadbName);
      }
    } else {
      try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
        s.execute("SHUTDOWN");
      } catch (SQLException alreadyClosed) {
        // H2 reports the closed connection it just shut down; nothing is left to close.
      }
    }
  }

  @Override
  public String toString() {
    return label;
  }
}
