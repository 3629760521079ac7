package org.testigo.server;

import com.codahale.metrics.Gauge;
import io.dropwizard.core.Application;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiFactory;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.ProxyConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testigo.crypto.identity.KeystoreParams;
import org.testigo.crypto.receipt.ReceiptParams;
import org.testigo.server.circuit.CircuitTable;
import org.testigo.server.backup.BackupFailure;
import org.testigo.server.cli.BackupCommand;
import org.testigo.server.cli.DbMigrateCommand;
import org.testigo.server.cli.ExportEnvelopeCommand;
import org.testigo.server.cli.LogKeyCommand;
import org.testigo.server.config.DatabaseSettings;
import org.testigo.server.config.EraserDatabaseSettings;
import org.testigo.server.config.FairnessSettings;
import org.testigo.server.config.IntakeConfiguration;
import org.testigo.server.config.KeySettings;
import org.testigo.server.config.LimitSettings;
import org.testigo.server.config.LogSettings;
import org.testigo.server.config.ReviewerApiSettings;
import org.testigo.server.demo.DemoOrganisation;
import org.testigo.server.domain.KeyState;
import org.testigo.server.domain.RetentionInForce;
import org.testigo.server.edge.Edge;
import org.testigo.server.edge.SecurityHeadersFilter;
import org.testigo.server.health.ManifestHealthCheck;
import org.testigo.server.intake.ConcurrencyLimiter;
import org.testigo.server.intake.ReceiptService;
import org.testigo.server.intake.SourceService;
import org.testigo.server.intake.Spool;
import org.testigo.server.intake.SubmissionService;
import org.testigo.server.intake.UploadService;
import org.testigo.server.intake.VisitService;
import org.testigo.server.log.EnvelopeHeaders;
import org.testigo.server.log.FilingProofs;
import org.testigo.server.log.LogSequencer;
import org.testigo.server.log.LogSigningKey;
import org.testigo.server.log.ManifestUpdater;
import org.testigo.server.log.TreeHeadSigner;
import org.testigo.server.resources.admin.ExportEnvelopeTask;
import org.testigo.server.resources.admin.RestrictedLogLevelTask;
import org.testigo.server.resources.admin.UpdateManifestTask;
import org.testigo.server.resources.audit.AuditFeedResource;
import org.testigo.server.resources.audit.LogResource;
import org.testigo.server.resources.audit.ProofOfFilingResource;
import org.testigo.server.resources.audit.RewrapLogResource;
import org.testigo.server.resources.errors.ApiErrors;
import org.testigo.server.resources.errors.ErrorRegistry;
import org.testigo.server.resources.errors.RefusedBodyFilter;
import org.testigo.server.resources.reviewer.ReviewerApi;
import org.testigo.server.resources.reviewer.ReviewerRewrapsResource;
import org.testigo.server.resources.source.AssetsResource;
import org.testigo.server.resources.source.CircuitFilter;
import org.testigo.server.resources.source.MailboxesResource;
import org.testigo.server.resources.source.ManifestResource;
import org.testigo.server.resources.source.SourcePagesResource;
import org.testigo.server.resources.source.SubmissionsServlet;
import org.testigo.server.resources.source.UploadsResource;
import org.testigo.server.review.CaseEventService;
import org.testigo.server.review.ChallengeService;
import org.testigo.server.review.ErasureService;
import org.testigo.server.review.ReviewerService;
import org.testigo.server.review.RewrapService;
import org.testigo.server.storage.AuditFeeds;
import org.testigo.server.storage.CurrentEnvelopes;
import org.testigo.server.storage.Daos;
import org.testigo.server.storage.EnvelopeStore;
import org.testigo.server.storage.GroupCommit;
import org.testigo.server.storage.MailboxStore;
import org.testigo.server.storage.Migrations;
import org.testigo.server.storage.NonceStore;
import org.testigo.server.storage.ReportWriter;
import org.testigo.server.storage.TransactionRunner;
import org.testigo.server.storage.TransactionWriter;
import org.testigo.server.storage.TransparencyLog;
import org.testigo.server.tor.OnionServices;
import org.testigo.server.tor.TorHealthCheck;
import org.testigo.server.tor.TorSettings;
import org.testigo.server.views.BrowserSealing;

