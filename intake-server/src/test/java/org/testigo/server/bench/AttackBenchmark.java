package org.testigo.server.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Issue 18 §3, "Measured, not assumed" (a program that prints figures, not a test; its small
 * version is {@link AttackBenchmarkTest}). Starts the packaged server jar on MariaDB at
 * 127.0.0.1:3306 (its own databases, dropped at the end), production receipt parameters
 * (config-demo.yml: 64 MiB, 3 iterations), and measures over loopback:
 * <ol>
 *   <li>attack and service ({@link AttackScenario}), with the source connector reading PROXY
 *       lines and the default fairness budgets: honest sources alone (baseline), then with the
 *       outside review's three attacks at full speed from 1 circuit and from 8 circuits;</li>
 *   <li>unless {@code -Dbench.oldJar=} is empty or missing: the same server built before the
 *       change (commit 7217f57, default {@code /tmp/old-7217/intake-server/target/testigo-intake-server.jar})
 *       side by side with this one, both running at once, measured in alternating slices with
 *       1 and 4 clients: a returning source's 10 KB follow-up (here within a visit,
 *       {@code POST /visit/follow-up}; there {@code POST /status/follow-up} with the receipt)
 *       and a new source's flow (report, then the status page: here through the visit the
 *       report's page carries, there with the receipt), with each server's CPU per operation
 *       (utime + stime of its process, from /proc/&lt;pid&gt;/stat).</li>
 * </ol>
 * Run after {@code mvn -B -q -o -pl crypto,intake-server -am package -DskipTests}: see README.md
 * beside this file. Every phase is bounded in time; loopback only.
 */
public final class AttackBenchmark {
  static final Duration SCENARIO = Duration.ofSeconds(Integer.getInteger("bench.seconds", 20));
  static final Duration COMPARE = Duration.ofSeconds(Integer.getInteger("bench.compareSeconds", 15));
  static final int HONEST = Integer.getInteger("bench.honestClients", 8);
  static final long THINK_MILLIS = Long.getLong("bench.thinkMillis", 100);
  static final int THREADS_PER_ATTACK = Integer.getInteger("bench.attackThreads", 2);
  static final String PHASES = System.getProperty("bench.phases", "attack,compare");
  static final String ROOT_URL = "jdbc:mariadb://127.0.0.1:3306/?user=root";

  public static void main(String[] args) throws Exception {
    Path repo = SubmissionBenchmark.locateRepo();
    Path jar = repo.resolve("intake-server/target/testigo-intake-server.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException("build first: mvn -B -q -o -pl crypto,intake-server -am package -DskipTests");
    }
    Path config = repo.resolve("intake-server/config-demo.yml");
    System.out.printf("AttackBenchmark %s, %d cores, load average %s%n", Instant.now(),
        Runtime.getRuntime().availableProcessors(), SubmissionBenchmark.loadAverage());
    if (PHASES.contains("attack")) {
      try (ServerProcess server = ServerProcess.start("this server", jar, config,
          List.of("-Ddw.server.applicationConnectors[0].useProxyProtocol=true"))) {
        attackAndService(server);
      }
    }
    String oldJar = System.getProperty("bench.oldJar", "/tmp/old-7217/intake-server/target/testigo-intake-server.jar");
    if (PHASES.contains("compare")) {
      if (oldJar.isEmpty() || !Files.exists(Path.of(oldJar))) {
        System.out.println("\nno old server jar at '" + oldJar + "': the side-by-side comparison is skipped (README.md)");
      } else {
        try (ServerProcess now = ServerProcess.start("this server", jar, config, List.of());
            ServerProcess old = ServerProcess.start("7217f57", Path.of(oldJar), config, List.of())) {
          sideBySide(now, old);
        }
      }
    }
  }

  // ---- 1. attack and service ----

