package org.testigo.server.bench;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.receipt.Receipt;
import org.testigo.crypto.receipt.ReceiptKeys;
import org.testigo.crypto.receipt.ReceiptParams;

/**
 * Load benchmark of the intake server (a program that prints figures, not a test).
 *
 * <p>Starts the packaged server jar with a 256 MiB heap on MariaDB at 127.0.0.1:3306 (its
 * own database, dropped at the end), then measures:
 * <ol>
 *   <li>envelopes sealed elsewhere (the API path), 10 KB, with 1, 8 and 32 concurrent
 *       clients, after a warm-up at the highest concurrency so that the server is not
 *       measured while its JIT is still compiling (the warm-up prints its rate every few
 *       seconds, the first of them as the cold figure): reports/s, p50
 *       and p99 latency, the load generator's own CPU per request (it shares the cores with
 *       the server), and the ratio against a bare JDBC insert of the same bytes into the same
 *       database with the same concurrency ({@code useServerPrepStmts=true}), with both tables'
 *       row counts; then, at the highest concurrency, the same once more after the bare table
 *       has grown to the envelopes table's size (both paths slow down as their tables grow, and
 *       only the API path has had a warm-up). The uploads go through {@link LoopbackHttp}
 *       unless {@code -Dbench.httpClient=jdk};</li>
 *   <li>reports sealed by the server with a new receipt (the no-JavaScript form): reports/s
 *       and the ratio against Argon2id alone at the configured receipt parameters and the
 *       same concurrency;</li>
 *   <li>one 1 GiB envelope uploaded to the server capped at 256 MiB of heap.</li>
 * </ol>
 * Each figure and its baseline run in alternating slices, so both see the same machine load.
 * Run after {@code mvn -DskipTests package}: see README.md, "Benchmarks".
 * Every load phase is bounded in time and targets loopback only.
 */
