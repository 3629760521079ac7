package org.testigo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testigo.api.client.ReviewerApiClient;
import org.testigo.crypto.LengthPrefixed;
import org.testigo.crypto.custody.ManifestUpdates;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.erasure.ErasureDecision;
import org.testigo.crypto.manifest.RetentionPolicy;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.event.SignedCaseEvent;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.sign.SigningPrivateKey;

/**
 * Erasure on a 3-node Galera cluster under load, with a node killed (issue 21,
 * docs/spec/retention-and-erasure.md §3.3). Two real intake-server jars on the cluster (server
 * b's first node is node 2); submissions flow through both the whole time. A report and its
 * record event are stored; node 2 is killed; the erasure decision (early, two reviewers) is
 * posted through server b, which must fail over, and then posted again through server a.
 *
 * <p>Checks, after node 2 rejoined by IST: on every node the erased report's rows are gone and
 * its id is in no envelope, chunk, feed or log link; there is one erasure row and one erasure
 * leaf; the replay through the other server answered the same seq and changed nothing; every
 * acknowledged submission of the load is stored on every node.
 */
@Tag("galera")
class GaleraErasureIT {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void anErasureDuringLoadWithANodeKilled_leavesNoRowOnAnyNode_andItsReplayOnAnotherServerChangesNothing(
      @TempDir Path work) throws Exception {
    assertThat(GaleraCluster.available()).as("mariadbd, galera-4 and rsync are installed").isTrue();
    assertThat(Files.exists(RealJars.SERVER_JAR)).as("intake-server was packaged").isTrue();
    ReviewerIdentity alice = ReviewerIdentity.generate("alice", RANDOM);
    ReviewerIdentity bob = ReviewerIdentity.generate("bob", RANDOM);
    try (GaleraCluster cluster = new GaleraCluster(work.resolve("cluster"), 3)) {
      cluster.start(Duration.ofSeconds(90));
      cluster.execute(1, "CREATE DATABASE testigo",
          "CREATE USER 'testigo'@'127.0.0.1' IDENTIFIED BY 'galera-test-password'",
          "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES ON testigo.* TO 'testigo'@'127.0.0.1'");
      Path keys = organisation(Files.createDirectories(work.resolve("keys")), alice, bob);
      Path password = Files.writeString(keys.resolve("db-password"), "galera-test-password\n");
      Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));

