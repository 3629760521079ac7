package org.testigo.server.cli;

import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.testigo.server.config.IntakeConfiguration;
import org.testigo.server.storage.Migrations;

/** {@code db migrate <config>}: applies the Flyway migrations and exits. */
public final class DbMigrateCommand extends ConfiguredCommand<IntakeConfiguration> {
  public DbMigrateCommand() {
    super("db", "Database tasks: 'db migrate CONFIG' applies the schema migrations.");
  }

  @Override
  public void configure(Subparser subparser) {
    subparser.addArgument("action").choices("migrate").help("what to do: migrate");
    super.configure(subparser);
  }

  @Override
  protected void run(Bootstrap<IntakeConfiguration> bootstrap, Namespace namespace,
      IntakeConfiguration config) throws Exception {
    java.nio.file.Files.createDirectories(config.dataPath());
    ManagedDataSource ds = config.getDatabase().dataSourceFactory(config.dataPath())
        .build(bootstrap.getMetricRegistry(), "migrate");
    try {
      int applied = Migrations.migrate(ds);
      System.out.println("Database migrated: " + applied + " migration(s) applied.");
    } finally {
      ds.stop();
    }
  }
}