/**
 * The Testigo intake server: source pages and API, ciphertext-only storage. {@code run()}
 * only wires areas together; each area has its own factory method.
 */
public class IntakeApplication extends Application<IntakeConfiguration> {
  private static final Logger LOG = LoggerFactory.getLogger(IntakeApplication.class);
  private final SecureRandom random = new SecureRandom();
  private final Clock clock = Clock.systemUTC();

  public static void main(String[] args) throws Exception {
    new IntakeApplication().run(args);
  }

  @Override
  public String getName() {
    return "testigo-intake-server";
  }

  @Override
  public void initialize(Bootstrap<IntakeConfiguration> bootstrap) {
    bootstrap.addCommand(new DbMigrateCommand());
    bootstrap.addCommand(new LogKeyCommand());
    bootstrap.addCommand(new ExportEnvelopeCommand());
    bootstrap.addCommand(new BackupCommand());
  }

  /** A command's documented exit code ({@link BackupFailure#exitCode()}), else 1. */
  @Override
  protected void onFatalError(Throwable t) {
    System.exit(t instanceof BackupFailure f ? f.exitCode() : 1);
  }

  @Override
  public void run(IntakeConfiguration config, Environment env) throws Exception {
    serverSettings(config);
    Path data = config.dataPath();
    Files.createDirectories(data);
    DemoOrganisation.Created demo = demoOrganisation(config, data);
    KeyState keys = keys(config.getKeys(), data);
    Jdbi jdbi = database(config, env, data);
    LimitSettings limits = config.getLimits();
    ErrorRegistry errors = new ErrorRegistry(limits.getRetryAfterSeconds());
    TransactionRunner transactions = transactions(config, jdbi);
    TransparencyLog log = new TransparencyLog(transactions);
    EnvelopeStore envelopes = new EnvelopeStore(transactions, limits.getChunkBytes(), limits.getReplayBufferBytes(),
        clock, random, log, reportWriter(config, env, transactions, log));
    LogSigningKey logKey = LogSigningKey.load(config.getLog().keyFile(data)).requireListedIn(keys.manifest());
    FilingProofs filings = transparencyLog(config.getLog(), env, keys, logKey, log, envelopes, jdbi);
    MailboxStore mailboxes = new MailboxStore(transactions, clock);
    ReceiptService receipts = receipts(config, keys);
    env.metrics().register("receipts.derivations", (Gauge<Long>) receipts::derivations);
    FairnessSettings fairness = config.getFairness();
    ConcurrencyLimiter submissionSlots = new ConcurrencyLimiter(limits.getMaxConcurrentSubmissions(),
        limits.getRetryAfterSeconds(), limits.getMaxQueuedSubmissions(),
        Duration.ofMillis(limits.getSubmissionWaitMillis()), fairness.getMaxSubmissionsInFlight(),
        fairness.getMaxWaitingPerCircuit());
    Path spool = data.resolve("spool");
    Spool.prepare(spool);
    SubmissionService submissions = new SubmissionService(keys, envelopes, mailboxes, receipts, submissionSlots,
        limits.getMaxEnvelopeBytes(), spool, limits.getRetryAfterSeconds());
    resources(env, keys, filings,
        new SourceService(keys, envelopes, mailboxes, receipts, submissionSlots, visits(env, limits), spool,
            limits.getRetryAfterSeconds(), limits.getMaxFormBytes(), limits.getMaxFilesPerForm(), clock, random),
        submissions, browserSealing(config, keys), errors, retention(keys));
    uploads(env, data, submissions, limits);
    safety(env, errors);
    OnionServices onions = onionServices(config, env, keys);
    // Built once: the reviewer API and the rewraps share it.
    ReviewerService reviewerService = new ReviewerService(transactions, envelopes, mailboxes,
        limits.getMaxEnvelopeBytes());
    ErasureService erasures = erasures(config, env, data, jdbi, transactions, log, keys, reviewerService);
    reviewerApi(config, env, keys, jdbi, transactions, log, reviewerService, erasures, onions);
    // before the circuit budgets: a post another site made costs nothing and reaches nothing
    env.servlets().addFilter("cross-site", new org.testigo.server.resources.source.CrossSiteFilter())
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
    circuits(config, env);
    rewraps(config, env, keys, transactions, envelopes, reviewerService, log);
    env.healthChecks().register("manifest", new ManifestHealthCheck(keys, clock));
    env.admin().addTask(new ExportEnvelopeTask(envelopes, data.resolve("exports")));
    env.admin().addTask(new RestrictedLogLevelTask());
    env.admin().addTask(new UpdateManifestTask(new ManifestUpdater(keys, config.getKeys().manifestFile(data),
        logKey.publicKey(), log, clock)));
    if (config.getKeys().isDemoBootstrap()) {
      banner(env, data, keys, demo);
    }
  }