public final class SubmissionBenchmark {
  static final int ENVELOPE_PLAINTEXT = 10_000;
  static final Duration PHASE = Duration.ofSeconds(Integer.getInteger("bench.seconds", 10));
  static final Duration WARMUP = Duration.ofSeconds(3);
  /** Rounds of the API and server-sealed phases (each pairs the server with its baseline). */
  static final int ROUNDS = Integer.getInteger("bench.rounds", 1);
  /** API uploads at the highest concurrency before the first API measurement. */
  static final Duration API_WARMUP = Duration.ofSeconds(Integer.getInteger("bench.warmupSeconds", 90));
  /**
   * Server-sealed reports before the first server-sealed measurement: the form, multipart,
   * sealing and page code is compiled by the JIT in this time, which otherwise took about 8 %
   * of the server's CPU during the measurement, from the same two cores as Argon2id.
   */
  static final Duration SEALED_WARMUP = Duration.ofSeconds(Integer.getInteger("bench.sealedWarmupSeconds", 30));
  static final boolean EQUAL_TABLES = Boolean.parseBoolean(System.getProperty("bench.equalTables", "true"));
  static final Duration WARMUP_REPORT_EVERY = Duration.ofSeconds(5);
  /** The API path's client: {@code lean} ({@link LoopbackHttp}) or {@code jdk} (java.net.http). */
  static final String API_CLIENT = System.getProperty("bench.httpClient", "lean");
  static final int CORES = Runtime.getRuntime().availableProcessors();
  static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  public static void main(String[] args) throws Exception {
    Path repo = locateRepo();
    Path jar = repo.resolve("intake-server/target/testigo-intake-server.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException("build first: mvn -B -DskipTests package");
    }
    Path work = Files.createTempDirectory("testigo-bench-");
    String db = "testigo_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String rootUrl = "jdbc:mariadb://127.0.0.1:3306/?user=root";
    try (Connection c = DriverManager.getConnection(rootUrl); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + db);
    }
    Process server = null;
    try {
      Path emptyPassword = Files.writeString(work.resolve("db-password"), "");
      int port = freePort();
      int admin = freePort();
      List<String> cmd = new ArrayList<>(List.of("java", "-Xmx256m"));
      String extra = System.getProperty("bench.serverJvmArgs", "").strip();
      if (!extra.isEmpty()) {
        cmd.addAll(List.of(extra.split("\\s+")));
      }
      cmd.addAll(List.of(
          "-Ddw.dataDirectory=" + work.resolve("data"),
          "-Ddw.server.applicationConnectors[0].port=" + port,
          "-Ddw.server.applicationConnectors[1].port=" + freePort(),
          "-Ddw.server.adminConnectors[0].port=" + admin,
          "-Ddw.database.type=MARIADB",
          "-Ddw.database.url=jdbc:mariadb://127.0.0.1:3306/" + db + "?useServerPrepStmts=true",
          "-Ddw.database.user=root",
          "-Ddw.database.passwordFile=" + emptyPassword,
          "-Ddw.limits.maxEnvelopeBytes=1200000000",
          "-Ddw.limits.maxConcurrentSubmissions=64",
          "-Ddw.logging.level=WARN",
          "-jar", jar.toString(), "server", repo.resolve("intake-server/config-demo.yml").toString()));
      System.out.println("starting the server jar (-Xmx256m) on MariaDB database " + db + " ...");
      System.out.println(mariadbSettings(rootUrl));
      server = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(work.resolve("server.log").toFile()).start();
      String base = "http://127.0.0.1:" + port;
      waitHealthy(server, "http://127.0.0.1:" + admin + "/healthcheck", work.resolve("server.log"));
      // HTTP/1.1 as Tor Browser speaks to an onion service; the JDK default (HTTP/2) would add
      // an h2c upgrade offer that the server declines.
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();
      List<RecipientPublicKey> recipients = recipients(http, base);

      Set<String> phases = Set.of(System.getProperty("bench.phases", "api,sealed,gib").split(","));
      for (int round = 1; round <= ROUNDS; round++) {
        if (ROUNDS > 1) {
          System.out.printf("%n== round %d of %d, load average %s%n", round, ROUNDS, loadAverage());
        }
        if (phases.contains("api")) {
          apiPath(http, base, recipients, db, round == 1);
          printGroupCommit(http, "http://127.0.0.1:" + admin + "/metrics");
        }
        if (phases.contains("sealed")) {
          serverSealedPath(http, base, repo);
        }
      }
      if (phases.contains("gib")) {
        oneGibUpload(http, base, recipients, work, server);
      }
    } finally {
      if (server != null) {
        server.destroy();
        server.waitFor(20, TimeUnit.SECONDS);
        server.destroyForcibly();
      }
      try (Connection c = DriverManager.getConnection(rootUrl); Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + db);
      }
      deleteTree(work);
    }
  }

  /**
   * The MariaDB settings that move the API path's ratio most (docs/decisions/0008-group-commit.md; docs/decisions/0011-envelopes-clustered-by-arrival.md): both
   * paths write randomly keyed index pages (the API path two small indexes, the bare table its
   * primary key), and the buffer pool and the redo log decide how often those pages are
   * flushed and read back as the tables grow.
   */
  static String mariadbSettings(String rootUrl) throws java.sql.SQLException {
    StringBuilder line = new StringBuilder("MariaDB (as found, not changed by this program):");
    try (Connection c = DriverManager.getConnection(rootUrl); Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT @@version, @@innodb_buffer_pool_size,"
            + " @@innodb_log_file_size, @@innodb_flush_log_at_trx_commit")) {
      rs.next();
      line.append(String.format(" %s, innodb_buffer_pool_size %d MiB, innodb_log_file_size %d MiB,"
          + " innodb_flush_log_at_trx_commit %s", rs.getString(1), rs.getLong(2) >> 20, rs.getLong(3) >> 20,
          rs.getString(4)));
    }
    return line.toString();
  }

  // ---- 1. API path vs bare JDBC ----

  static void apiPath(HttpClient http, String base, List<RecipientPublicKey> recipients, String db,
      boolean warmUp) throws Exception {
    SecureRandom random = new SecureRandom();
    List<byte[]> envelopes = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      byte[] plain = new byte[ENVELOPE_PLAINTEXT];
      random.nextBytes(plain);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (OutputStream sealing = Envelope.sealing(out, recipients, Envelope.CONTEXT_REPORT, random)) {
        sealing.write(plain);
      }
      envelopes.add(out.toByteArray());
    }
    System.out.printf("%nAPI path: %d-byte envelopes (10 KB plaintext), %s per phase, client: %s%n",
        envelopes.get(0).length, PHASE, API_CLIENT);
    int[] concurrencies = java.util.Arrays.stream(System.getProperty("bench.apiClients", "1,8,32").split(","))
        .mapToInt(c -> Integer.parseInt(c.strip())).toArray();
    if (warmUp && API_WARMUP.toSeconds() > 0) {
      try (Uploads upload = uploads(http, base, envelopes)) {
        warmUp(upload, java.util.Arrays.stream(concurrencies).max().orElseThrow());
      }
    }
    System.out.printf("gen CPU: CPU time of this process (the load generator) per request, and as a share"
        + " of the machine's %d cores; rows: the envelopes table and the bare table when the row's"
        + " measurement ends%n", CORES);
    System.out.printf("%-8s %12s %9s %9s %15s %10s %16s %8s %s%n", "clients", "reports/s", "p50 ms", "p99 ms",
        "gen CPU ms/req", "gen CPU %", "bare JDBC rows/s", "ratio", "rows");
    for (int clients : concurrencies) {
      apiAgainstBare(http, base, db, envelopes, clients, String.valueOf(clients));
    }
    if (EQUAL_TABLES) {
      int most = java.util.Arrays.stream(concurrencies).max().orElseThrow();
      try (BareJdbc bare = new BareJdbc(db, envelopes)) {
        growBareTable(bare, db, most);
      }
      apiAgainstBare(http, base, db, envelopes, most, most + "=");
      System.out.printf("%d=: the same clients after the bare table has grown to the envelopes table's size;"
          + " the rows above compare the envelopes table after the warm-up with a bare table that has only"
          + " had its own slices%n", most);
    }
  }

  /** One row of the API table: uploads and bare inserts at {@code clients}, alternated. */
  static void apiAgainstBare(HttpClient http, String base, String db, List<byte[]> envelopes, int clients,
      String label) throws Exception {
    Load api;
    Load jdbc;
    try (BareJdbc bare = new BareJdbc(db, envelopes); Uploads upload = uploads(http, base, envelopes)) {
      List<Load> loads = interleaved(List.of(new Workload(clients, upload), new Workload(clients, bare)));
      api = loads.get(0);
      jdbc = loads.get(1);
    }
    System.out.printf("%-8s %12.0f %9.1f %9.1f %15.3f %10.1f %16.0f %8.2f %,d / %,d   (load %s)%n", label,
        api.perSecond(), api.percentile(50), api.percentile(99), api.cpuMillisPerOp(), api.cpuPercent(),
        jdbc.perSecond(), api.perSecond() / jdbc.perSecond(), rows(db, "envelopes"), rows(db, "bench_raw"),
        loadAverage());
  }

  /**
   * Unless {@code -Dbench.equalTables=false}: bare inserts at {@code clients} concurrency until the
   * bare table has as many rows as the envelopes table (at most {@link #API_WARMUP}), so the
   * alternated figures compare tables of the same size. Both paths slow down as their tables
   * outgrow the buffer pool (docs/decisions/0011-envelopes-clustered-by-arrival.md), and the warm-up grows only the envelopes
   * table. A line every {@link #WARMUP_REPORT_EVERY}.
   */
  static void growBareTable(BareJdbc bare, String db, int clients) throws Exception {
    long target = rows(db, "envelopes");
    System.out.printf("equal tables: bare inserts with %d clients up to %,d rows (the envelopes table), at most %s%n",
        clients, target, API_WARMUP);
    onPool(clients, pool -> {
      long deadline = System.nanoTime() + API_WARMUP.toNanos();
      long have = rows(db, "bench_raw");
      while (have < target && System.nanoTime() < deadline) {
        Load l = phase(pool, clients, bare, WARMUP_REPORT_EVERY);
        have = rows(db, "bench_raw");
        System.out.printf("  %,d rows; last %.0f s: %.0f rows/s%n", have, l.seconds(), l.perSecond());
      }
      return null;
    });
  }

  static long rows(String db, String table) throws java.sql.SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/" + db + "?user=root");
        Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * API uploads at {@code clients} concurrency for {@link #API_WARMUP} before the first
   * measurement, so that the server (and this process) are not measured while the JIT
   * compilers are busy. A line every {@link #WARMUP_REPORT_EVERY}, the first one being the cold
   * figure; a rate still rising in the last lines means a longer warm-up is needed.
   */
  static void warmUp(Action upload, int clients) throws Exception {
    System.out.printf("warm-up: %s of API uploads with %d clients%n", API_WARMUP, clients);
    onPool(clients, pool -> {
      long count = 0;
      double seconds = 0;
      for (Duration done = Duration.ZERO; done.compareTo(API_WARMUP) < 0; done = done.plus(WARMUP_REPORT_EVERY)) {
        Duration step = API_WARMUP.minus(done).compareTo(WARMUP_REPORT_EVERY) < 0
            ? API_WARMUP.minus(done) : WARMUP_REPORT_EVERY;
        Load l = phase(pool, clients, upload, step);
        count += l.count();
        seconds += l.seconds();
        if (done.isZero()) {
          System.out.printf("  cold (first %.0f s): %.0f reports/s, p50 %.1f ms, p99 %.1f ms, gen CPU %.3f ms/req"
              + " (load %s)%n", l.seconds(), l.perSecond(), l.percentile(50), l.percentile(99),
              l.cpuMillisPerOp(), loadAverage());
        } else {
          System.out.printf("  %3.0f s: %.0f reports/s so far; last %.0f s: %.0f reports/s, gen CPU %.3f ms/req%n",
              seconds, count / seconds, l.seconds(), l.perSecond(), l.cpuMillisPerOp());
        }
      }
      return null;
    });
  }

  /** Uploads of the envelopes to the API path; closing releases the client's connections. */
  interface Uploads extends Action, AutoCloseable {
    @Override
    default void close() throws IOException {}
  }

  static Uploads uploads(HttpClient http, String base, List<byte[]> envelopes) {
    return switch (API_CLIENT) {
      case "lean" -> new LeanUploads(URI.create(base).getPort(), envelopes);
      case "jdk" -> i -> {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/submissions"))
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(envelopes.get(i % envelopes.size()))).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 201) {
          throw new IllegalStateException("HTTP " + r.statusCode());
        }
      };
      default -> throw new IllegalArgumentException("bench.httpClient must be lean or jdk, not " + API_CLIENT);
    };
  }

  /**
   * API uploads through {@link LoopbackHttp}: one kept-alive connection per client thread,
   * each envelope's whole request built once.
   */
  static final class LeanUploads implements Uploads {
    private final List<byte[]> requests = new ArrayList<>();
    private final List<LoopbackHttp> opened = Collections.synchronizedList(new ArrayList<>());
    private final ThreadLocal<LoopbackHttp> conns;

    LeanUploads(int port, List<byte[]> envelopes) {
      for (byte[] envelope : envelopes) {
        requests.add(LoopbackHttp.post(port, "/api/v1/submissions", "application/octet-stream", envelope));
      }
      this.conns = ThreadLocal.withInitial(() -> {
        LoopbackHttp c = new LoopbackHttp(port);
        opened.add(c);
        return c;
      });
    }

    @Override
    public void run(int i) throws IOException {
      conns.get().exchange(requests.get(i % requests.size()), 201);
    }

    @Override
    public void close() throws IOException {
      for (LoopbackHttp c : opened) {
        c.close();
      }
    }
  }

  /** The baseline: one autocommitted INSERT of the same bytes per operation, a connection per thread. */
  static final class BareJdbc implements Action, AutoCloseable {
    private final String url;
    private final List<byte[]> envelopes;
    private final List<Connection> opened = Collections.synchronizedList(new ArrayList<>());
    private final ThreadLocal<Connection> conns;
    private final SecureRandom random = new SecureRandom();

    BareJdbc(String db, List<byte[]> envelopes) throws Exception {
      this.url = "jdbc:mariadb://127.0.0.1:3306/" + db + "?user=root&useServerPrepStmts=true";
      this.envelopes = envelopes;
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS bench_raw (id BINARY(16) PRIMARY KEY, body MEDIUMBLOB NOT NULL)"
            + " ENGINE=InnoDB");
      }
      this.conns = ThreadLocal.withInitial(() -> {
        try {
          Connection c = DriverManager.getConnection(url);
          opened.add(c);
          return c;
        } catch (java.sql.SQLException e) {
          throw new IllegalStateException(e);
        }
      });
    }

    @Override
    public void run(int i) throws Exception {
      byte[] id = new byte[16];
      random.nextBytes(id);
      try (PreparedStatement ps = conns.get().prepareStatement("INSERT INTO bench_raw (id, body) VALUES (?, ?)")) {
        ps.setBytes(1, id);
        ps.setBytes(2, envelopes.get(i % envelopes.size()));
        ps.executeUpdate();
      }
    }

    @Override
    public void close() throws Exception {
      for (Connection c : opened) {
        c.close();
      }
    }
  }

  // ---- 2. server-sealed reports (new receipt each) vs Argon2id alone ----

  static void serverSealedPath(HttpClient http, String base, Path repo) throws Exception {
    // Twice the cores by default: with exactly one client per core, every millisecond a request
    // spends waiting (database commit, network) leaves a core idle that the baseline never
    // leaves idle. The baseline is measured at both concurrencies and the better one is used.
    int cores = Runtime.getRuntime().availableProcessors();
    int clients = Integer.getInteger("bench.sealedClients", 2 * cores);
    System.out.printf("%nServer-sealed reports with a new receipt (no-JavaScript form), %d clients%n",
        clients);
    Action form = i -> {
      String boundary = "----bench" + i;
      String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n1\r\n"
          + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"what\"\r\n\r\nextortion\r\n"
          + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"narrative\"\r\n\r\n"
          + "Nos pidieron dinero en el tren.\r\n--" + boundary + "--\r\n";
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/report"))
          .header("Content-Type", "multipart/form-data; boundary=" + boundary)
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("HTTP " + r.statusCode());
      }
    };
    if (SEALED_WARMUP.toSeconds() > 0) {
      Load w = onPool(clients, pool -> phase(pool, clients, form, SEALED_WARMUP));
      System.out.printf("warm-up: %s of server-sealed reports, %.2f reports/s%n", SEALED_WARMUP, w.perSecond());
    }
    ReceiptParams params = receiptParams(repo);
    byte[] salt = new byte[32];
    Action derive = i -> ReceiptKeys.derive(Receipt.generate(new SecureRandom()), params, salt)
        .replyKey().destroy();
    List<Load> loads = interleaved(clients == cores
        ? List.of(new Workload(clients, form), new Workload(clients, derive))
        : List.of(new Workload(clients, form), new Workload(clients, derive), new Workload(cores, derive)));
    Load formLoad = loads.get(0);
    Load argonAtClients = loads.get(1);
    Load argonAtCores = loads.get(loads.size() - 1);
    System.out.printf("receipt derivations alone/s: %.2f with %d threads, %.2f with %d threads%n",
        argonAtClients.perSecond(), clients, argonAtCores.perSecond(), cores);
    Load argon = argonAtClients.perSecond() >= argonAtCores.perSecond() ? argonAtClients : argonAtCores;
    System.out.printf("receipt parameters: %d KiB, t=%d, p=%d%n", params.memoryKiB(), params.iterations(),
        params.parallelism());
    System.out.printf("server-sealed reports/s %.2f (p50 %.0f ms, p99 %.0f ms); receipt derivations"
        + " alone/s %.2f; ratio %.2f (load %s)%n", formLoad.perSecond(), formLoad.percentile(50),
        formLoad.percentile(99), argon.perSecond(), formLoad.perSecond() / argon.perSecond(), loadAverage());
  }

  static ReceiptParams receiptParams(Path repo) throws IOException {
    int memory = 65536;
    int iterations = 3;
    int parallelism = 1;
    for (String line : Files.readAllLines(repo.resolve("intake-server/config-demo.yml"))) {
      String t = line.strip();
      if (t.startsWith("memoryKiB:")) {
        memory = Integer.parseInt(t.substring(10).strip());
      } else if (t.startsWith("iterations:")) {
        iterations = Integer.parseInt(t.substring(11).strip());
      } else if (t.startsWith("parallelism:")) {
        parallelism = Integer.parseInt(t.substring(12).strip());
      }
    }
    return new ReceiptParams(memory, iterations, parallelism);
  }

  // ---- 3. one 1 GiB upload, server heap 256 MiB ----

  static void oneGibUpload(HttpClient http, String base, List<RecipientPublicKey> recipients, Path work,
      Process server) throws Exception {
    Path big = work.resolve("big.tgenv");
    long plaintext = 1L << 30;
    System.out.printf("%nSealing a 1 GiB payload to a file ...%n");
    byte[] block = new byte[1 << 20];
    new SecureRandom().nextBytes(block);
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(big), 1 << 16);
        OutputStream sealing = Envelope.sealing(file, recipients, Envelope.CONTEXT_REPORT, new SecureRandom())) {
      for (long done = 0; done < plaintext; done += block.length) {
        sealing.write(block);
      }
    }
    long size = Files.size(big);
    Instant start = Instant.now();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/submissions"))
        .timeout(Duration.ofMinutes(10))
        .header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofFile(big)).build(), HttpResponse.BodyHandlers.ofString());
    double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
    System.out.printf("1 GiB upload (%d bytes) to the server with -Xmx256m: HTTP %d in %.1f s (%.0f MiB/s);"
        + " server still alive: %s%n", size, r.statusCode(), seconds, size / seconds / (1 << 20),
        server.isAlive());
    Files.delete(big);
  }

  // ---- load driver ----

  interface Action {
    void run(int i) throws Exception;
  }

  /** What runs on a pool of client threads. */
  interface OnPool<T> {
    T run(ExecutorService pool) throws Exception;
  }

  /** Runs {@code body} on a new pool of {@code clients} threads, and stops the pool after it. */
  static <T> T onPool(int clients, OnPool<T> body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      return body.run(pool);
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  /** What one or more timed runs of a workload did; {@code cpuNanos} is this process's CPU time. */
  record Load(long count, double seconds, long[] latenciesNanos, long errors, long cpuNanos) {
    double perSecond() {
      return count / seconds;
    }

    double cpuMillisPerOp() {
      return cpuNanos / 1e6 / count;
    }

    /** This process's CPU time as a share of all the machine's cores over the run. */
    double cpuPercent() {
      return 100.0 * cpuNanos / (seconds * 1e9 * CORES);
    }

    double percentile(int p) {
      if (latenciesNanos.length == 0) {
        return Double.NaN;
      }
      int idx = (int) Math.min(latenciesNanos.length - 1, Math.ceil(p / 100.0 * latenciesNanos.length) - 1);
      return latenciesNanos[Math.max(0, idx)] / 1e6;
    }
  }

  /** An action and the number of threads that run it. */
  record Workload(int clients, Action action) {}

  /**
   * Runs the workloads in alternating slices ({@code bench.slices}, default 5, together one
   * {@link #PHASE} per workload) after a warm-up of each, so that every workload and its
   * baseline see the same machine load (other programs on a shared machine change it from
   * one minute to the next). Returns one merged load per workload, in order.
   */
  static List<Load> interleaved(List<Workload> workloads) throws Exception {
    int slices = Integer.getInteger("bench.slices", 5);
    Duration slice = PHASE.dividedBy(slices);
    List<ExecutorService> pools = new ArrayList<>();
    try {
      List<List<Load>> parts = new ArrayList<>();
      for (Workload w : workloads) {
        ExecutorService pool = Executors.newFixedThreadPool(w.clients());
        pools.add(pool);
        phase(pool, w.clients(), w.action(), WARMUP);
        parts.add(new ArrayList<>());
      }
      for (int k = 0; k < slices; k++) {
        for (int w = 0; w < workloads.size(); w++) {
          parts.get(w).add(phase(pools.get(w), workloads.get(w).clients(), workloads.get(w).action(), slice));
        }
      }
      List<Load> merged = new ArrayList<>();
      for (List<Load> p : parts) {
        long count = 0;
        double seconds = 0;
        long errors = 0;
        long cpu = 0;
        List<long[]> lats = new ArrayList<>();
        for (Load l : p) {
          count += l.count();
          seconds += l.seconds();
          errors += l.errors();
          cpu += l.cpuNanos();
          lats.add(l.latenciesNanos());
        }
        long[] all = lats.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();
        merged.add(new Load(count, seconds, all, errors, cpu));
      }
      return merged;
    } finally {
      for (ExecutorService pool : pools) {
        pool.shutdownNow();
        pool.awaitTermination(30, TimeUnit.SECONDS);
      }
    }
  }

  static Load phase(ExecutorService pool, int clients, Action action, Duration length) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    List<Future<long[]>> futures = new ArrayList<>();
    long cpu0 = OS.getProcessCpuTime();
    long t0 = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      final int client = c;
      futures.add(pool.submit(() -> {
        long[] lat = new long[1024];
        int n = 0;
        long errors = 0;
        int i = client;
        while (!stop.get()) {
          long s = System.nanoTime();
          try {
            action.run(i);
          } catch (Exception e) {
            errors++;
            if (errors > 100) {
              throw e;
            }
            continue;
          }
          if (n == lat.length) {
            lat = java.util.Arrays.copyOf(lat, n * 2);
          }
          lat[n++] = System.nanoTime() - s;
          i += clients;
        }
        long[] out = java.util.Arrays.copyOf(lat, n + 1);
        out[n] = -errors - 1;
        return out;
      }));
    }
    Thread.sleep(length.toMillis());
    stop.set(true);
    List<long[]> perClient = new ArrayList<>();
    for (Future<long[]> f : futures) {
      perClient.add(f.get(2, TimeUnit.MINUTES));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    long cpu = OS.getProcessCpuTime() - cpu0;
    long errors = 0;
    for (long[] lat : perClient) {
      errors += -(lat[lat.length - 1] + 1);
    }
    long[] sorted = perClient.stream()
        .flatMapToLong(lat -> java.util.Arrays.stream(lat, 0, lat.length - 1)).sorted().toArray();
    if (errors > 0) {
      System.out.println("  (" + errors + " failed requests in this phase)");
    }
    return new Load(sorted.length, seconds, sorted, errors, cpu);
  }

  // ---- helpers ----

  static List<RecipientPublicKey> recipients(HttpClient http, String base) throws Exception {
    String armored = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/manifest")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    List<SignedManifest> chain = SignedManifest.parseArmored(armored);
    return chain.get(chain.size() - 1).manifest().recipients(Instant.now());
  }

  /** The server's group-commit counters so far (admin metrics): batches and envelopes per batch. */
  static void printGroupCommit(HttpClient http, String metricsUrl) throws Exception {
    var metrics = new com.fasterxml.jackson.databind.ObjectMapper().readTree(http.send(
        HttpRequest.newBuilder(URI.create(metricsUrl)).build(), HttpResponse.BodyHandlers.ofString()).body());
    var gauges = metrics.path("gauges");
    long batches = gauges.path("groupCommit.batches").path("value").asLong();
    long batched = gauges.path("groupCommit.batchedEnvelopes").path("value").asLong();
    long alone = gauges.path("groupCommit.handedBack").path("value").asLong();
    System.out.printf("group commit so far: %d envelopes in %d batches (%.1f per batch), %d handed back to be"
        + " stored alone%n", batched, batches, batches == 0 ? 0.0 : (double) batched / batches, alone);
    for (String timer : List.of("queueTime", "batchTime")) {
      var t = metrics.path("timers").path("groupCommit." + timer);
      double toMillis = millisPer(t.path("duration_units").asText("seconds"));
      System.out.printf("  groupCommit.%s (the server's recent samples): p50 %.2f ms, p99 %.2f ms, mean %.2f ms%n",
          timer, t.path("p50").asDouble() * toMillis, t.path("p99").asDouble() * toMillis,
          t.path("mean").asDouble() * toMillis);
    }
  }

  static double millisPer(String durationUnits) {
    return switch (durationUnits) {
      case "seconds" -> 1000.0;
      case "milliseconds" -> 1.0;
      case "microseconds" -> 0.001;
      default -> throw new IllegalStateException("unexpected duration unit in the metrics: " + durationUnits);
    };
  }

  static void waitHealthy(Process server, String url, Path log) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plusSeconds(120);
    while (Instant.now().isBefore(deadline)) {
      if (!server.isAlive()) {
        throw new IllegalStateException("server exited:\n" + Files.readString(log, StandardCharsets.UTF_8));
      }
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(300);
    }
    throw new IllegalStateException("server not healthy after 120 s");
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static Path locateRepo() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("intake-server/pom.xml"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("run from inside the Testigo checkout");
    }
    return p;
  }

  static void deleteTree(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private SubmissionBenchmark() {}
}