      List<GaleraClusterIT.Instance> servers = new ArrayList<>();
      try (GaleraClusterIT.Instance a = new GaleraClusterIT.Instance("server-a", work.resolve("a"),
              properties(cluster, 1, keys, password));
          GaleraClusterIT.Instance b = new GaleraClusterIT.Instance("server-b", work.resolve("b"),
              properties(cluster, 2, keys, password))) {
        servers.add(a);
        servers.add(b);
        a.start(false);
        b.start(false);
        List<RecipientPublicKey> team = List.of(alice.encryptionKey().publicKey(), bob.encryptionKey().publicKey());
        SubmissionLoad load = new SubmissionLoad(team, () -> List.of(a.url(), b.url()));
        Map<String, String> outcome = new ConcurrentHashMap<>();
        long t0 = System.currentTimeMillis();
        Thread loader = new Thread(() -> {
          try {
            load.run(4, t0 + 30_000, t0 + 120_000);
          } catch (InterruptedException e) {
            outcome.put("load", "interrupted");
          }
        }, "load");
        loader.start();

        // the case: a report and the event that carries its statistical record
        ByteArrayOutputStream sealed = new ByteArrayOutputStream();
        Envelope.seal(new ByteArrayInputStream("Erase me on every node".getBytes(StandardCharsets.UTF_8)), sealed,
            team, Envelope.CONTEXT_REPORT, RANDOM);
        byte[] report = sealed.toByteArray();
        String caseId = submit(a.url(), report);
        ReviewerApiClient viaA = new ReviewerApiClient(URI.create(a.reviewerUrl()), alice.signingKey(),
            Clock.systemUTC(), RANDOM);
        ReviewerApiClient viaB = new ReviewerApiClient(URI.create(b.reviewerUrl()), alice.signingKey(),
            Clock.systemUTC(), RANDOM);
        viaA.submissions(Long.MAX_VALUE / 2, 1); // a page past the end sequences the feed: the report is listed
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        Envelope.seal(new ByteArrayInputStream("{\"v\":1,\"type\":\"erasure\"}".getBytes(StandardCharsets.UTF_8)),
            content, team, Envelope.CONTEXT_CASE_EVENT, RANDOM);
        SignedCaseEvent event = SignedCaseEvent.sign(alice.signingKey(), CaseId.fromHex(caseId), 1, List.of(),
            Instant.now(), content.toByteArray());
        viaA.postCaseEvent(caseId, LengthPrefixed.join(event.encoded(), content.toByteArray()));
        JsonNode objects = viaA.getJson("/api/v1/reviewer/cases/" + caseId + "/objects");
        List<byte[]> hashes = new ArrayList<>();
        objects.get("objects").forEach(o -> hashes.add(HEX.parseHex(o.get("sha256").asText())));
        assertThat(hashes).hasSize(1);
        ErasureDecision decision = ErasureDecision.sign(new ErasureDecision.Body(CaseId.fromHex(caseId),
            ErasureDecision.Reason.DUPLICATE, ErasureDecision.Basis.EARLY, Instant.now(), null, event.eventId(), hashes),
            alice.signingKey()).cosign(bob.signingKey());

        // node 2 (server b's first node) dies; the decision goes through server b anyway
        Thread.sleep(3_000);
        cluster.kill(2);
        JsonNode first = postUntilAnswered(viaB, decision.encoded(), outcome, "first post (b)");
        JsonNode replay = postUntilAnswered(viaA, decision.encoded(), outcome, "replay (a)");
        assertThat(replay.get("seq").asLong()).isEqualTo(first.get("seq").asLong());
        assertThat(replay.get("decision").asText()).isEqualTo(HEX.formatHex(decision.hash()));
        outcome.put("node 2 recovered position", cluster.recoverAndRestart(2, Duration.ofSeconds(90)));
        JsonNode again = postUntilAnswered(viaB, decision.encoded(), outcome, "replay (b, node 2 back)");
        assertThat(again.get("seq").asLong()).isEqualTo(first.get("seq").asLong());
        loader.join(150_000);
        awaitNoPendingLeaves(cluster);

        byte[] id = HEX.parseHex(caseId);
        Set<String> storedOnNode1 = null;
        for (int n = 1; n <= 3; n++) {
          try (Connection c = cluster.connect(n, "testigo")) {
            assertThat(count(c, "SELECT COUNT(*) FROM envelopes WHERE id = ?", id)).as("node %d envelope", n).isZero();
            assertThat(count(c, "SELECT COUNT(*) FROM envelope_chunks WHERE envelope_id = ?", id)).isZero();
            assertThat(count(c, "SELECT COUNT(*) FROM reviewer_feed WHERE envelope_id = ?", id)).isZero();
            assertThat(count(c, "SELECT COUNT(*) FROM log_leaves WHERE envelope_id = ?", id)).isZero();
            assertThat(count(c, "SELECT COUNT(*) FROM log_pending WHERE envelope_id = ?", id)).isZero();
            assertThat(count(c, "SELECT COUNT(*) FROM erasures WHERE case_id = ? AND decision_hash = ?", id,
                decision.hash())).as("node %d erasure row", n).isEqualTo(1);
            assertThat(count(c, "SELECT COUNT(*) FROM erasures", null)).isEqualTo(1);
            assertThat(count(c, "SELECT COUNT(*) FROM log_leaves WHERE entry_type = 7 AND object_hash = ?",
                decision.hash())).as("node %d erasure leaf", n).isEqualTo(1);
            assertThat(count(c, "SELECT COUNT(*) FROM log_leaves WHERE entry_type = 7", null)).isEqualTo(1);
            assertThat(count(c, "SELECT COUNT(*) FROM case_events WHERE case_id = ?", id)).isEqualTo(1);
            Set<String> stored = new HashSet<>();
            try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT id FROM envelopes WHERE context = 'report'")) {
              while (r.next()) {
                stored.add(HEX.formatHex(r.getBytes(1)));
              }
            }
            if (storedOnNode1 == null) {
              storedOnNode1 = stored;
            } else {
              assertThat(stored).as("node %d holds the same reports as node 1", n).isEqualTo(storedOnNode1);
            }
          }
        }
        assertThat(storedOnNode1).containsAll(load.acknowledged.keySet()).doesNotContain(caseId);
        System.out.printf("%n[galera-erasure] %s; load acknowledged %d, retried %d, refused %d%n", outcome,
            load.acknowledged.size(), load.retried.get(), load.refused.get());
        assertThat(load.refused.get()).isZero();
        assertThat(outcome).doesNotContainKey("load");
      } finally {
        for (GaleraClusterIT.Instance s : servers) {
          s.close();
        }
      }
    }
  }

  /** A manifest chain with alice and bob, and the default retention policy. */
  private static Path organisation(Path keys, ReviewerIdentity alice, ReviewerIdentity bob) throws IOException {
    SigningPrivateKey root = SigningPrivateKey.generate(RANDOM);
    SigningPrivateKey log = SigningPrivateKey.generate(RANDOM);
    Instant now = Instant.now();
    KeyManifest m = ManifestUpdates.genesis("Galera erasure test", root.publicKey(), log.publicKey(), List.of(
        ReviewerEntry.of(alice.publicBundle(), ReviewerEntry.ROLE_REVIEWER, now.minus(Duration.ofHours(1)),
            now.plus(Duration.ofDays(30))),
        ReviewerEntry.of(bob.publicBundle(), ReviewerEntry.ROLE_REVIEWER, now.minus(Duration.ofHours(1)),
            now.plus(Duration.ofDays(30)))), now.minus(Duration.ofMinutes(30))).withRetention(RetentionPolicy.DEFAULT);
    Files.writeString(keys.resolve("manifest-chain.txt"), ManifestChain.toArmored(List.of(SignedManifest.sign(m, root))));
    Files.writeString(keys.resolve("root-fingerprint"), KeyManifest.rootFingerprint(root.publicKey()).hex() + "\n");
    var ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    Files.write(Files.createFile(keys.resolve("deployment-secret"), ownerOnly), secret);
    Files.write(Files.createFile(keys.resolve("log-key"), ownerOnly), log.exposeSecret());
    return keys;
  }

  private static List<String> properties(GaleraCluster cluster, int firstNode, Path keys, Path password) {
    return List.of(
        "dw.database.type=MARIADB",
        "dw.database.url=jdbc:mariadb:sequential://" + cluster.hostList(firstNode) + "/testigo",
        "dw.database.user=testigo",
        "dw.database.passwordFile=" + password,
        "dw.database.maxConnections=12",
        "dw.database.causalReads=true",
        "dw.keys.manifestFile=" + keys.resolve("manifest-chain.txt"),
        "dw.keys.rootFingerprintFile=" + keys.resolve("root-fingerprint"),
        "dw.keys.deploymentSecretFile=" + keys.resolve("deployment-secret"),
        "dw.log.keyFile=" + keys.resolve("log-key"),
        "dw.log.treeHeadIntervalSeconds=2",
        "dw.limits.retryAfterSeconds=1",
        "dw.logging.level=WARN");
  }

  private static String submit(String server, byte[] envelope) throws Exception {
    for (int attempt = 0; attempt < 20; attempt++) {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server + "/api/v1/submissions"))
          .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(envelope))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 201) {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).get("id").asText();
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the report was not accepted");
  }

  /**
   * Posts the decision until a server answers 200 or 201 (a 503 while the cluster reconfigures
   * is retried: the same decision is applied once).
   */
  private static JsonNode postUntilAnswered(ReviewerApiClient client, byte[] decision, Map<String, String> outcome,
      String label) throws Exception {
    long deadline = System.currentTimeMillis() + 90_000;
    int failures = 0;
    while (true) {
      try {
        JsonNode answer = client.post("/api/v1/reviewer/erasures", decision);
        outcome.put(label, "answered after " + failures + " failed attempts");
        return answer;
      } catch (IOException e) {
        failures++;
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionError(label + ": no answer in 90 s, last " + e);
        }
        Thread.sleep(1_000);
      }
    }
  }

  private static void awaitNoPendingLeaves(GaleraCluster cluster) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (count(cluster, "SELECT COUNT(*) FROM log_pending") > 0) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("leaves still pending after 60 s");
      }
      Thread.sleep(500);
    }
  }

  private static long count(GaleraCluster cluster, String sql) throws Exception {
    try (Connection c = cluster.connect(1, "testigo")) {
      return count(c, sql, null);
    }
  }

  private static long count(Connection c, String sql, byte[] a, byte[]... more) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      if (a != null) {
        ps.setBytes(i++, a);
      }
      for (byte[] b : more) {
        ps.setBytes(i++, b);
      }
      try (ResultSet r = ps.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }
}