  /**
   * The write path of the reports held in memory, chosen once here from the configuration
   * ({@code database.groupCommitWriters}): a group commit when it has writers, else one
   * transaction per report. The group commit's metrics are registered either way (zero when
   * it is off).
   */
  private static ReportWriter reportWriter(IntakeConfiguration config, Environment env,
      TransactionRunner transactions, TransparencyLog log) {
    int chunkBytes = config.getLimits().getChunkBytes();
    GroupCommit.Settings settings = config.getDatabase().groupCommit();
    TransactionWriter alone = new TransactionWriter(transactions, log, chunkBytes);
    GroupCommit groupCommit = new GroupCommit(transactions, log, chunkBytes, settings,
        config.getLimits().getRetryAfterSeconds(), alone);
    env.lifecycle().manage(groupCommit);
    env.metrics().register("groupCommit.batches", (Gauge<Long>) groupCommit::batches);
    env.metrics().register("groupCommit.batchedEnvelopes", (Gauge<Long>) groupCommit::batchedEnvelopes);
    env.metrics().register("groupCommit.handedBack", (Gauge<Long>) groupCommit::handedBack);
    env.metrics().register("groupCommit.queueTime", groupCommit.queueTime());
    env.metrics().register("groupCommit.batchTime", groupCommit.batchTime());
    return settings.writers() > 0 ? groupCommit : alone;
  }

  /**
   * Fair shares per Tor circuit (SECURITY.md, "Intake under attack"): the table learns each
   * source connection's circuit from tor's PROXY line; the filter, after the reviewer-port
   * filter, applies each circuit's budgets. Says at start whether the source connector reads
   * PROXY lines; without them every TCP connection counts as a circuit of its own.
   */
  private static void circuits(IntakeConfiguration config, Environment env) {
    CircuitTable circuits = new CircuitTable(config.getFairness());
    CircuitFilter filter = new CircuitFilter(circuits, config.getLimits().getMaxBodiesInFlight(),
        config.getLimits().getRetryAfterSeconds());
    env.servlets().addFilter("circuits", filter)
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
    env.metrics().register("bodies.inFlight", (Gauge<Integer>) filter::bodiesInFlight);
    env.metrics().register("circuits.tracked", (Gauge<Integer>) circuits::size);
    int reviewerIndex = config.getReviewerApi().isEnabled() ? config.getReviewerApi().getConnectorIndex() : -1;
    env.lifecycle().addEventListener(new LifeCycle.Listener() {
      @Override
      public void lifeCycleStarting(LifeCycle event) {
        if (!(event instanceof Server server)) {
          return;
        }
        Connector[] connectors = server.getConnectors();
        for (int i = 0; i < connectors.length; i++) {
          Connector c = connectors[i];
          if (i == reviewerIndex || c.getName() != null && c.getName().startsWith("admin")) {
            continue;
          }
          c.addBean(circuits);
          boolean proxy = c.getConnectionFactories().stream().anyMatch(f -> f instanceof ProxyConnectionFactory);
          if (proxy) {
            LOG.info("source connector {}: reads tor's PROXY lines (HiddenServiceExportCircuitID haproxy);"
                + " fair shares are per Tor circuit", i);
          } else {
            LOG.warn("source connector {}: useProxyProtocol is off, so each TCP connection counts as its own"
                + " circuit; behind tor, set useProxyProtocol: true and HiddenServiceExportCircuitID haproxy"
                + " (ops/tor/torrc)", i);
          }
        }
      }
    });
    ScheduledExecutorService sweeper = env.lifecycle().scheduledExecutorService("circuit-sweep").threads(1).build();
    sweeper.scheduleWithFixedDelay(circuits::sweep, 1, 1, TimeUnit.MINUTES);
  }

