package org.testigo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.httpsig.ReviewerRequestSignature;
import org.testigo.crypto.identity.Keystore;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.merkle.LeafHashSource;
import org.testigo.crypto.merkle.MerkleTree;
import org.testigo.crypto.merkle.SignedTreeHead;

/**
 * Several intake servers on a 3-node Galera cluster, with faults (issue 9). Starts the
 * cluster from Debian's mariadbd and galera-4 on loopback, two real intake-server jars on it
 * (MariaDB, a sequential multi-host URL with a different first node each, causal reads), and
 * sends a bounded load of API submissions through both, each with a client-chosen submission
 * id, re-sent on any error. A short fault-free phase first; then one database node and one
 * server are killed with SIGKILL in the middle and restarted (the node with wsrep-recover and
 * IST). A reviewer syncs through the reviewer API cursor the whole time.
 *
 * <p>Checks: every acknowledged submission is stored exactly once on every node and opens
 * with the reviewer key to what was sent; nothing else is stored; the transparency log has
 * one leaf per stored submission, dense indices, and tree heads that verify with the log key,
 * match the leaves and never go back; the reviewers' sync saw each submission exactly once.
 * Prints acknowledged, retried and lost counts and the throughput with and without faults.
 */
@Tag("galera")
class GaleraClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private static final int THREADS = 4;

  /** A real intake-server process with fixed ports, so it can be restarted on them. */
  static final class Instance implements AutoCloseable {
    final String name;
    final Path dir;
    final int port = RealJars.freePort();
    final int reviewerPort = RealJars.freePort();
    final int adminPort = RealJars.freePort();
    final List<String> properties;
    Process process;
    int starts;

    Instance(String name, Path dir, List<String> properties) throws IOException {
      this.name = name;
      this.dir = Files.createDirectories(dir);
      this.properties = properties;
    }

    String url() {
      return "http://127.0.0.1:" + port;
    }

    String reviewerUrl() {
      return "http://127.0.0.1:" + reviewerPort;
    }

    void start(boolean demoBootstrap) throws IOException, InterruptedException {
      List<String> cmd = new ArrayList<>(List.of("java", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
          "-Ddw.dataDirectory=" + dir.resolve("data"),
          "-Ddw.server.applicationConnectors[0].port=" + port,
          "-Ddw.server.applicationConnectors[1].port=" + reviewerPort,
          "-Ddw.server.adminConnectors[0].port=" + adminPort,
          "-Ddw.keys.demoBootstrap=" + demoBootstrap));
      properties.forEach(p -> cmd.add("-D" + p));
      cmd.addAll(List.of("-jar", RealJars.SERVER_JAR.toString(), "server",
          RealJars.REPO.resolve("intake-server/config-demo.yml").toString()));
      Path log = dir.resolve("server-" + (++starts) + ".log");
      process = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      Instant deadline = Instant.now().plusSeconds(90);
      while (Instant.now().isBefore(deadline)) {
        if (!process.isAlive()) {
          throw new IllegalStateException(name + " exited:\n" + GaleraCluster.tail(log));
        }
        try {
          if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/healthcheck")).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
        Thread.sleep(300);
      }
      throw new IllegalStateException(name + " not healthy in 90 s:\n" + GaleraCluster.tail(log));
    }

    void kill() throws InterruptedException {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
      if (process != null && process.isAlive()) {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
    }
  }

  @Test
  void acknowledgedSubmissionsAreStoredOnceAndOpen_whileANodeAndAServerAreKilled(@TempDir Path work)
      throws Exception {
    assertThat(GaleraCluster.available()).as("mariadbd, galera-4 and rsync are installed").isTrue();
    assertThat(Files.exists(RealJars.SERVER_JAR)).as("intake-server was packaged").isTrue();
    Instant begun = Instant.now();
    try (GaleraCluster cluster = new GaleraCluster(work.resolve("cluster"), 3)) {
      cluster.start(Duration.ofSeconds(90));
      Duration clusterStart = Duration.between(begun, Instant.now());
      cluster.execute(1, "CREATE DATABASE testigo",
          "CREATE USER 'testigo'@'127.0.0.1' IDENTIFIED BY 'galera-test-password'",
          "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES ON testigo.* TO 'testigo'@'127.0.0.1'");
      Path keys = Files.createDirectories(work.resolve("keys"));
      Path password = Files.writeString(keys.resolve("db-password"), "galera-test-password\n");
      Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));

      List<Instance> servers = new ArrayList<>();
      try (Instance a = new Instance("server-a", work.resolve("a"), properties(cluster, 1, keys, password));
          Instance b = new Instance("server-b", work.resolve("b"), properties(cluster, 2, keys, password))) {
        servers.add(a);
        servers.add(b);
        a.start(true); // creates the demo organisation once (keys in the shared directory)
        b.start(false);

        Fingerprint root = Fingerprint.fromHex(Files.readString(keys.resolve("root-fingerprint")).strip());
        KeyManifest manifest = ManifestChain.verify(
            SignedManifest.parseArmored(Files.readString(keys.resolve("manifest-chain.txt"))), root);
        ReviewerIdentity reviewer = Keystore.read(a.dir.resolve("data/demo/reviewer.keystore"),
            Passphrase.of(Files.readString(a.dir.resolve("data/demo/reviewer.passphrase")).strip().toCharArray()));

        SubmissionLoad load = new SubmissionLoad(manifest.recipients(), () -> List.of(a.url(), b.url()));
        ReviewerSync sync = new ReviewerSync(reviewer, List.of(a.reviewerUrl(), b.reviewerUrl()));
        Thread syncer = new Thread(sync, "reviewer-sync");
        syncer.start();

        // Phase 1: no faults.
        long t0 = System.currentTimeMillis();
        int quiet = load.run(THREADS, t0 + 8_000, t0 + 60_000);
        double quietSeconds = (System.currentTimeMillis() - t0) / 1000.0;

        // Phase 2: kill -9 node 2 (server b's first node), then server b; restart both.
        Map<String, String> faults = new ConcurrentHashMap<>();
        Thread faulter = new Thread(() -> {
          try {
            Thread.sleep(3_000);
            cluster.kill(2);
            faults.put("node 2 killed at", String.valueOf(System.currentTimeMillis()));
            Thread.sleep(3_000);
            b.kill();
            Thread.sleep(3_000);
            long r0 = System.currentTimeMillis();
            faults.put("node 2 recovered position", cluster.recoverAndRestart(2, Duration.ofSeconds(90)));
            faults.put("node 2 rejoin ms", String.valueOf(System.currentTimeMillis() - r0));
            faults.put("node 2 by IST", String.valueOf(cluster.joinedByIst(2)));
            long s0 = System.currentTimeMillis();
            b.start(false);
            faults.put("server b restart ms", String.valueOf(System.currentTimeMillis() - s0));
          } catch (Exception e) {
            faults.put("error", e.toString());
          }
        }, "faults");
        long t1 = System.currentTimeMillis();
        faulter.start();
        int faulty = load.run(THREADS, t1 + 22_000, t1 + 90_000);
        double faultySeconds = (System.currentTimeMillis() - t1) / 1000.0;
        faulter.join(120_000);

        // Let the signer cover every leaf, and the reviewer see everything.
        int expected = load.acknowledged.size();
        // A report whose commit landed but whose answer never arrived (a server killed after
        // commit) is stored too: wait until the sequencers have moved every pending leaf, then
        // for a head over all of them, not only over the acknowledged ones.
        long leaves = awaitNoPendingLeaves(cluster);
        SignedTreeHead head = awaitTreeHead(List.of(a.url(), b.url()), manifest, Math.max(expected + 1, leaves));
        sync.stopAfterCatchingUp(expected);
        syncer.join(60_000);

        Verification v = verify(cluster, load, reviewer, manifest, head, sync);
        System.out.printf("%n[galera] cluster start %.1f s; faults %s%n", clusterStart.toMillis() / 1000.0, faults);
        System.out.printf("[galera] acknowledged %d (of which 'already stored' answers %d), attempts failed and retried %d"
                + " (by status %s), refused %d, unacknowledged %d, LOST %d, duplicates %d%n",
            load.acknowledged.size(), load.alreadyStored.get(), load.retried.get(), load.failuresByStatus,
            load.refused.get(), load.unacknowledged.get(), v.lost, v.duplicates);
        System.out.printf("[galera] throughput without faults %.1f/s (%d in %.1f s), with a node and a server killed"
                + " %.1f/s (%d in %.1f s)%n", quiet / quietSeconds, quiet, quietSeconds,
            faulty / faultySeconds, faulty, faultySeconds);
        System.out.printf("[galera] log: %d leaves, %d tree heads, latest size %d; reviewer sync: %d pages, %d items%n",
            v.leaves, v.treeHeads, head.treeSize(), sync.pages, sync.seen.size());

        assertThat(faults).as("fault injection and restarts").doesNotContainKey("error");
        assertThat(load.refused.get()).as("refused submissions").isZero();
        assertThat(v.lost).as("acknowledged but not stored exactly once and intact").isZero();
        assertThat(v.duplicates).as("stored under an id no client acknowledged").isZero();
        assertThat(sync.errors).as("reviewer sync anomalies").isEmpty();
      } finally {
        for (Instance s : servers) {
          s.close();
        }
        keepLogs(work);
      }
    }
  }

  /** Copies the servers' and nodes' logs to target/galera-logs (the temp dir is deleted). */
  private static void keepLogs(Path work) {
    Path to = RealJars.REPO.resolve("reviewer-cli/target/galera-logs");
    try (var files = Files.walk(work)) {
      Files.createDirectories(to);
      for (Path f : files.filter(p -> p.toString().endsWith(".log") && Files.isRegularFile(p)).toList()) {
        Files.copy(f, to.resolve(work.relativize(f).toString().replace('/', '_')),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      System.out.println("[galera] could not keep logs: " + e);
    }
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

  /** Waits (at most 60 s) until no leaf is pending; returns the number of sequenced leaves. */
  private static long awaitNoPendingLeaves(GaleraCluster cluster) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      try (Connection c = cluster.connect(1, "testigo"); Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT (SELECT COUNT(*) FROM log_pending), (SELECT COUNT(*) FROM log_leaves)")) {
        r.next();
        if (r.getLong(1) == 0) {
          return r.getLong(2);
        }
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionError(r.getLong(1) + " leaves still pending after 60 s");
        }
      }
      Thread.sleep(500);
    }
  }

  private static SignedTreeHead awaitTreeHead(List<String> urls, KeyManifest manifest, long atLeast)
      throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    SignedTreeHead last = null;
    while (Instant.now().isBefore(deadline)) {
      for (String u : urls) {
        try {
          HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(u + "/api/v1/log/sth")).build(),
              HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            last = SignedTreeHead.parse(HexFormat.of().parseHex(JSON.readTree(r.body()).get("encoded").asText()));
            assertThat(last.verify(manifest.logKey())).as("served tree head verifies").isTrue();
            if (last.treeSize() >= atLeast) {
              return last;
            }
          }
        } catch (IOException notNow) {
          // try the other server
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no tree head covering " + atLeast + " leaves; last " + (last == null ? "none" : last.treeSize()));
  }

  /** What the database holds, compared with what senders were told. */
  record Verification(int lost, int duplicates, long leaves, int treeHeads) {}

  private static Verification verify(GaleraCluster cluster, SubmissionLoad load, ReviewerIdentity reviewer,
      KeyManifest manifest, SignedTreeHead head, ReviewerSync sync) throws Exception {
    HexFormat hex = HexFormat.of();
    Map<Integer, Set<String>> storedByNode = new HashMap<>();
    for (int n = 1; n <= 3; n++) {
      Set<String> ids = new HashSet<>();
      try (Connection c = cluster.connect(n, "testigo"); Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT id, state FROM envelopes WHERE context = 'report'")) {
        while (r.next()) {
          assertThat(r.getString(2)).isEqualTo("stored");
          assertThat(ids.add(hex.formatHex(r.getBytes(1)))).isTrue();
        }
      }
      storedByNode.put(n, ids);
    }
    assertThat(storedByNode.get(2)).as("node 2 after IST").isEqualTo(storedByNode.get(1));
    assertThat(storedByNode.get(3)).as("node 3").isEqualTo(storedByNode.get(1));
    Set<String> stored = storedByNode.get(1);

    int lost = 0;
    try (Connection c = cluster.connect(3, "testigo")) {
      for (SubmissionLoad.Acknowledged ack : load.acknowledged.values()) {
        if (!stored.contains(ack.id())) {
          lost++;
          continue;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var ps = c.prepareStatement("SELECT data FROM " + org.testigo.server.storage.EnvelopeDao.PARTS
            + " p WHERE envelope_id = ? ORDER BY idx")) {
          ps.setBytes(1, hex.parseHex(ack.id()));
          try (ResultSet r = ps.executeQuery()) {
            while (r.next()) {
              bytes.write(r.getBytes(1));
            }
          }
        }
        byte[] plaintext = Envelope.open(bytes.toByteArray(), reviewer.encryptionKey(), Envelope.CONTEXT_REPORT);
        if (!MessageDigest.isEqual(SubmissionLoad.sha256(plaintext), ack.plaintextSha256())) {
          lost++;
        }
      }
    }
    Set<String> extra = new HashSet<>(stored);
    extra.removeAll(load.acknowledged.keySet());

    // Transparency log: dense indices, one submission leaf per stored report, heads monotonic.
    List<byte[]> leafHashes = new ArrayList<>();
    Map<String, Integer> leafPerEnvelope = new HashMap<>();
    try (Connection c = cluster.connect(2, "testigo"); Statement s = c.createStatement()) {
      try (ResultSet r = s.executeQuery("SELECT idx, leaf_hash, envelope_id FROM log_leaves ORDER BY idx")) {
        long expect = 0;
        while (r.next()) {
          assertThat(r.getLong(1)).as("dense log index").isEqualTo(expect++);
          leafHashes.add(r.getBytes(2));
          byte[] env = r.getBytes(3);
          if (env != null) {
            leafPerEnvelope.merge(hex.formatHex(env), 1, Integer::sum);
          }
        }
      }
      Set<String> withoutLeaf = new HashSet<>(stored);
      withoutLeaf.removeAll(leafPerEnvelope.keySet());
      Set<String> leafWithoutReport = new HashSet<>(leafPerEnvelope.keySet());
      leafWithoutReport.removeAll(stored);
      assertThat(withoutLeaf).as("stored reports without a leaf (of %d stored)", stored.size()).isEmpty();
      assertThat(leafWithoutReport).as("leaves of no stored report (of %d leaves)", leafPerEnvelope.size()).isEmpty();
      assertThat(leafPerEnvelope.values()).as("one leaf each").allMatch(k -> k == 1);
      LeafHashSource all = LeafHashSource.of(leafHashes);
      assertThat(head.treeSize()).isEqualTo(leafHashes.size());
      assertThat(head.rootHash()).isEqualTo(MerkleTree.root(all, head.treeSize()));
      int heads = 0;
      long lastSize = -1;
      long lastTime = -1;
      try (ResultSet r = s.executeQuery("SELECT sth FROM log_tree_heads ORDER BY timestamp_millis, tree_size")) {
        while (r.next()) {
          SignedTreeHead h = SignedTreeHead.parse(r.getBytes(1));
          assertThat(h.verify(manifest.logKey())).isTrue();
          assertThat(h.rootHash()).as("head matches the leaves").isEqualTo(MerkleTree.root(all, h.treeSize()));
          assertThat(h.treeSize()).as("heads never shrink").isGreaterThanOrEqualTo(lastSize);
          assertThat(h.timestampMillis()).isGreaterThanOrEqualTo(lastTime);
          lastSize = h.treeSize();
          lastTime = h.timestampMillis();
          heads++;
        }
      }
      // Reviewer sync: every stored report seen once.
      assertThat(sync.seen.keySet()).as("reviewer sync saw every stored report").isEqualTo(stored);
      return new Verification(lost, extra.size(), leafHashes.size(), heads);
    }
  }

  /**
   * A reviewer syncing with {@code after=cursor} through the reviewer API, alternating servers,
   * during the whole run: each id must arrive exactly once and cursors must only grow.
   */
  static final class ReviewerSync implements Runnable {
    private final ReviewerIdentity reviewer;
    private final List<String> urls;
    private final SecureRandom random = new SecureRandom();
    final Map<String, Long> seen = new ConcurrentHashMap<>();
    final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile int target = Integer.MAX_VALUE;
    long cursor;
    int pages;

    ReviewerSync(ReviewerIdentity reviewer, List<String> urls) {
      this.reviewer = reviewer;
      this.urls = urls;
    }

    void stopAfterCatchingUp(int expected) {
      target = expected;
      stopping.set(true);
    }

    @Override
    public void run() {
      Instant hardStop = Instant.now().plusSeconds(240);
      int k = 0;
      while (Instant.now().isBefore(hardStop)) {
        if (stopping.get() && seen.size() >= target) {
          return;
        }
        String base = urls.get(k++ % urls.size());
        try {
          boolean more = page(base);
          if (!more) {
            Thread.sleep(stopping.get() ? 200 : 1000);
          }
        } catch (IOException e) {
          sleep();
        } catch (Exception e) {
          errors.add(e.toString());
          sleep();
        }
      }
    }

    private void sleep() {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private boolean page(String base) throws Exception {
      URI uri = URI.create(base + "/api/v1/reviewer/submissions?after=" + cursor + "&limit=200");
      var h = ReviewerRequestSignature.sign(reviewer.signingKey(), "GET", uri.getHost() + ":" + uri.getPort(),
          uri.getRawPath(), uri.getRawQuery(), null, Instant.now(), ReviewerRequestSignature.DEFAULT_LIFETIME, random);
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
          .header("Signature-Input", h.signatureInput()).header("Signature", h.signature()).GET().build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (r.statusCode() != 200) {
        if (r.statusCode() != 503) {
          errors.add("status " + r.statusCode());
        }
        return false;
      }
      JsonNode page = JSON.readTree(r.body());
      pages++;
      long previous = cursor;
      for (JsonNode item : page.get("items")) {
        long seq = item.get("seq").asLong();
        if (seq <= previous) {
          errors.add("cursor went back: " + seq + " after " + previous);
        }
        previous = seq;
        if (seen.put(item.get("id").asText(), seq) != null) {
          errors.add("seen twice: " + item.get("id").asText());
        }
      }
      cursor = page.get("next").asLong();
      return page.get("more").asBoolean();
    }
  }
}