  static void attackAndService(ServerProcess server) throws Exception {
    AttackScenario scenario = new AttackScenario(server.port, server.admin,
        AttackScenario.Material.fetch(server.port));
    System.out.printf("%nAttack and service: %d honest client threads (each source on a circuit of its own;"
        + " half no-JS report + status, half API mailbox + upload in 2 pieces + commit; 0-%d ms pause between"
        + " sources), attackers: %d threads per attack per circuit at full speed; %s per scenario; default"
        + " fairness budgets; production receipt parameters%n", HONEST, THINK_MILLIS, THREADS_PER_ATTACK, SCENARIO);
    System.out.println("warm-up (not measured): 5 s of honest load");
    scenario.run("warm-up", Duration.ofSeconds(5), HONEST, THINK_MILLIS, 0, 0);
    List<AttackScenario.Result> results = new ArrayList<>();
    for (int circuits : new int[] {0, 1, 8}) {
      long cpu0 = server.cpuNanos();
      AttackScenario.Result r = scenario.run(circuits == 0 ? "baseline" : circuits + " circuit" + (circuits > 1 ? "s" : ""),
          SCENARIO, HONEST, THINK_MILLIS, circuits, THREADS_PER_ATTACK);
      results.add(r);
      System.out.printf("  %s done: %.1f s, server CPU %.1f s (%.0f %% of the machine), load average %s%n", r.name(),
          r.seconds(), (server.cpuNanos() - cpu0) / 1e9,
          100.0 * (server.cpuNanos() - cpu0) / 1e9 / r.seconds() / Runtime.getRuntime().availableProcessors(),
          SubmissionBenchmark.loadAverage());
    }
    System.out.println();
    AttackScenario.printHeader(System.out);
    for (AttackScenario.Result r : results) {
      AttackScenario.printRow(System.out, r, r == results.get(0) ? null : results.get(0));
    }
    for (AttackScenario.Result r : results) {
      AttackScenario.printDetails(System.out, r);
    }
    System.out.println(AttackScenario.GOALS);
    AttackScenario.Result base = results.get(0);
    AttackScenario.Result one = results.get(1);
    AttackScenario.Result eight = results.get(2);
    System.out.printf("  1 circuit:  success %.2f %% (goal >= 99 %%: %s), p95 %.2fx baseline (goal <= 2x: %s)%n",
        100 * one.honestSuccess(), one.honestSuccess() >= 0.99 ? "met" : "NOT met",
        one.percentile(95) / base.percentile(95), one.percentile(95) <= 2 * base.percentile(95) ? "met" : "NOT met");
    System.out.printf("  8 circuits: success %.2f %% (goal >= 90 %%: %s), p95 %.2fx baseline%n",
        100 * eight.honestSuccess(), eight.honestSuccess() >= 0.90 ? "met" : "NOT met",
        eight.percentile(95) / base.percentile(95));
  }

  // ---- 2. side by side with the server before the change ----