  /** Visits (one Argon2id per visit): capabilities in memory, swept every minute. */
  private VisitService visits(Environment env, LimitSettings limits) {
    VisitService visits = new VisitService(limits.getMaxVisits(), Duration.ofMinutes(limits.getVisitIdleMinutes()),
        Duration.ofHours(limits.getVisitMaxHours()), clock, random);
    env.metrics().register("visits.open", (Gauge<Integer>) visits::size);
    ScheduledExecutorService sweeper = env.lifecycle().scheduledExecutorService("visit-expiry").threads(1).build();
    sweeper.scheduleWithFixedDelay(visits::sweep, 1, 1, TimeUnit.MINUTES);
    return visits;
  }

  /**
   * Publishes the source and reviewer onion services when a tor section is configured; the
   * reviewer onion's clients come from the manifest in force ({@code ReviewerOnionClients}).
   */
  private static OnionServices onionServices(IntakeConfiguration config, Environment env, KeyState keys) {
    TorSettings tor = config.getTor();
    if (tor == null) {
      return null;
    }
    OnionServices onions = new OnionServices(tor, keys::manifest);
    env.lifecycle().manage(onions);
    env.healthChecks().register("tor", new TorHealthCheck(onions, tor.isRequireBootstrap()));
    return onions;
  }

  private DemoOrganisation.Created demoOrganisation(IntakeConfiguration config, Path data) throws IOException {
    KeySettings k = config.getKeys();
    if (!k.isDemoBootstrap()) {
      return null;
    }
    return DemoOrganisation.createIfAbsent(data, k.manifestFile(data), k.rootFingerprintFile(data),
        k.deploymentSecretFile(data), config.getLog().keyFile(data), KeystoreParams.DEFAULT, random, clock);
  }

  /**
   * The transparency log: refuses to start unless the log key file holds the log key of the
   * manifest in force; logs the manifests not yet in the log; sequences pending leaves and
   * signs tree heads on schedule;
   * serves the public log API and proof-of-filing downloads.
   */
  private FilingProofs transparencyLog(LogSettings settings, Environment env, KeyState keys, LogSigningKey key,
      TransparencyLog log, EnvelopeStore envelopes, Jdbi jdbi) {
    log.logManifests(keys.chain(), clock.instant());
    env.lifecycle().manage(new LogSequencer(log, Duration.ofMillis(settings.getSequencerIntervalMillis())));
    env.lifecycle().manage(new TreeHeadSigner(log, key, clock,
        Duration.ofSeconds(settings.getTreeHeadIntervalSeconds()),
        Duration.ofHours(settings.getTreeHeadRefreshHours())));
    FilingProofs filings = new FilingProofs(log, key.publicKey());
    env.jersey().register(new LogResource(log, new EnvelopeHeaders(log, envelopes)));
    env.jersey().register(new ProofOfFilingResource(filings));
    return filings;
  }

  private KeyState keys(KeySettings k, Path data) throws KeyState.KeyLoadException {
    return KeyState.load(k.manifestFile(data), k.rootFingerprintFile(data), k.deploymentSecretFile(data), clock);
  }

  /**
   * Server settings that no config file can turn back on.
   * <ul>
   *   <li>No compressed responses (docs/decisions/0009-no-compressed-responses.md): the length of a compressed page depends
   *       on its content, and a page that shows a secret (the receipt, a reply) next to text the
   *       visitor controls would leak it to anyone who sees the lengths (BREACH). Dropwizard
   *       compresses by default; it also costs CPU on every request.</li>
   *   <li>No request paths in thread names (docs/decisions/0012-no-request-paths-in-thread-names.md): Dropwizard's thread-name filter
   *       renames each request thread to its method, path and query and back, on every request;
   *       an upload's path holds its id, which would then show in thread dumps, and the renaming
   *       cost about 3 % of the server's CPU at 32 clients.</li>
   * </ul>
   */
  private static void serverSettings(IntakeConfiguration config) {
    if (config.getServerFactory() instanceof AbstractServerFactory server) {
      server.getGzipFilterFactory().setEnabled(false);
      server.setEnableThreadNameFilter(false);
    }
  }

  private Jdbi database(IntakeConfiguration config, Environment env, Path data) throws IOException {
    DataSourceFactory factory = config.getDatabase().dataSourceFactory(data);
    ManagedDataSource dataSource = factory.build(env.metrics(), "database");
    Migrations.migrate(dataSource);
    return Daos.cacheMetadata(new JdbiFactory().build(env, factory, dataSource, "database"));
  }

