package org.testigo.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.custody.ManifestUpdates;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.envelope.EnvelopeInfo;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;

/**
 * {@code POST /tasks/update-manifest} on the admin port, against the demo config with a data
 * directory prepared by the test (its own root key, so the test can sign the next
 * manifests): a chain that extends the current one is published, logged and sealed to at
 * once; any other chain is refused and leaves the file, the published chain and the log as
 * they were.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManifestUpdateAppTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  static final SigningPrivateKey ROOT = SigningPrivateKey.generate(RANDOM);
  static final SigningPrivateKey LOG_KEY = SigningPrivateKey.generate(RANDOM);
  static final ReviewerIdentity ALPHA = ReviewerIdentity.generate("alpha", RANDOM);
  static final ReviewerIdentity BETA = ReviewerIdentity.generate("beta", RANDOM);
  static final SignedManifest S0 = SignedManifest.sign(ManifestUpdates.genesis("Test org", ROOT.publicKey(),
      LOG_KEY.publicKey(), List.of(entry(ALPHA)), T0), ROOT);
  static final SignedManifest S1 = SignedManifest.sign(ManifestUpdates.addReviewer(S0, entry(BETA), T0), ROOT);
  static final Path DATA = prepare();

  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("config-demo.yml").toAbsolutePath().toString(),
      ConfigOverride.config("dataDirectory", DATA.toString()),
      ConfigOverride.config("server.applicationConnectors[0].port", "0"),
      ConfigOverride.config("server.applicationConnectors[1].port", "0"),
      ConfigOverride.config("server.adminConnectors[0].port", "0"),
      ConfigOverride.config("receipts.memoryKiB", "256"),
      ConfigOverride.config("receipts.iterations", "1"));

  static ReviewerEntry entry(ReviewerIdentity who) {
    return ReviewerEntry.of(who.publicBundle(), ReviewerEntry.ROLE_REVIEWER, T0.minus(Duration.ofMinutes(5)),
        T0.plus(Duration.ofDays(30)));
  }

  /** A data directory with a one-manifest chain from the test's root, before the server starts. */
  static Path prepare() {
    try {
      Path dir = Files.createTempDirectory("testigo-manifest-update-");
      Files.writeString(dir.resolve("manifest-chain.txt"), ManifestChain.toArmored(List.of(S0)));
      Files.writeString(dir.resolve("root-fingerprint"), KeyManifest.rootFingerprint(ROOT.publicKey()).hex() + "\n");
      byte[] secret = new byte[32];
      RANDOM.nextBytes(secret);
      Files.write(Files.createFile(dir.resolve("deployment-secret"),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), secret);
      Files.write(Files.createFile(dir.resolve("log-key"),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), LOG_KEY.exposeSecret());
      return dir;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String url(String path) {
    return "http://127.0.0.1:" + APP.getLocalPort() + path;
  }

  static String admin(String path) {
    return "http://127.0.0.1:" + APP.getAdminPort() + path;
  }

  static HttpResponse<String> update(String armored) throws Exception {
    return HttpForms.post(admin("/tasks/update-manifest"), "text/plain", armored.getBytes(StandardCharsets.US_ASCII));
  }

  static Connection h2() throws java.sql.SQLException {
    return DriverManager.getConnection("jdbc:h2:file:" + DATA.resolve("db/testigo")
        + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000", "sa", "");
  }

  /** The MANIFEST leaves' object hashes, in log order, and the log size. */
  static List<String> manifestLeaves() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = h2(); ResultSet rs = c.createStatement().executeQuery(
        "SELECT object_hash FROM log_leaves WHERE entry_type = 4 ORDER BY idx")) {
      while (rs.next()) {
        out.add(HexFormat.of().formatHex(rs.getBytes(1)));
      }
    }
    return out;
  }

  /** Leaves in the log or pending (the sum does not change when the sequencer moves leaves). */
  static long logSize() throws Exception {
    try (Connection c = h2(); ResultSet rs = c.createStatement().executeQuery(
        "SELECT next_index + (SELECT COUNT(*) FROM log_pending) FROM log_counter")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static Set<String> storedIds() throws Exception {
    HttpResponse<String> r = HttpForms.post(admin("/tasks/export-envelope?list=true"), "text/plain", new byte[0]);
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body().lines().filter(l -> !l.isBlank()).map(l -> l.split(" ")[0]).collect(Collectors.toSet());
  }

  /** Sends a report through the no-JavaScript form (sealed by the server) and returns its recipients. */
  static Set<Fingerprint> recipientsOfANewServerSealedReport() throws Exception {
    Set<String> before = storedIds();
    HttpResponse<String> r = new HttpForms().field("version", "1").field("lang", "es").field("what", "extortion")
        .field("who", "inm").field("state", "CHP").field("place_kind", "train")
        .field("narrative", "Nos pidieron dinero en el tren.").field("wants", "reply").post(url("/report?lang=es"));
    assertThat(r.statusCode()).isEqualTo(200);
    Set<String> added = new java.util.HashSet<>(storedIds());
    added.removeAll(before);
    assertThat(added).hasSize(1);
    HttpResponse<String> exported = HttpForms.post(admin("/tasks/export-envelope?id=" + added.iterator().next()),
        "text/plain", new byte[0]);
    EnvelopeInfo info = Envelope.inspect(new ByteArrayInputStream(Files.readAllBytes(Path.of(exported.body().strip()))),
        OutputStream.nullOutputStream());
    return Set.copyOf(info.recipients());
  }

  static int postClientSealed(List<RecipientPublicKey> recipients) throws Exception {
    ByteArrayOutputStream sealed = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream("client-sealed".getBytes(StandardCharsets.US_ASCII)), sealed, recipients,
        Envelope.CONTEXT_REPORT, RANDOM);
    return HttpForms.post(url("/api/v1/submissions"), "application/octet-stream", sealed.toByteArray()).statusCode();
  }

  static Fingerprint fp(ReviewerIdentity who) {
    return who.encryptionKey().publicKey().fingerprint();
  }

  @Test
  @Order(1)
  void update_withAChainThatAddsAReviewerIsPublishedLoggedAndSealedToAtOnce() throws Exception {
    assertThat(recipientsOfANewServerSealedReport()).containsExactly(fp(ALPHA));
    List<RecipientPublicKey> both = List.of(ALPHA.encryptionKey().publicKey(), BETA.encryptionKey().publicKey());
    assertThat(postClientSealed(both)).isEqualTo(400);
    assertThat(manifestLeaves()).containsExactly(S0.hash().hex());
    long size = logSize();

    String chain = ManifestChain.toArmored(List.of(S0, S1));
    HttpResponse<String> r = update(chain);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("manifest 1 in force");

    assertThat(Files.readString(DATA.resolve("manifest-chain.txt"))).isEqualTo(chain);
    assertThat(HttpForms.get(url("/api/v1/manifest"), null).body()).isEqualTo(chain);
    assertThat(manifestLeaves()).containsExactly(S0.hash().hex(), S1.hash().hex());
    assertThat(logSize()).isEqualTo(size + 1);
    assertThat(recipientsOfANewServerSealedReport()).containsExactlyInAnyOrder(fp(ALPHA), fp(BETA));
    assertThat(postClientSealed(both)).isEqualTo(201);
    assertThat(postClientSealed(List.of(ALPHA.encryptionKey().publicKey()))).isEqualTo(400);
    try (var files = Files.list(DATA)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  @Order(2)
  void update_refusesEveryChainThatDoesNotExtendTheCurrentOneAndChangesNothing() throws Exception {
    SigningPrivateKey otherRoot = SigningPrivateKey.generate(RANDOM);
    SignedManifest o0 = SignedManifest.sign(ManifestUpdates.genesis("Test org", otherRoot.publicKey(),
        LOG_KEY.publicKey(), List.of(entry(ALPHA)), T0), otherRoot);
    SignedManifest o1 = SignedManifest.sign(ManifestUpdates.removeReviewer(o0, "alpha", T0), otherRoot);
    ReviewerIdentity gamma = ReviewerIdentity.generate("gamma", RANDOM);
    // A fork: another manifest 1 after S0, and a manifest 2 on top of it.
    SignedManifest fork1 = SignedManifest.sign(ManifestUpdates.addReviewer(S0, entry(gamma), T0), ROOT);
    SignedManifest fork2 = SignedManifest.sign(ManifestUpdates.removeReviewer(fork1, "alpha", T0), ROOT);
    // A gap: manifest 3 whose manifest 2 is not sent.
    SignedManifest s2 = SignedManifest.sign(ManifestUpdates.addReviewer(S1, entry(gamma), T0), ROOT);
    SignedManifest s3 = SignedManifest.sign(ManifestUpdates.removeReviewer(s2, "gamma", T0), ROOT);
    // A log-key rotation, correctly chained and signed.
    SignedManifest rotated = SignedManifest.sign(
        ManifestUpdates.rotateLogKey(S1, SigningPrivateKey.generate(RANDOM).publicKey(), T0), ROOT);
    // Another genesis from the pinned root, extended.
    SignedManifest g0 = SignedManifest.sign(ManifestUpdates.genesis("Test org", ROOT.publicKey(),
        LOG_KEY.publicKey(), List.of(entry(gamma)), T0.plusSeconds(1)), ROOT);
    SignedManifest g1 = SignedManifest.sign(ManifestUpdates.addReviewer(g0, entry(ALPHA), T0.plusSeconds(1)), ROOT);

    byte[] file = Files.readAllBytes(DATA.resolve("manifest-chain.txt"));
    String published = HttpForms.get(url("/api/v1/manifest"), null).body();
    long size = logSize();
    List<String> leaves = manifestLeaves();

    record Case(String name, String body, String reason) {}
    List<Case> cases = List.of(
        new Case("another root", ManifestChain.toArmored(List.of(o0, o1)), "does not verify"),
        new Case("another root after ours", ManifestChain.toArmored(List.of(S0, S1, o1)), "does not verify"),
        new Case("fork", ManifestChain.toArmored(List.of(S0, fork1, fork2)), "differs from the current chain"),
        new Case("another genesis", ManifestChain.toArmored(List.of(g0, g1, SignedManifest.sign(
            ManifestUpdates.removeReviewer(g1, "gamma", T0.plusSeconds(1)), ROOT))), "differs from the current chain"),
        new Case("gap", ManifestChain.toArmored(List.of(S0, S1, s3)), "does not verify"),
        new Case("only the new manifest", ManifestChain.toArmored(List.of(s2)), "does not verify"),
        new Case("older chain", ManifestChain.toArmored(List.of(S0)), "must add at least one"),
        new Case("same chain", ManifestChain.toArmored(List.of(S0, S1)), "must add at least one"),
        new Case("log key rotation", ManifestChain.toArmored(List.of(S0, S1, rotated)), "needs a restart"),
        new Case("garbage", "hello", "not an armored key manifest chain"),
        new Case("empty", "", "not an armored key manifest chain"));
    for (Case c : cases) {
      HttpResponse<String> r = update(c.body());
      assertThat(r.statusCode()).as(c.name()).isEqualTo(500);
      assertThat(r.body()).as(c.name()).contains(c.reason());
      assertThat(Files.readAllBytes(DATA.resolve("manifest-chain.txt"))).as(c.name()).isEqualTo(file);
      assertThat(HttpForms.get(url("/api/v1/manifest"), null).body()).as(c.name()).isEqualTo(published);
      assertThat(logSize()).as(c.name()).isEqualTo(size);
      assertThat(manifestLeaves()).as(c.name()).isEqualTo(leaves);
    }
    // The right chain, posted as curl posts --data-binary by default (a form): the servlet takes
    // it for form fields, so it is refused with the header to add, and nothing changes.
    HttpResponse<String> form = HttpForms.post(admin("/tasks/update-manifest"), "application/x-www-form-urlencoded",
        ManifestChain.toArmored(List.of(S0, S1, s2)).getBytes(StandardCharsets.US_ASCII));
    assertThat(form.statusCode()).isEqualTo(500);
    assertThat(form.body()).contains("arrived as form fields").contains("Content-Type: text/plain");
    assertThat(Files.readAllBytes(DATA.resolve("manifest-chain.txt"))).isEqualTo(file);
    assertThat(HttpForms.get(url("/api/v1/manifest"), null).body()).isEqualTo(published);
    assertThat(logSize()).isEqualTo(size);
    assertThat(manifestLeaves()).isEqualTo(leaves);
    assertThat(recipientsOfANewServerSealedReport()).containsExactlyInAnyOrder(fp(ALPHA), fp(BETA));

    // The correctly chained next manifest is still accepted after all the refusals.
    HttpResponse<String> ok = update(ManifestChain.toArmored(List.of(S0, S1, s2)));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(recipientsOfANewServerSealedReport()).containsExactlyInAnyOrder(fp(ALPHA), fp(BETA), fp(gamma));
  }
}