  static void sideBySide(ServerProcess now, ServerProcess old) throws Exception {
    String message = "Más información. ".repeat(600).substring(0, 10_000);
    System.out.printf("%nSide by side (both servers running, measured in alternating %s slices; no PROXY line:"
        + " each request its own connection, so on this server its own circuit and the per-circuit budgets do"
        + " not cap the rate); production receipt parameters; 10 KB follow-ups%n", COMPARE);
    System.out.printf("%-32s %8s %12s %10s %12s %10s %9s %9s%n", "", "clients", "7217f57 /s", "CPU ms/op",
        "this /s", "CPU ms/op", "rate x", "failures");
    for (int clients : new int[] {1, 4}) {
      // Follow-ups: each client its own source, which filed a report first.
      List<String> receipts = new ArrayList<>();
      List<String> visits = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        receipts.add(AttackScenario.group(AttackScenario.RECEIPT, report(old).text()));
        visits.add(AttackScenario.group(AttackScenario.VISIT, report(now).text()));
      }
      Rate oldFollowUps = measure(old, clients, c -> status(ProxiedHttp.send(old.port, -1, "POST",
          "/status/follow-up?lang=es", "multipart/form-data; boundary=" + AttackScenario.BOUNDARY,
          AttackScenario.multipart(List.of("receipt", receipts.get(c), "message", message), null, null, null, null))));
      Rate newFollowUps = measure(now, clients, c -> status(ProxiedHttp.send(now.port, -1, "POST",
          "/visit/follow-up?lang=es", "multipart/form-data; boundary=" + AttackScenario.BOUNDARY,
          AttackScenario.multipart(List.of("visit", visits.get(c), "message", message), null, null, null, null))));
      print("returning source: follow-up", clients, oldFollowUps, newFollowUps);
      Rate oldNew = measure(old, clients, c -> {
        ProxiedHttp.Reply r = report(old);
        String receipt = r.status() == 200 ? AttackScenario.group(AttackScenario.RECEIPT, r.text()) : null;
        return receipt != null && status(ProxiedHttp.send(old.port, -1, "POST", "/status?lang=es",
            "application/x-www-form-urlencoded", AttackScenario.form("receipt", receipt)));
      });
      Rate newNew = measure(now, clients, c -> {
        ProxiedHttp.Reply r = report(now);
        String visit = r.status() == 200 ? AttackScenario.group(AttackScenario.VISIT, r.text()) : null;
        return visit != null && status(ProxiedHttp.send(now.port, -1, "POST", "/visit?lang=es",
            "application/x-www-form-urlencoded", AttackScenario.form("visit", visit)));
      });
      print("new source: report + status", clients, oldNew, newNew);
    }
    System.out.println("goals (issue 18 §3): a follow-up within a visit < 10 ms of server CPU (was about 210 ms);"
        + " a new source's report + status >= 1.8x the old rate");
  }

  static ProxiedHttp.Reply report(ServerProcess server) throws IOException {
    return ProxiedHttp.send(server.port, -1, "POST", "/report?lang=es",
        "multipart/form-data; boundary=" + AttackScenario.BOUNDARY, AttackScenario.reportForm());
  }

  static boolean status(ProxiedHttp.Reply r) {
    return r.status() == 200;
  }

  interface Op {
    boolean run(int client) throws IOException;
  }

  record Rate(long ops, long failures, double seconds, long cpuNanos) {
    double perSecond() {
      return ops / seconds;
    }

    double cpuMillisPerOp() {
      return ops == 0 ? Double.NaN : cpuNanos / 1e6 / ops;
    }
  }

  /** {@code clients} threads running {@code op} in a loop for {@link #COMPARE}; the server's CPU time meanwhile. */
  static Rate measure(ServerProcess server, int clients, Op op) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      long cpu0 = server.cpuNanos();
      long t0 = System.nanoTime();
      List<Future<long[]>> futures = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        futures.add(pool.submit(() -> {
          long ok = 0;
          long failed = 0;
          while (!stop.get()) {
            try {
              if (op.run(client)) {
                ok++;
              } else {
                failed++;
              }
            } catch (IOException e) {
              failed++;
            }
          }
          return new long[] {ok, failed};
        }));
      }
      Thread.sleep(COMPARE.toMillis());
      stop.set(true);
      long ok = 0;
      long failed = 0;
      for (Future<long[]> f : futures) {
        long[] r = f.get(3, TimeUnit.MINUTES);
        ok += r[0];
        failed += r[1];
      }
      return new Rate(ok, failed, (System.nanoTime() - t0) / 1e9, server.cpuNanos() - cpu0);
    } finally {
      pool.shutdownNow();
    }
  }

  static void print(String what, int clients, Rate old, Rate now) {
    System.out.printf("%-32s %8d %12.2f %10.1f %12.2f %10.1f %9.2f %9s   (load %s)%n", what, clients,
        old.perSecond(), old.cpuMillisPerOp(), now.perSecond(), now.cpuMillisPerOp(),
        now.perSecond() / old.perSecond(), old.failures() + " / " + now.failures(), SubmissionBenchmark.loadAverage());
  }

  // ---- a server jar as a process ----

  static final class ServerProcess implements AutoCloseable {
    static final long CLOCK_TICKS = clockTicks();
    final String name;
    final Process process;
    final int port;
    final int admin;
    final String db;
    final Path work;

    private ServerProcess(String name, Process process, int port, int admin, String db, Path work) {
      this.name = name;
      this.process = process;
      this.port = port;
      this.admin = admin;
      this.db = db;
      this.work = work;
    }

    static ServerProcess start(String name, Path jar, Path config, List<String> extra) throws Exception {
      Path work = Files.createTempDirectory("testigo-attack-bench-");
      String db = "testigo_attack_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      try (Connection c = DriverManager.getConnection(ROOT_URL); Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + db);
      }
      Path emptyPassword = Files.writeString(work.resolve("db-password"), "");
      int port = SubmissionBenchmark.freePort();
      int admin = SubmissionBenchmark.freePort();
      List<String> cmd = new ArrayList<>(List.of("java", "-Xmx512m"));
      cmd.addAll(extra);
      cmd.addAll(List.of(
          "-Ddw.dataDirectory=" + work.resolve("data"),
          "-Ddw.server.applicationConnectors[0].port=" + port,
          "-Ddw.server.applicationConnectors[1].port=" + SubmissionBenchmark.freePort(),
          "-Ddw.server.adminConnectors[0].port=" + admin,
          "-Ddw.database.type=MARIADB",
          "-Ddw.database.url=jdbc:mariadb://127.0.0.1:3306/" + db,
          "-Ddw.database.user=root",
          "-Ddw.database.passwordFile=" + emptyPassword,
          "-Ddw.logging.level=WARN",
          "-jar", jar.toString(), "server", config.toString()));
      System.out.printf("starting %s (%s, -Xmx512m) on MariaDB database %s ...%n", name, jar, db);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(work.resolve("server.log").toFile()).start();
      ServerProcess server = new ServerProcess(name, p, port, admin, db, work);
      try {
        SubmissionBenchmark.waitHealthy(p, "http://127.0.0.1:" + admin + "/healthcheck", work.resolve("server.log"));
      } catch (Exception e) {
        server.close();
        throw e;
      }
      return server;
    }

    /** The process's user + system CPU time so far, from /proc/&lt;pid&gt;/stat. */
    long cpuNanos() throws IOException {
      String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"), StandardCharsets.US_ASCII);
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 (utime) and 15 (stime)
      return ticks * 1_000_000_000L / CLOCK_TICKS;
    }

    static long clockTicks() {
      try {
        Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        p.waitFor(10, TimeUnit.SECONDS);
        return Long.parseLong(out);
      } catch (IOException | NumberFormatException e) {
        return 100;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 100;
      }
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      String log = Files.exists(work.resolve("server.log")) ? Files.readString(work.resolve("server.log")) : "";
      long errors = log.lines().filter(l -> l.startsWith("ERROR")).count();
      if (errors > 0) {
        System.out.printf("%s logged %d ERROR lines; the first: %s%n", name, errors,
            log.lines().filter(l -> l.startsWith("ERROR")).findFirst().orElse(""));
      }
      try (Connection c = DriverManager.getConnection(ROOT_URL); Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + db);
      }
      SubmissionBenchmark.deleteTree(work);
    }
  }

  private AttackBenchmark() {}
}
