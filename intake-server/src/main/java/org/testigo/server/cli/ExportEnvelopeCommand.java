package org.testigo.server.cli;

import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.testigo.api.EnvelopeId;
import org.testigo.server.config.IntakeConfiguration;
import org.testigo.server.domain.EnvelopeRecord;
import org.testigo.server.storage.Daos;
import org.testigo.server.storage.EnvelopeDao;
import org.testigo.server.storage.EnvelopeStore;
import org.testigo.server.storage.TransparencyLog;

/**
 * Admin-only, run on the server host: {@code export CONFIG (--id HEX | --latest) --out FILE}
 * writes one stored envelope (ciphertext, unchanged) to a file for the reviewer CLI's
 * {@code open}. It never decrypts anything.
 */
public final class ExportEnvelopeCommand extends ConfiguredCommand<IntakeConfiguration> {
  public ExportEnvelopeCommand() {
    super("export", "Write one stored envelope (ciphertext) to a file for the reviewer CLI.");
  }

  @Override
  public void configure(Subparser subparser) {
    super.configure(subparser);
    subparser.addArgument("--id").help("envelope id (32 hex characters)");
    subparser.addArgument("--latest").action(Arguments.storeTrue()).help("the report stored last (transparency-log order)");
    subparser.addArgument("--list").action(Arguments.storeTrue()).help("list stored envelope ids");
    subparser.addArgument("--out").help("output file (must not exist)");
  }

  @Override
  protected void run(Bootstrap<IntakeConfiguration> bootstrap, Namespace ns, IntakeConfiguration config)
      throws Exception {
    ManagedDataSource ds = config.getDatabase().dataSourceFactory(config.dataPath())
        .build(bootstrap.getMetricRegistry(), "export");
    try {
      Jdbi jdbi = Daos.cacheMetadata(Jdbi.create(ds).installPlugin(new SqlObjectPlugin()));
      List<EnvelopeRecord> all = jdbi.withExtension(EnvelopeDao.class,
          dao -> dao.storedSince(LocalDate.of(2000, 1, 1)));
      if (ns.getBoolean("list")) {
        all.forEach(r -> System.out.println(r.id().hex() + " " + r.context() + " " + r.receivedDay()
            + " " + r.sizeBucket()));
        return;
      }
      EnvelopeRecord record;
      if (ns.getString("id") != null) {
        EnvelopeId id = EnvelopeId.parse(ns.getString("id"));
        record = all.stream().filter(r -> r.id().equals(id)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no stored envelope with that id"));
      } else if (ns.getBoolean("latest")) {
        record = jdbi.withExtension(EnvelopeDao.class, EnvelopeDao::latestReport)
            .orElseThrow(() -> new IllegalArgumentException("no stored report yet"));
      } else {
        throw new IllegalArgumentException("give --id HEX or --latest (and there must be an envelope)");
      }
      if (ns.getString("out") == null) {
        throw new IllegalArgumentException("give --out FILE");
      }
      EnvelopeStore store = new EnvelopeStore(jdbi, 4096, Clock.systemUTC(), new SecureRandom(),
          new TransparencyLog(jdbi));
      try (OutputStream out = Files.newOutputStream(Path.of(ns.getString("out")), StandardOpenOption.CREATE_NEW)) {
        store.copyTo(record, out);
      }
      System.out.println("Wrote envelope " + record.id().hex() + " (" + record.context() + ", "
          + record.receivedDay() + ") to " + ns.getString("out"));
    } finally {
      ds.stop();
    }
  }
}