  /** Whole-transaction retries for a Galera cluster (docs/decisions/0007-galera-multi-master.md). */
  private static TransactionRunner transactions(IntakeConfiguration config, Jdbi jdbi) {
    var db = config.getDatabase();
    return new TransactionRunner(jdbi, db.getTransactionAttempts(), Duration.ofMillis(db.getRetryBackoffMillis()),
        Duration.ofMillis(db.getMaxRetryBackoffMillis()), Duration.ofMillis(db.getRetryBudgetMillis()));
  }

  private static ReceiptService receipts(IntakeConfiguration config, KeyState keys) {
    var r = config.getReceipts();
    return new ReceiptService(new ReceiptParams(r.getMemoryKiB(), r.getIterations(), r.getParallelism()),
        keys, new ConcurrencyLimiter(config.getLimits().getMaxConcurrentKeyDerivations(),
            config.getLimits().getRetryAfterSeconds(), config.getLimits().getMaxQueuedKeyDerivations(),
            Duration.ofMillis(config.getLimits().getKeyDerivationWaitMillis()),
            config.getFairness().getMaxKeyDerivationsInFlight(), config.getFairness().getMaxWaitingPerCircuit()));
  }

  private static BrowserSealing browserSealing(IntakeConfiguration config, KeyState keys) {
    var r = config.getReceipts();
    return new BrowserSealing(keys.rootFingerprint().hex(), r.getMemoryKiB(), r.getIterations(), r.getParallelism(),
        config.getLimits().getMaxEnvelopeBytes(), config.getLimits().getMaxFilesPerForm());
  }

  private void uploads(Environment env, Path data, SubmissionService submissions, LimitSettings limits)
      throws IOException {
    UploadService uploads = new UploadService(data.resolve("uploads"), submissions, new UploadService.Bounds(
        limits.getMaxOpenUploads(), limits.getMaxPendingUploads(), limits.getMaxUploadDiskBytes(),
        limits.getMaxEnvelopeBytes(), limits.getMaxUploadPieceBytes(),
        Duration.ofMinutes(limits.getUploadIdleMinutes()), Duration.ofSeconds(limits.getUploadStallSeconds()),
        Duration.ofMinutes(limits.getUploadMaxAgeMinutes()), limits.getRetryAfterSeconds()), clock, random);
    env.metrics().register("uploads.active", (Gauge<Integer>) uploads::activeCount);
    env.metrics().register("uploads.pending", (Gauge<Integer>) uploads::pendingCount);
    env.metrics().register("uploads.evicted", (Gauge<Long>) uploads::evictedCount);
    env.jersey().register(new UploadsResource(uploads));
    env.jersey().register(new UploadsResource.UnknownUploadMapper());
    env.jersey().register(new UploadsResource.OffsetMismatchMapper());
    ScheduledExecutorService sweeper = env.lifecycle().scheduledExecutorService("upload-expiry").threads(1).build();
    sweeper.scheduleWithFixedDelay(uploads::expire, 5, 5, TimeUnit.SECONDS);
  }

  /** What the status page tells a source about retention: the policy of the manifest in force now. */
  private RetentionInForce retention(KeyState keys) {
    return () -> keys.retentionAt(clock.instant())
        .map(p -> new RetentionInForce.Terms(p.closedDays(), p.referralDays()));
  }

  private static void resources(Environment env, KeyState keys, FilingProofs filings,
      SourceService source, SubmissionService submissions, BrowserSealing sealing, ErrorRegistry errors,
      RetentionInForce retention) {
    env.jersey().register(new SourcePagesResource(keys, source, sealing, filings, retention));
    env.jersey().register(new AssetsResource());
    env.jersey().register(new ManifestResource(keys));
    ApiErrors apiErrors = new ApiErrors(errors, env.getObjectMapper());
    env.servlets().addServlet("submissions", new SubmissionsServlet(submissions, apiErrors, env.getObjectMapper()))
        .addMapping(SubmissionsServlet.PATH);
    env.jersey().register(new MailboxesResource(submissions));
  }

