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
 *   <li>{@code list}, which opens every cached envelope, parses its payload and questionnaire
 *       and replays its case;</li>
 *   <li>raw {@link Envelope#open} of the same cached files, one identity, nothing else.</li>
 * </ol>
 * The keystore's Argon2id unlock is timed apart and subtracted from both commands. Prints
 * reports/s and the ratio list / raw open. Run from the repository root:
 * <pre>
 * mvn -B -q -pl crypto,intake-server,reviewer-cli test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp reviewer-cli/target/test-classes:reviewer-cli/target/classes:$(cat reviewer-cli/target/cp.txt) \
 *     org.testigo.cli.bench.SyncListBenchmark 1000
 * </pre>
 */
public final class SyncListBenchmark {
  private SyncListBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
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
      byte[] keystoreFile = Keystore.readBytes(data.resolve("demo/reviewer.keystore"));
      long k0 = System.nanoTime();
      ReviewerIdentity identity = Keystore.decrypt(keystoreFile, Passphrase.of(pass.clone()));
      double unlockS = seconds(k0);
      System.out.printf("keystore unlock (Argon2id): %.2f s, subtracted below%n", unlockS);

      long s0 = System.nanoTime();
      String syncOut = cli(concat(new String[] {"sync"}, auth));
      double syncS = seconds(s0) - unlockS;
      if (!syncOut.contains(n + " new submission(s)")) {
        throw new IllegalStateException("sync did not fetch all reports: " + syncOut);
      }
      System.out.printf("sync:          %7.2f s  %8.0f reports/s%n", syncS, n / syncS);

      long l0 = System.nanoTime();
      String listOut = cli(concat(new String[] {"list"}, auth));
      double listS = seconds(l0) - unlockS;
      if (!listOut.contains(n + " report(s)")) {
        throw new IllegalStateException("list did not show all reports");
      }
      System.out.printf("list:          %7.2f s  %8.0f reports/s%n", listS, n / listS);

      List<Path> envelopes;
      try (Stream<Path> s = Files.list(seeded)) {
        envelopes = s.filter(p -> p.toString().endsWith(".tgenv")).toList();
      }
      long r0 = System.nanoTime();
      long plain = 0;
      for (Path p : envelopes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(p)) {
          Envelope.open(in, out, identity.encryptionKey(), Envelope.CONTEXT_REPORT);
        }
        plain += out.size();
      }
      double rawS = seconds(r0);
      identity.destroy();
      System.out.printf("raw open:      %7.2f s  %8.0f reports/s  (%d envelopes, %d plaintext bytes)%n",
          rawS, envelopes.size() / rawS, envelopes.size(), plain);
      System.out.printf("ratio list / raw open: %.2f; sync / raw open: %.2f%n", listS / rawS, syncS / rawS);
    } finally {
      app.after();
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
