package org.testigo.cli.bench;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.testigo.cli.ReviewerCli;
import org.testigo.crypto.custody.ManifestUpdates;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.identity.Keystore;
import org.testigo.crypto.identity.KeystoreParams;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;

/**
 * End-to-end cost of {@code testigo-reviewer rewrap --all} (a program that prints figures,
 * not a test). Starts the intake server in-process (H2 in a temporary directory, an
 * organisation made here: alice and bob), seeds N small reports (argument 1, default 200)
 * sealed to both through {@code POST /api/v1/submissions}, lets alice sync, replaces bob by
 * carol in the manifest, then times alice's {@code rewrap --all} (sync of the manifest and
 * of rewraps, then per envelope: open the header, seal to 2 keys, signed POST, server
 * checks, SHA-256 of the stored envelope, row and log leaf in one transaction, cache
 * update) and carol's following {@code sync} that downloads the N rewrapped envelopes.
 * Keystore unlock is part of both (Argon2id with test parameters: negligible).
 * Run from the repository root after {@code test-compile}, with the test classpath.
 */
public final class RewrapRunBenchmark {
  private RewrapRunBenchmark() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    SecureRandom random = new SecureRandom();
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    SigningPrivateKey root = SigningPrivateKey.generate(random);
    SigningPrivateKey logKey = SigningPrivateKey.generate(random);
    ReviewerIdentity alice = ReviewerIdentity.generate("alice", random);
    ReviewerIdentity bob = ReviewerIdentity.generate("bob", random);
    ReviewerIdentity carol = ReviewerIdentity.generate("carol", random);
    SignedManifest s0 = SignedManifest.sign(ManifestUpdates.genesis("Bench org", root.publicKey(),
        logKey.publicKey(), List.of(entry(alice, t0), entry(bob, t0)), t0), root);
    Path data = Files.createTempDirectory("testigo-rewrap-bench-");
    Files.writeString(data.resolve("manifest-chain.txt"), ManifestChain.toArmored(List.of(s0)));
    String rootHex = KeyManifest.rootFingerprint(root.publicKey()).hex();
    Files.writeString(data.resolve("root-fingerprint"), rootHex + "\n");
    var ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    Files.write(Files.createFile(data.resolve("deployment-secret"), ownerOnly), random.generateSeed(32));
    Files.write(Files.createFile(data.resolve("log-key"), ownerOnly), logKey.exposeSecret());
    for (ReviewerIdentity r : List.of(alice, carol)) {
      Keystore.write(data.resolve(r.alias() + ".keystore"), Keystore.encrypt(r,
          Passphrase.of(("p-" + r.alias()).toCharArray()), KeystoreParams.TEST, random), false);
      Files.write(Files.createFile(data.resolve(r.alias() + ".pass"), ownerOnly),
          ("p-" + r.alias()).getBytes(StandardCharsets.UTF_8));
    }
    DropwizardTestSupport<IntakeConfiguration> app = new DropwizardTestSupport<>(IntakeApplication.class,
        Path.of("intake-server/config-demo.yml").toAbsolutePath().toString(),
        ConfigOverride.config("dataDirectory", data.toString()),
        ConfigOverride.config("keys.demoBootstrap", "false"),
        ConfigOverride.config("server.applicationConnectors[0].port", "0"),
        ConfigOverride.config("server.applicationConnectors[1].port", "0"),
        ConfigOverride.config("server.adminConnectors[0].port", "0"),
        ConfigOverride.config("logging.level", "WARN"));
    app.before();
    try {
      HttpClient http = HttpClient.newHttpClient();
      String source = "http://127.0.0.1:" + app.getLocalPort();
      for (int i = 0; i < n; i++) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Envelope.seal(new ByteArrayInputStream(("{\"report\":" + i + "}").getBytes(StandardCharsets.UTF_8)), out,
            List.of(alice.encryptionKey().publicKey(), bob.encryptionKey().publicKey()), Envelope.CONTEXT_REPORT,
            random);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(source + "/api/v1/submissions"))
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
          throw new IllegalStateException("seeding failed: " + r.statusCode());
        }
      }
      String reviewerUrl = "http://127.0.0.1:" + app.getPort(1);
      for (String who : List.of("alice", "carol")) {
        cli("server", "add", reviewerUrl, "--root", rootHex, "--home", data.resolve("home-" + who).toString());
      }
      cli(as(data, "alice", "sync", "--page-size", "500"));
      SignedManifest s1 = SignedManifest.sign(ManifestUpdates.addReviewer(s0, entry(carol, t0), Instant.now()), root);
      SignedManifest s2 = SignedManifest.sign(ManifestUpdates.removeReviewer(s1, "bob", Instant.now()), root);
      HttpResponse<String> update = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + app.getAdminPort() + "/tasks/update-manifest")).POST(HttpRequest.BodyPublishers.ofString(
          ManifestChain.toArmored(List.of(s0, s1, s2)))).build(), HttpResponse.BodyHandlers.ofString());
      if (update.statusCode() != 200) {
        throw new IllegalStateException("manifest update failed: " + update.body());
      }
      long a = System.nanoTime();
      String rewrap = cli(as(data, "alice", "rewrap", "--all"));
      double rewrapSeconds = (System.nanoTime() - a) / 1e9;
      long b = System.nanoTime();
      cli(as(data, "carol", "sync", "--page-size", "500"));
      double syncSeconds = (System.nanoTime() - b) / 1e9;
      System.out.println(rewrap.strip());
      System.out.printf("rewrap --all of %d reports: %.1f s (%.1f ms per report, %.0f reports/s);"
          + " carol's sync of the rewrapped reports: %.1f s; 2 cores, load %s%n", n, rewrapSeconds,
          1000 * rewrapSeconds / n, n / rewrapSeconds, syncSeconds, load());
    } finally {
      app.after();
    }
  }

  private static ReviewerEntry entry(ReviewerIdentity who, Instant t0) {
    return ReviewerEntry.of(who.publicBundle(), ReviewerEntry.ROLE_REVIEWER, t0.minus(Duration.ofMinutes(5)),
        t0.plus(Duration.ofDays(30)));
  }

  private static String[] as(Path data, String who, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", data.resolve("home-" + who).toString(), "-k",
        data.resolve(who + ".keystore").toString(), "--passphrase-file", data.resolve(who + ".pass").toString()));
    return all.toArray(String[]::new);
  }

  private static String cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ReviewerCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    if (code != 0) {
      throw new IllegalStateException(String.join(" ", args) + " failed (" + code + "): " + err);
    }
    return out.toString();
  }

  private static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "?";
    }
  }
}
