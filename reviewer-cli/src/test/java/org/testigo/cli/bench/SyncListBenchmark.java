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
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;

/**
 * Benchmark of the reviewer's read path (a program that prints figures, not a test).
 *
 * <p>Starts the intake server in-process (demo organisation, H2 in a temporary directory),
 * seeds N reports (argument 1, default 10,000) through the API path ({@code POST
 * /api/v1/submissions}) as envelopes sealed here to the manifest's reviewers (a small
 * questionnaire each, no attachment), then times, with the demo reviewer's keystore:
 * <ol>
 *   <li>{@code sync} of all N into an empty cache (download, SHA-256 check, atomic store);</li>
 *   <li>raw {@link Envelope#open} of the cached files into memory on one thread, one
 *       identity, nothing else;</li>
 *   <li>R paired rounds (argument 2, default 3) of {@code list}, which opens every cached
 *       envelope (one thread per processor), parses its payload and questionnaire and
 *       replays its case, then raw open of the same files on as many threads as list uses;</li>
 *   <li>{@code sync} of all N again into a second empty cache, with the JIT warm.</li>
 * </ol>
 * The keystore's Argon2id unlock is timed apart and subtracted from both commands. Prints
 * reports/s, the ratio list / raw open of each round (raw time over list time: 1.0 means
 * list costs nothing beyond opening) and the load average. Run from the repository root:
 * <pre>
 * mvn -B -q -pl crypto,intake-server,reviewer-cli test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp reviewer-cli/target/test-classes:reviewer-cli/target/classes:$(cat reviewer-cli/target/cp.txt) \
 *     org.testigo.cli.bench.SyncListBenchmark 10000 3
 * </pre>
 */
public final class SyncListBenchmark {
  private SyncListBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path repo = locateRepo();
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
        ConfigOverride.config("logging.level", "WARN"));
    app.before();
    try {
      String[] auth = {"--home", home.toString(), "-k", data.resolve("demo/reviewer.keystore").toString(),
          "--passphrase-file", data.resolve("demo/reviewer.passphrase").toString()};
      String root = Files.readString(data.resolve("root-fingerprint")).strip();
      cli("server", "add", "http://127.0.0.1:" + app.getPort(1), "--root", root, "--home", home.toString());
      cli(concat(new String[] {"sync"}, auth));
      String chain = Files.readString(home.resolve("cache/default/manifest-chain.txt"));
      List<SignedManifest> manifests = SignedManifest.parseArmored(chain);
      List<RecipientPublicKey> recipients = manifests.get(manifests.size() - 1).manifest().recipients();
      Path seeded = home.resolve("cache/default/submissions");
      try (Stream<Path> s = Files.list(seeded)) {
        if (s.findAny().isPresent()) {
          throw new IllegalStateException("the demo server already holds submissions");
        }
      }

      long t0 = System.nanoTime();
      seed(n, recipients, "http://127.0.0.1:" + app.getLocalPort() + "/api/v1/submissions");
      double seedS = seconds(t0);
      System.out.printf("seeded %d reports through the API in %.1f s (%.0f reports/s, 2 clients)%n", n, seedS, n / seedS);

      char[] pass = Files.readString(data.resolve("demo/reviewer.passphrase")).strip().toCharArray();
      ReviewerIdentity identity = Keystore.decrypt(Keystore.readBytes(data.resolve("demo/reviewer.keystore")),
          Passphrase.of(pass.clone()));
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
      cli("server", "add", "http://127.0.0.1:" + app.getPort(1), "--root", root, "--home", home2.toString());
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
    } finally {
      app.after();
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

  static void seed(int n, List<RecipientPublicKey> recipients, String url) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String[] states = {"CHP", "OAX", "VER", "TAB", "SON", "BC"};
    String[] what = {"extortion", "robbery", "kidnapping", "assault"};
    SecureRandom random = new SecureRandom();
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> jobs = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        jobs.add(pool.submit(() -> {
          for (int i; (i = next.getAndIncrement()) < n; ) {
            String q = "{\"version\":1,\"language\":\"es\",\"what\":[\"" + what[i % what.length] + "\"],\"who\":[\"inm\"],"
                + "\"where\":{\"state\":\"" + states[i % states.length] + "\",\"placeKind\":\"train\"},"
                + "\"narrative\":\"Informe de prueba numero " + i + " para medir la lectura.\",\"wants\":[\"reply\"]}";
            ByteArrayOutputStream env = new ByteArrayOutputStream();
            try (OutputStream sealing = Envelope.sealing(env, recipients, Envelope.CONTEXT_REPORT, random)) {
              sealing.write(payload(q.getBytes(StandardCharsets.UTF_8)));
            }
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(env.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
              throw new IllegalStateException("upload refused: HTTP " + r.statusCode() + " " + r.body());
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
  }

  /** Payload container v1 with one questionnaire part (SECURITY.md 6.1). */
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
