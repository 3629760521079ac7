package org.testigo.server.storage;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Applies the Flyway migrations under {@code db/migration} (one set for MariaDB and H2). */
public final class Migrations {
  private Migrations() {}

  /** Migrates to the latest version; returns the number of migrations applied. */
  public static int migrate(DataSource dataSource) {
    return Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .failOnMissingLocations(true)
        .load()
        .migrate()
        .migrationsExecuted;
  }
}