  /**
   * Erasure (docs/spec/retention-and-erasure.md §3): deletions run on the eraser account's own
   * pool when {@code eraserDatabase} is configured (MariaDB), else on the application's (H2);
   * the public audit feeds, erasures among them, are registered here.
   */
  private ErasureService erasures(IntakeConfiguration config, Environment env, Path data, Jdbi jdbi,
      TransactionRunner transactions, TransparencyLog log, KeyState keys, ReviewerService reviewerService)
      throws IOException {
    TransactionRunner eraser = transactions;
    EraserDatabaseSettings settings = config.getEraserDatabase();
    if (settings != null) {
      DataSourceFactory factory = config.getDatabase().eraserDataSourceFactory(data, settings);
      ManagedDataSource dataSource = factory.build(env.metrics(), "eraser");
      eraser = transactions(config, Daos.cacheMetadata(new JdbiFactory().build(env, factory, dataSource, "eraser")));
    } else if (config.getDatabase().getType() == DatabaseSettings.Type.MARIADB) {
      LOG.warn("eraserDatabase is not configured: erasures will run as the application's database account, which"
          + " in production has no DELETE right (they then fail); set eraserDatabase (ops/config/intake-server.yml)");
    }
    ErasureService erasures = new ErasureService(transactions, eraser, log, keys, reviewerService, clock);
    env.jersey().register(new AuditFeedResource(new AuditFeeds(jdbi), erasures));
    return erasures;
  }

  private void reviewerApi(IntakeConfiguration config, Environment env, KeyState keys, Jdbi jdbi,
      TransactionRunner transactions, TransparencyLog log, ReviewerService service, ErasureService erasures,
      OnionServices onions) {
    ReviewerApiSettings settings = config.getReviewerApi();
    ReviewerApi.install(env, config.getServerFactory(), settings, keys, service,
        new CaseEventService(jdbi, log, keys, service, settings.getMaxEventBytes(), clock), erasures,
        new ChallengeService(jdbi, log, clock), new NonceStore(transactions, clock),
        config.getLimits().getMaxEnvelopeBytes(),
        () -> onions == null || onions.reviewerAddress() == null ? null : onions.reviewerAddress().serviceId(),
        clock);
  }

  /** Rewraps (docs/spec/reviewer-api-and-batches.md §5): the reviewer endpoint, and the public record of each rewrap leaf. */
  private void rewraps(IntakeConfiguration config, Environment env, KeyState keys, TransactionRunner transactions,
      EnvelopeStore envelopes, ReviewerService reviewerService, TransparencyLog log) {
    RewrapService rewraps = new RewrapService(transactions, new CurrentEnvelopes(envelopes), reviewerService, keys,
        log, clock);
    env.jersey().register(new RewrapLogResource(rewraps));
    if (config.getReviewerApi().isEnabled()) {
      env.jersey().register(new ReviewerRewrapsResource(rewraps, config.getReviewerApi().getMaxPageSize()));
    }
  }

  /** The edge, the security headers, and Jersey's error mappers (from the one {@link ErrorRegistry}). */
  private static void safety(Environment env, ErrorRegistry errors) {
    Edge.install(env);
    env.servlets().addFilter("security-headers", new SecurityHeadersFilter())
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ERROR), true, "/*");
    env.admin().addFilter("security-headers", new SecurityHeadersFilter())
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ERROR), true, "/*");
    env.jersey().register(new RefusedBodyFilter());
    for (Object mapper : errors.mappers()) {
      env.jersey().register(mapper);
    }
  }

  private static void banner(Environment env, Path data, KeyState keys, DemoOrganisation.Created demo) {
    env.lifecycle().addServerLifecycleListener(server -> {
      java.util.List<String> application = new java.util.ArrayList<>();
      String admin = null;
      for (var c : server.getConnectors()) {
        if (c instanceof NetworkConnector n) {
          String u = "http://" + (n.getHost() == null ? "127.0.0.1" : n.getHost()) + ":" + n.getLocalPort() + "/";
          if (c.getName() != null && c.getName().startsWith("admin")) {
            admin = u;
          } else {
            application.add(u);
          }
        }
      }
      if (demo != null) {
        System.out.println("Created a demo organisation in " + data);
      }
      String reviewer = application.size() > 1 ? application.get(1) : null;
      DemoOrganisation.printBanner(System.out, application.isEmpty() ? null : application.get(0), reviewer,
          admin, data, keys.rootFingerprint().hex());
    });
  }
}
