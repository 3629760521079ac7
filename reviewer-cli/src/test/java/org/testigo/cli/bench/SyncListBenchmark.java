package org.testigo.cli.bench;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.testigo.cli.ReviewerCli;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.identity.Keystore;
import org.testigo.crypto.identity.KeystoreParams;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.payload.PartHeader;
import org.testigo.crypto.payload.PayloadWriter;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;

/**
 * Benchmark of the reviewer's read path (a program that prints figures, not a test). Figures
 * measured and how to read them: README.md beside this file.
 *
 * <p>Starts the intake server in-process (demo organisation, H2 in a temporary directory),
 * seeds N reports (argument 1, or {@code -Dbench.reports}, default 100,000) through the API
 * path ({@code POST /api/v1/submissions}) as envelopes sealed here to the manifest's reviewers
 * with the project's own code ({@code Envelope.sealing}, {@code PayloadWriter}): a payload of
 * 10,000 bytes each ({@code -Dbench.reportBytes}), a questionnaire with a padded narrative and
 * one 2 KiB text attachment. Then:
 * <ol>
 *   <li>in this JVM ({@code -Dbench.inprocess=false} skips it), with the demo reviewer's
 *       identity under a cheap Argon2id whose unlock is timed apart and subtracted:
 *       {@code sync} into an empty cache; raw {@link Envelope#open} of the cached files on one
 *       thread; R paired rounds (argument 2 or {@code -Dbench.rounds}, default 3) of
 *       {@code list} and raw open on as many threads as list uses; {@code sync} again with the
 *       JIT warm;</li>
 *   <li>each command in a fresh JVM running the packaged {@code testigo-reviewer.jar} at
 *       {@code -Xmx256m} ({@code -Dbench.heap}; {@code -Dbench.processes=false} skips it),
 *       with the demo keystore as the demo server wrote it (Argon2id at the default
 *       parameters): {@code sync} into an empty home (download and index), raw open of the
 *       same envelopes in this JVM, the first index build ({@code list} with the index
 *       deleted), then R rounds of {@code keys public} alternating with {@code list},
 *       {@code overdue} and {@code show ID}, plus {@code list --status new}, {@code files ID}
 *       and {@code stats --from-cache}. For each: exit code, wall time, CPU time (user +
 *       system, {@code /usr/bin/time}), peak heap occupancy (from {@code -Xlog:gc}, see
 *       {@link Reviewer}) and peak resident set;</li>
 *   <li>the flood ({@code -Dbench.flood=false} skips it), on a second server: 2,000
 *       envelopes ({@code -Dbench.floodEnvelopes}) of 3,000 empty file parts
 *       ({@code -Dbench.floodParts}, about 210 KB each) sealed to the manifest, plus 100
 *       normal reports ({@code -Dbench.floodNormal}); every command above in a fresh JVM,
 *       with checks that each exits 0, the normal reports read right and the flood is listed
 *       as not valid reports.</li>
 * </ol>
 * Run from the repository root (needs {@code /usr/bin/time}):
 * <pre>
 * mvn -B -q -o -pl crypto,intake-server,reviewer-cli package -DskipTests
 * RCP=reviewer-cli/target/test-classes:reviewer-cli/target/classes:crypto/target/classes:intake-server/target/classes
 * RCP=$RCP:reviewer-cli/target/testigo-reviewer.jar:intake-server/target/test-classes:intake-server/target/testigo-intake-server.jar
 * RCP=$RCP:$HOME/.m2/repository/io/dropwizard/dropwizard-testing/5.0.1/dropwizard-testing-5.0.1.jar
 * java -Xmx2g -cp "$RCP" -Dbench.reports=100000 org.testigo.cli.bench.SyncListBenchmark
 * </pre>
 */
public final class SyncListBenchmark {
  private SyncListBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : Integer.getInteger("bench.reports", 100_000);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : Integer.getInteger("bench.rounds", 3);
    Path repo = locateRepo();
    System.out.printf("SyncListBenchmark %s: %d reports (payload %d bytes each), %d round(s), %d processor(s),"
        + " fresh processes at -Xmx%s, load average %s%n", java.time.Instant.now(), n, REPORT_PAYLOAD_BYTES, rounds,
        Runtime.getRuntime().availableProcessors(), HEAP, load());
    if (n > 0) {
      try (BenchServer server = BenchServer.start(repo)) {
        long t0 = System.nanoTime();
        seed(n, "reports", i -> reportPayload(i), server.recipients, server.submissionsUrl());
        double seedS = seconds(t0);
        System.out.printf("seeded %d reports through the API in %.1f s (%.0f reports/s, %d clients)%n", n, seedS,
            n / seedS, CLIENTS);
        if (Boolean.parseBoolean(System.getProperty("bench.inprocess", "true"))) {
          inProcess(server, n, rounds);
        }
        if (Boolean.parseBoolean(System.getProperty("bench.processes", "true"))) {
          processes(repo, server, n, rounds);
        }
      }
    }
    if (Boolean.parseBoolean(System.getProperty("bench.flood", "true"))) {
      flood(repo, Integer.getInteger("bench.floodNormal", 100), Integer.getInteger("bench.floodEnvelopes", 2_000),
          Integer.getInteger("bench.floodParts", 3_000));
    }
  }

  /** The measurements made in this JVM: sync, raw open, list rounds, warm sync (before issue 22). */
  static void inProcess(BenchServer server, int n, int rounds) throws Exception {
    Path home = server.home;
    String[] auth = {"--home", home.toString(), "-k", server.data.resolve("demo/reviewer.keystore").toString(),
        "--passphrase-file", server.data.resolve("demo/reviewer.passphrase").toString()};
    Path seeded = home.resolve("cache/default/submissions");
    String root = server.root;
    ReviewerIdentity identity = server.identity();
    {
      char[] pass = server.passphrase();
      // The same identity under a cheap Argon2id, so that the unlock, timed apart and
      // subtracted, is small and steady even on a loaded machine.
      Path cheap = home.resolve("bench.keystore");
      Keystore.write(cheap, Keystore.encrypt(identity, Passphrase.of(pass.clone()), KeystoreParams.TEST,
          new SecureRandom()), false);
      auth[3] = cheap.toString();
      long k0 = System.nanoTime();
      Keystore.decrypt(Keystore.readBytes(cheap), Passphrase.of(pass.clone())).destroy();
      double unlockS = seconds(k0);
      System.out.printf("keystore unlock (Argon2id, test parameters): %.3f s, subtracted below%n", unlockS);

      long s0 = System.nanoTime();
      long sc = cpu();
      String syncOut = cli(concat(new String[] {"sync"}, auth));
      double syncS = seconds(s0) - unlockS;
      double syncCpu = (cpu() - sc) / 1e9;
      if (!syncOut.contains(n + " new submission(s)")) {
        throw new IllegalStateException("sync did not fetch all reports: " + syncOut);
      }
      System.out.printf("sync:          %7.2f s  %8.0f reports/s  (CPU, server included: %.2f s; load average %s)%n",
          syncS, n / syncS, syncCpu, load());

      List<Path> envelopes;
      try (Stream<Path> s = Files.list(seeded)) {
        envelopes = s.filter(p -> p.toString().endsWith(".tgenv")).toList();
      }
      int threads = Runtime.getRuntime().availableProcessors();
      long r1c = cpu();
      double raw1 = rawOpen(envelopes, identity, 1);
      System.out.printf("raw open, 1 thread:  %7.2f s  %8.0f reports/s  (CPU %.2f s; load average %s)%n", raw1,
          envelopes.size() / raw1, (cpu() - r1c) / 1e9, load());
      // Paired rounds, list then raw open on as many threads as list uses, so a busy machine
      // slows both sides of each ratio alike; the first round also warms the JIT up.
      for (int round = 1; round <= rounds; round++) {
        if (Boolean.getBoolean("bench.phases")) {
          System.out.println("phase list " + java.time.Instant.now());
        }
        long l0 = System.nanoTime();
        long lc = cpu();
        String listOut = cli(concat(new String[] {"list"}, auth));
        double listS = seconds(l0) - unlockS;
        double listCpu = (cpu() - lc) / 1e9;
        if (!listOut.contains(n + " report(s)")) {
          throw new IllegalStateException("list did not show all reports");
        }
        if (Boolean.getBoolean("bench.phases")) {
          System.out.println("phase raw " + java.time.Instant.now());
        }
        long rc = cpu();
        double rawS = rawOpen(envelopes, identity, threads);
        if (Boolean.getBoolean("bench.phases")) {
          System.out.println("phase end " + java.time.Instant.now());
        }
        double rawCpu = (cpu() - rc) / 1e9;
        System.out.printf("round %d: list %7.2f s %8.0f reports/s; raw open (%d threads) %7.2f s %8.0f reports/s;"
            + " ratio list/raw %.2f (CPU time: %.2f); sync/raw %.2f  (load average %s)%n", round, listS, n / listS,
            threads, rawS, envelopes.size() / rawS, rawS / listS, rawCpu / listCpu, rawS / syncS, load());
      }
      // sync again into a second, empty cache: the JIT is warm now (the first sync paid for
      // compiling the client's and the server's sync paths)
      Path home2 = Files.createTempDirectory("testigo-bench-home2-");
      cli("server", "add", server.readerUrl(), "--root", root, "--home", home2.toString());
      String[] auth2 = auth.clone();
      auth2[1] = home2.toString();
      long w0 = System.nanoTime();
      long wc = cpu();
      String warmOut = cli(concat(new String[] {"sync"}, auth2));
      double warmS = seconds(w0) - unlockS;
      double warmCpu = (cpu() - wc) / 1e9;
      if (!warmOut.contains(n + " new submission(s)")) {
        throw new IllegalStateException("the second sync did not fetch all reports: " + warmOut);
      }
      System.out.printf("sync (warm):   %7.2f s  %8.0f reports/s  (CPU, server included: %.2f s; load average %s)%n",
          warmS, n / warmS, warmCpu, load());
      identity.destroy();
    }
  }

  /** Opens every envelope into memory on {@code threads} threads; returns seconds. */
  static double rawOpen(List<Path> envelopes, ReviewerIdentity identity, int threads) throws Exception {
    long r0 = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      AtomicInteger next = new AtomicInteger();
      List<Future<?>> jobs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        jobs.add(pool.submit(() -> {
          for (int i; (i = next.getAndIncrement()) < envelopes.size(); ) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = Files.newInputStream(envelopes.get(i))) {
              Envelope.open(in, out, identity.encryptionKey(), Envelope.CONTEXT_REPORT);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : jobs) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    return seconds(r0);
  }

  /** CPU time of this whole process (the idle in-process server included), nanoseconds. */
  static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ", 4)[0];
    } catch (IOException e) {
      return String.format("%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
          .getSystemLoadAverage());
    }
  }

  /** Number of upload clients while seeding (-Dbench.clients). */
  static final int CLIENTS = Integer.getInteger("bench.clients", 2);
  /** Size of each report's payload container: a questionnaire and one small attachment. */
  static final int REPORT_PAYLOAD_BYTES = Integer.getInteger("bench.reportBytes", 10_000);
  static final int ATTACHMENT_BYTES = 2_048;
  /** Heap of every fresh reviewer process (-Dbench.heap). */
  static final String HEAP = System.getProperty("bench.heap", "256m");
  static final String NARRATIVE_MARK = "Informe de prueba numero ";

  /** Uploads n payloads, sealed here to the manifest's recipients, through the API; prints progress. */
  static void seed(int n, String what, java.util.function.IntFunction<byte[]> payloads,
      List<RecipientPublicKey> recipients, String url) throws Exception {
    SecureRandom random = new SecureRandom();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    long t0 = System.nanoTime();
    Thread progress = new Thread(() -> {
      try {
        while (true) {
          Thread.sleep(15_000);
          int d = done.get();
          System.out.printf("  seeding %s: %d / %d (%.0f/s, load average %s)%n", what, d, n, d / seconds(t0), load());
        }
      } catch (InterruptedException e) {
        // done
      }
    }, "seed-progress");
    progress.setDaemon(true);
    progress.start();
    try {
      List<Future<?>> jobs = new ArrayList<>();
      for (int t = 0; t < CLIENTS; t++) {
        jobs.add(pool.submit(() -> {
          HttpClient http = HttpClient.newHttpClient();
          for (int i; (i = next.getAndIncrement()) < n; ) {
            ByteArrayOutputStream env = new ByteArrayOutputStream();
            try (OutputStream sealing = Envelope.sealing(env, recipients, Envelope.CONTEXT_REPORT, random)) {
              sealing.write(payloads.apply(i));
            }
            bytes.addAndGet(env.size());
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(env.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
              throw new IllegalStateException("upload refused: HTTP " + r.statusCode() + " " + r.body());
            }
            done.incrementAndGet();
          }
          return null;
        }));
      }
      for (Future<?> f : jobs) {
        f.get();
      }
    } finally {
      pool.shutdown();
      progress.interrupt();
    }
    System.out.printf("  seeded %d %s, envelopes of %.0f bytes on average%n", n, what, bytes.get() / (double) n);
  }

  /** A report of {@link #REPORT_PAYLOAD_BYTES}: questionnaire (narrative padded) and one text attachment. */
  static byte[] reportPayload(int i) {
    String[] states = {"CHP", "OAX", "VER", "TAB", "SON", "BCN"};
    String[] what = {"extortion", "robbery", "kidnapping", "assault"};
    String head = "{\"version\":1,\"language\":\"es\",\"what\":[\"" + what[i % what.length] + "\"],\"who\":[\"inm\"],"
        + "\"where\":{\"state\":\"" + states[i % states.length] + "\",\"placeKind\":\"train\"},"
        + "\"narrative\":\"" + NARRATIVE_MARK + i + " para medir la lectura.";
    String tail = "\",\"wants\":[\"reply\"]}";
    int pad = Math.max(0, REPORT_PAYLOAD_BYTES - ATTACHMENT_BYTES - 200 - head.length() - tail.length());
    StringBuilder q = new StringBuilder(head);
    while (q.length() < head.length() + pad) {
      q.append(" Texto de relleno del relato.");
    }
    q.setLength(head.length() + pad);
    q.append(tail);
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PayloadWriter w = new PayloadWriter(out);
      w.writePart(new PartHeader(PartHeader.QUESTIONNAIRE, null, "application/json"),
          q.toString().getBytes(StandardCharsets.UTF_8));
      w.writePart(new PartHeader(PartHeader.FILE, "nota.txt", "text/plain"), attachment(i));
      w.finish();
      return out.toByteArray();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static byte[] attachment(int i) {
    byte[] b = new byte[ATTACHMENT_BYTES];
    byte[] line = ("nota " + i + "\n").getBytes(StandardCharsets.US_ASCII);
    for (int k = 0; k < b.length; k++) {
      b[k] = line[k % line.length];
    }
    return b;
  }

  /** The outside review's hostile envelope: a questionnaire, then {@code parts} empty file parts. */
  static byte[] floodPayload(int parts) {
    try {
      org.testigo.cli.hostile.Payloads p = new org.testigo.cli.hostile.Payloads().part("questionnaire", null,
          "{\"version\":1,\"language\":\"es\",\"what\":[\"extortion\"]}".getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < parts; i++) {
        p.part("file", "f" + i, new byte[0]);
      }
      return p.finish();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Payload container v1 with one questionnaire part (docs/spec/payload-and-questionnaire.md §1). */
  static byte[] payload(byte[] questionnaire) throws IOException {
    byte[] header = "{\"name\":\"questionnaire\",\"type\":\"application/json\"}".getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write("TGPAYLD1".getBytes(StandardCharsets.US_ASCII));
    out.write(0x01);
    out.write(header.length >>> 8);
    out.write(header.length);
    out.write(header);
    int len = questionnaire.length;
    out.write(new byte[] {(byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len});
    out.write(questionnaire);
    out.write(new byte[4]);
    out.write(0x00);
    return out.toByteArray();
  }

  /** The demo intake server in this JVM (H2 in a temporary directory), and a home that has synced its manifest. */
  static final class BenchServer implements AutoCloseable {
    final DropwizardTestSupport<IntakeConfiguration> app;
    final Path data;
    final Path home;
    final String root;
    final List<RecipientPublicKey> recipients;

    private BenchServer(DropwizardTestSupport<IntakeConfiguration> app, Path data, Path home, String root,
        List<RecipientPublicKey> recipients) {
      this.app = app;
      this.data = data;
      this.home = home;
      this.root = root;
      this.recipients = recipients;
    }

    static BenchServer start(Path repo) throws Exception {
      Path data = Files.createTempDirectory("testigo-bench-data-");
      Path home = Files.createTempDirectory("testigo-bench-home-");
      DropwizardTestSupport<IntakeConfiguration> app = new DropwizardTestSupport<>(IntakeApplication.class,
          repo.resolve("intake-server/config-demo.yml").toString(),
          ConfigOverride.config("dataDirectory", data.toString()),
          ConfigOverride.config("server.applicationConnectors[0].port", "0"),
          ConfigOverride.config("server.applicationConnectors[1].port", "0"),
          ConfigOverride.config("server.adminConnectors[0].port", "0"),
          ConfigOverride.config("receipts.memoryKiB", "256"),
          ConfigOverride.config("receipts.iterations", "1"),
          // the per-connection budget at its maximum; each upload client has its own connection
          ConfigOverride.config("fairness.submissionsPerHour", "100000"),
          ConfigOverride.config("logging.level", "WARN"));
      app.before();
      try {
        String root = Files.readString(data.resolve("root-fingerprint")).strip();
        String reader = "http://127.0.0.1:" + app.getPort(1);
        cli("server", "add", reader, "--root", root, "--home", home.toString());
        cli("sync", "--home", home.toString(), "-k", data.resolve("demo/reviewer.keystore").toString(),
            "--passphrase-file", data.resolve("demo/reviewer.passphrase").toString());
        String chain = Files.readString(home.resolve("cache/default/manifest-chain.txt"));
        List<SignedManifest> manifests = SignedManifest.parseArmored(chain);
        try (Stream<Path> s = Files.list(home.resolve("cache/default/submissions"))) {
          if (s.findAny().isPresent()) {
            throw new IllegalStateException("the demo server already holds submissions");
          }
        }
        return new BenchServer(app, data, home, root, manifests.get(manifests.size() - 1).manifest().recipients());
      } catch (Exception e) {
        app.after();
        throw e;
      }
    }

    String readerUrl() {
      return "http://127.0.0.1:" + app.getPort(1);
    }

    String submissionsUrl() {
      return "http://127.0.0.1:" + app.getLocalPort() + "/api/v1/submissions";
    }

    Path keystore() {
      return data.resolve("demo/reviewer.keystore");
    }

    Path passphraseFile() {
      return data.resolve("demo/reviewer.passphrase");
    }

    char[] passphrase() throws IOException {
      return Files.readString(passphraseFile()).strip().toCharArray();
    }

    ReviewerIdentity identity() throws Exception {
      return Keystore.decrypt(Keystore.readBytes(keystore()), Passphrase.of(passphrase()));
    }

    /** A new, empty reviewer home registered with this server. */
    Path newHome(String prefix) throws IOException {
      Path h = Files.createTempDirectory(prefix);
      cli("server", "add", readerUrl(), "--root", root, "--home", h.toString());
      return h;
    }

    @Override
    public void close() {
      app.after();
    }
  }

  /** What one fresh reviewer process did and cost. */
  record Run(String label, int exit, double wallS, double cpuS, double peakHeapMiB, double maxAfterGcMiB,
      double rssMiB, Path out, Path err) {
    boolean ok() {
      return exit == 0;
    }

    String output() throws IOException {
      return Files.readString(out);
    }

    String line() {
      return String.format("%-40s exit %d  wall %7.2f s  CPU %7.2f s  peak heap %6.1f MiB (max after GC %6.1f)"
          + "  max RSS %6.1f MiB", label, exit, wallS, cpuS, peakHeapMiB, maxAfterGcMiB, rssMiB);
    }
  }

  /**
   * Runs the packaged reviewer jar through its launcher (with the launcher's JVM options for
   * each command, as users run it) in a fresh JVM with {@code -Xmx}{@link #HEAP}, under
   * {@code /usr/bin/time} (user + system CPU time of the process and its peak resident set),
   * with {@code -Xlog:gc,gc+heap+exit} to a file. Peak heap is the largest heap occupancy the
   * JVM logged: the "before" figure of every collection pause (the heap is at its fullest
   * just before a collection) and the occupancy at exit; garbage included, so it is an upper
   * bound of what was live, and the heap never held more than this at any instant. "Max after
   * GC" is the largest occupancy right after a young or full collection (close to the live set).
   */
  static final class Reviewer {
    final Path jar;
    /** The launcher users run (its JVM options per command are part of what is measured). */
    final Path launcher;
    final Path work;
    int seq;
    final List<Run> runs = new ArrayList<>();

    Reviewer(Path repo) throws IOException {
      jar = Path.of(System.getProperty("bench.jar", repo.resolve("reviewer-cli/target/testigo-reviewer.jar").toString()));
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException("build the jar first: mvn -B -q -o -pl crypto,intake-server,reviewer-cli"
            + " package -DskipTests");
      }
      Path shipped = repo.resolve("reviewer-cli/testigo-reviewer");
      if (jar.getParent().equals(repo.resolve("reviewer-cli/target"))) {
        launcher = shipped;
      } else {
        // a copy of the jar (-Dbench.jar): the launcher beside it, as an installation has it
        if (!jar.getFileName().toString().equals("testigo-reviewer.jar")) {
          throw new IllegalStateException("-Dbench.jar must name a file testigo-reviewer.jar (the launcher looks"
              + " for that name beside itself)");
        }
        launcher = jar.resolveSibling("testigo-reviewer");
        Files.copy(shipped, launcher, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      work = Files.createTempDirectory("testigo-bench-runs-");
    }

    Run run(String label, String... args) throws Exception {
      int k = ++seq;
      Path gc = work.resolve(k + ".gc.log");
      Path time = work.resolve(k + ".time");
      Path out = work.resolve(k + ".out");
      Path err = work.resolve(k + ".err");
      List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %U %S %M", "-o", time.toString(),
          "/bin/sh", launcher.toString()));
      cmd.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().put("TESTIGO_JAVA_OPTS", "-Xmx" + HEAP + " -Xlog:gc,gc+heap+exit:file=" + gc);
      pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":"
          + pb.environment().getOrDefault("PATH", "/usr/bin:/bin"));
      long t0 = System.nanoTime();
      Process p = pb.start();
      int exit = p.waitFor();
      double wall = seconds(t0);
      double cpu = Double.NaN;
      double rss = Double.NaN;
      List<String> tl = Files.readAllLines(time);
      if (!tl.isEmpty()) {
        String[] f = tl.get(tl.size() - 1).strip().split(" ");
        cpu = Double.parseDouble(f[1]) + Double.parseDouble(f[2]);
        rss = Long.parseLong(f[3]) / 1024.0;
      }
      double peak = 0;
      double after = 0;
      java.util.regex.Pattern pause = java.util.regex.Pattern.compile("Pause.* (\\d+)([KMG])->(\\d+)([KMG])\\(");
      java.util.regex.Pattern exitHeap = java.util.regex.Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");
      for (String l : Files.readAllLines(gc)) {
        java.util.regex.Matcher m = pause.matcher(l);
        if (m.find()) {
          peak = Math.max(peak, mib(m.group(1), m.group(2)));
          if (l.contains("Pause Young") || l.contains("Pause Full")) {
            // Remark and Cleanup reclaim no young regions: their "after" is not a live set
            after = Math.max(after, mib(m.group(3), m.group(4)));
          }
        }
        m = exitHeap.matcher(l);
        if (m.find()) {
          peak = Math.max(peak, Long.parseLong(m.group(1)) / 1024.0);
        }
      }
      Run r = new Run(label, exit, wall, cpu, peak, after, rss, out, err);
      runs.add(r);
      System.out.println("  " + r.line() + "  (load " + load() + ")");
      if (!r.ok()) {
        String e = Files.readString(err);
        System.out.println("  FAILED: " + label + ": " + e.substring(Math.max(0, e.length() - 2000)));
      }
      return r;
    }

    static double mib(String v, String unit) {
      double x = Double.parseDouble(v);
      return switch (unit) {
        case "K" -> x / 1024;
        case "G" -> x * 1024;
        default -> x;
      };
    }

    double peakHeap() {
      return runs.stream().mapToDouble(Run::peakHeapMiB).max().orElse(0);
    }

    List<Run> failed() {
      return runs.stream().filter(r -> !r.ok()).toList();
    }
  }

  static String[] with(String[] a, String... b) {
    return concat(a, b);
  }

  /** Report ids (12-character prefixes) of valid reports in a {@code list} output. */
  static List<String> validIds(String listOut) {
    List<String> ids = new ArrayList<>();
    for (String l : listOut.split("\n")) {
      if (l.matches("[0-9a-f]{12}  .*") && !l.contains("NOT A VALID REPORT")) {
        ids.add(l.substring(0, 12));
      }
    }
    return ids;
  }

  /**
   * Each command in a fresh JVM at -Xmx{@link #HEAP}: sync into an empty home, raw open of the
   * same envelopes here, the first index build, then rounds of keys public alternating with
   * list, overdue and show, and list --status new, files, stats --from-cache.
   */
  static void processes(Path repo, BenchServer server, int n, int rounds) throws Exception {
    System.out.printf("%nFresh processes (the launcher reviewer-cli/testigo-reviewer with TESTIGO_JAVA_OPTS=-Xmx%s;"
        + " demo keystore, Argon2id %s):%n",
        HEAP, "as created by the demo server (KeystoreParams.DEFAULT)");
    Reviewer rv = new Reviewer(repo);
    Path home = server.newHome("testigo-bench-proc-");
    String[] keys = {"-k", server.keystore().toString(), "--passphrase-file", server.passphraseFile().toString()};
    String[] auth = with(new String[] {"--home", home.toString()}, keys);
    Run sync = rv.run("sync (" + n + " reports, index included)", with(new String[] {"sync"}, auth));
    if (sync.ok() && !sync.output().contains(n + " new submission(s)")) {
      throw new IllegalStateException("sync did not fetch all reports: " + sync.output());
    }
    List<Path> envelopes;
    try (Stream<Path> s = Files.list(home.resolve("cache/default/submissions"))) {
      envelopes = s.filter(p -> p.toString().endsWith(".tgenv")).toList();
    }
    int threads = Runtime.getRuntime().availableProcessors();
    ReviewerIdentity identity = server.identity();
    double raw = rawOpen(envelopes, identity, threads);
    identity.destroy();
    double syncRate = n / sync.wallS();
    double rawRate = envelopes.size() / raw;
    System.out.printf("  raw open here (%d threads, warm JVM): %.2f s, %.0f reports/s; sync %.0f reports/s (wall,"
        + " Argon2id unlock and JVM start included): ratio %.2f (goal >= 0.70: %s)  (load %s)%n", threads, raw, rawRate,
        syncRate, syncRate / rawRate, syncRate / rawRate >= 0.7 ? "met" : "MISSED", load());

    deleteTree(home.resolve("index"));
    Run build = rv.run("first index build (list, index deleted)", with(new String[] {"list"}, auth));
    if (build.ok() && !build.output().contains(n + " report(s)")) {
      throw new IllegalStateException("list after the index build did not show all reports");
    }
    try (Stream<Path> s = Files.walk(home.resolve("index"))) {
      long bytes = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
      System.out.printf("  index file: %d bytes (%.0f per report)%n", bytes, bytes / (double) n);
    }
    List<String> ids = validIds(build.ok() ? build.output() : "");
    String id = ids.isEmpty() ? "000000" : ids.get(ids.size() / 2);
    Map<String, List<Double>> diffs = new java.util.LinkedHashMap<>();
    for (int round = 1; round <= rounds; round++) {
      System.out.println(" round " + round);
      Run k1 = rv.run("keys public", with(new String[] {"keys", "public"}, keys));
      Run list = rv.run("list", with(new String[] {"list"}, auth));
      Run k2 = rv.run("keys public", with(new String[] {"keys", "public"}, keys));
      Run overdue = rv.run("overdue", with(new String[] {"overdue"}, auth));
      Run k3 = rv.run("keys public", with(new String[] {"keys", "public"}, keys));
      Run show = rv.run("show " + id, with(new String[] {"show", id}, auth));
      if (list.ok() && !list.output().contains(n + " report(s)")) {
        throw new IllegalStateException("list did not show all reports");
      }
      if (show.ok() && !show.output().contains(NARRATIVE_MARK)) {
        throw new IllegalStateException("show did not print the narrative");
      }
      diffs.computeIfAbsent("list", x -> new ArrayList<>()).add(list.wallS() - k1.wallS());
      diffs.computeIfAbsent("overdue", x -> new ArrayList<>()).add(overdue.wallS() - k2.wallS());
      diffs.computeIfAbsent("show", x -> new ArrayList<>()).add(show.wallS() - k3.wallS());
      System.out.printf("  minus the keys public just before: list %+.2f s, overdue %+.2f s, show %+.2f s"
          + " (CPU time: %+.2f, %+.2f, %+.2f s)%n", list.wallS() - k1.wallS(), overdue.wallS() - k2.wallS(),
          show.wallS() - k3.wallS(), list.cpuS() - k1.cpuS(), overdue.cpuS() - k2.cpuS(), show.cpuS() - k3.cpuS());
      Run news = rv.run("list --status new", with(new String[] {"list", "--status", "new"}, auth));
      if (news.ok() && !news.output().contains(n + " report(s)")) {
        throw new IllegalStateException("list --status new did not show all (new) reports");
      }
      Path filesOut = rv.work.resolve("files-" + round);
      Run files = rv.run("files " + id, with(new String[] {"files", id, "--out", filesOut.toString()}, auth));
      if (files.ok() && !Files.exists(filesOut.resolve("nota.txt")) && !containsFile(filesOut, "nota.txt")) {
        throw new IllegalStateException("files did not write the attachment: " + files.output());
      }
      rv.run("stats --from-cache", with(new String[] {"stats", "--from-cache", "--out",
          rv.work.resolve("stats-" + round).toString()}, auth));
    }
    System.out.println(" summary (" + n + " reports, -Xmx" + HEAP + "):");
    diffs.forEach((cmd, d) -> {
      double med = median(d);
      System.out.printf("  %-8s minus keys public: median %+.2f s (rounds: %s); goal <= 0.50 s: %s%n", cmd, med,
          d.stream().map(x -> String.format("%+.2f", x)).toList(), med <= 0.5 ? "met" : "MISSED");
    });
    // the fixed cost of any command (JVM start, Argon2id unlock): the median keys public
    double fixed = median(rv.runs.stream().filter(r -> r.label().equals("keys public")).map(Run::wallS).toList());
    double netRate = n / (sync.wallS() - fixed);
    System.out.printf("  sync / raw open: %.2f with JVM start and unlock (%.0f vs %.0f reports/s); %.2f without them"
        + " (sync wall minus the median keys public, %.2f s: %.0f reports/s); goal >= 0.70: %s%n", syncRate / rawRate,
        syncRate, rawRate, netRate / rawRate, fixed, netRate, syncRate / rawRate >= 0.7 ? "met"
            : netRate / rawRate >= 0.7 ? "met only without the fixed cost" : "MISSED");
    // what sync spends besides opening: sync minus the first index build (which opens every envelope)
    System.out.printf("  sync minus the first index build: %.2f s (download, SHA-256 check, two files and their fsync"
        + " per report: %.0f reports/s); the index build alone, minus keys public: %.2f s (%.0f reports/s)%n",
        sync.wallS() - build.wallS(), n / (sync.wallS() - build.wallS()), build.wallS() - fixed,
        n / (build.wallS() - fixed));
    System.out.printf("  peak heap over all %d processes: %.1f MiB of %s; failed: %s%n", rv.runs.size(), rv.peakHeap(),
        HEAP, rv.failed().isEmpty() ? "none" : rv.failed().stream().map(Run::label).toList());
    long hold = Long.getLong("bench.hold", 0);
    if (hold > 0) {
      // for comparing JVM options or builds by hand on the same N reports, with the server up
      System.out.printf("  holding the server and this home for %d s: --home %s %s%n", hold, home,
          String.join(" ", keys));
      Thread.sleep(hold * 1000);
    }
  }

  static boolean containsFile(Path dir, String name) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.anyMatch(p -> p.getFileName().toString().equals(name));
    }
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    int m = s.size() / 2;
    return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }

  /**
   * The outside review's flood: {@code floods} envelopes of {@code parts} empty file parts
   * (about 200 KB each) sealed to the public manifest, plus {@code normal} ordinary reports,
   * on a server of their own; every command in a fresh JVM at -Xmx{@link #HEAP}.
   */
  static void flood(Path repo, int normal, int floods, int parts) throws Exception {
    System.out.printf("%nFlood: %d envelopes of %d empty file parts and %d normal reports; fresh processes at -Xmx%s%n",
        floods, parts, normal, HEAP);
    try (BenchServer server = BenchServer.start(repo)) {
      seed(normal, "normal reports", i -> reportPayload(i), server.recipients, server.submissionsUrl());
      byte[] hostile = floodPayload(parts);
      long t0 = System.nanoTime();
      seed(floods, "flood envelopes", i -> hostile, server.recipients, server.submissionsUrl());
      System.out.printf("  flood uploaded in %.1f s (%.0f/s)%n", seconds(t0), floods / seconds(t0));
      Reviewer rv = new Reviewer(repo);
      Path home = server.newHome("testigo-bench-flood-");
      String[] keys = {"-k", server.keystore().toString(), "--passphrase-file", server.passphraseFile().toString()};
      String[] auth = with(new String[] {"--home", home.toString()}, keys);
      int total = normal + floods;
      List<String> problems = new ArrayList<>();
      Run sync = rv.run("sync (flood)", with(new String[] {"sync"}, auth));
      check(problems, sync.ok() && sync.output().contains(total + " new submission(s)"), "sync fetched all " + total);
      deleteTree(home.resolve("index"));
      Run build = rv.run("first index build (list, index deleted)", with(new String[] {"list"}, auth));
      check(problems, build.ok() && build.output().contains(total + " report(s) (" + floods + " not valid reports"),
          "list shows " + total + " reports, " + floods + " not valid");
      Run list = rv.run("list", with(new String[] {"list"}, auth));
      List<String> ids = validIds(list.ok() ? list.output() : "");
      check(problems, ids.size() == normal, "list shows " + normal + " valid reports (saw " + ids.size() + ")");
      Run mal = rv.run("list --filter malformed", with(new String[] {"list", "--filter", "malformed"}, auth));
      check(problems, mal.ok() && mal.output().contains(floods + " report(s)")
          && validIds(mal.output()).isEmpty(), "list --filter malformed shows exactly the " + floods + " flood envelopes");
      Run news = rv.run("list --status new", with(new String[] {"list", "--status", "new"}, auth));
      check(problems, news.ok() && news.output().contains(total + " report(s)"), "list --status new shows all");
      String id = ids.isEmpty() ? "000000" : ids.get(ids.size() / 2);
      Run show = rv.run("show " + id, with(new String[] {"show", id}, auth));
      check(problems, show.ok() && show.output().contains(NARRATIVE_MARK), "show prints a normal report's narrative");
      Path filesOut = rv.work.resolve("files-flood");
      Run files = rv.run("files " + id, with(new String[] {"files", id, "--out", filesOut.toString()}, auth));
      check(problems, files.ok() && containsFile(filesOut, "nota.txt"), "files writes the normal report's attachment");
      Run overdue = rv.run("overdue", with(new String[] {"overdue"}, auth));
      check(problems, overdue.ok(), "overdue exits 0");
      Run stats = rv.run("stats --from-cache", with(new String[] {"stats", "--from-cache", "--out",
          rv.work.resolve("stats-flood").toString()}, auth));
      check(problems, stats.ok(), "stats --from-cache exits 0");
      Run dry = rv.run("close --filter malformed spam --dry-run", with(new String[] {"close", "--filter", "malformed",
          "spam", "--dry-run"}, auth));
      check(problems, dry.ok(), "close --filter malformed spam --dry-run exits 0");
      Run k = rv.run("keys public", with(new String[] {"keys", "public"}, keys));
      check(problems, k.ok(), "keys public exits 0");
      System.out.printf(" flood summary: peak heap over all %d processes %.1f MiB of %s; failed: %s; checks: %s%n",
          rv.runs.size(), rv.peakHeap(), HEAP, rv.failed().isEmpty() ? "none" : rv.failed().stream().map(Run::label)
              .toList(), problems.isEmpty() ? "all passed" : "FAILED " + problems);
    }
  }

  static void check(List<String> problems, boolean ok, String what) {
    System.out.println("  check: " + what + ": " + (ok ? "ok" : "FAILED"));
    if (!ok) {
      problems.add(what);
    }
  }

  static String cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ReviewerCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    if (code != 0) {
      throw new IllegalStateException(args[0] + " failed (" + code + "): " + err);
    }
    return out.toString();
  }

  static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  static Path locateRepo() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("intake-server/config-demo.yml"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("run from inside the repository");
    }
    return p;
  }
}
