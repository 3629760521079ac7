package org.testigo.server.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.manifest.SignedManifest;

/**
 * The outside review's upload denial of service, measured (README.md, "Upload flood"): with 0,
 * 32 and 64 idle attackers, each a circuit of its own (a PROXY line with a fresh circuit id)
 * that opens uploads with {@code POST /api/v1/uploads} and sends nothing, how long does an
 * honest source's whole upload (create, pieces, commit) take, and does it complete? Prints one
 * line per scenario and server. A program that prints figures, not a test.
 *
 * <p>The attackers keep their uploads open as the review described: each attacker opens as many
 * as its circuit may hold (2), and the honest source starts right after them. Against a server
 * before the change ({@code -Dbench.oldJar}), the 33rd upload is refused with 503 until the
 * attackers' uploads stall out (60 s), and an attacker that opens new ones every minute keeps
 * it so; the honest source's browser gives up after 3 minutes.
 *
 * <pre>
 * mvn -B -q -o -pl crypto,api,intake-server -am package -DskipTests
 * java -cp intake-server/target/test-classes:intake-server/target/testigo-intake-server.jar \
 *     org.testigo.server.bench.UploadFloodBenchmark [-Dbench.oldJar=...] [-Dbench.rounds=5]
 * </pre>
 */
public final class UploadFloodBenchmark {
  static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
  static final int WARMUP = Integer.getInteger("bench.warmup", 10);
  static final int ENVELOPE_BYTES = Integer.getInteger("bench.envelopeBytes", 1_000_000);
  static final int PIECE_BYTES = 256 * 1024;
  static final int[] ATTACKERS = {0, 32, 64};
  static final AtomicLong CIRCUITS = new AtomicLong(0x0f10_0000L);

  private UploadFloodBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path repo = SubmissionBenchmark.locateRepo();
    Path jar = repo.resolve("intake-server/target/testigo-intake-server.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException("build first: mvn -B -q -o -pl crypto,api,intake-server -am package -DskipTests");
    }
    Path config = repo.resolve("intake-server/config-demo.yml");
    System.out.printf("UploadFloodBenchmark %s, %d cores, load average %s, %d rounds, envelope %d bytes in pieces of %d%n",
        Instant.now(), Runtime.getRuntime().availableProcessors(), SubmissionBenchmark.loadAverage(), ROUNDS,
        ENVELOPE_BYTES, PIECE_BYTES);
    List<String> proxy = List.of("-Ddw.server.applicationConnectors[0].useProxyProtocol=true");
    String oldJar = System.getProperty("bench.oldJar", "");
    if (!oldJar.isEmpty() && Files.exists(Path.of(oldJar))) {
      try (AttackBenchmark.ServerProcess old = AttackBenchmark.ServerProcess.start("before", Path.of(oldJar), config,
          proxy)) {
        run(old);
      }
    }
    try (AttackBenchmark.ServerProcess now = AttackBenchmark.ServerProcess.start("this server", jar, config, proxy)) {
      run(now);
    }
  }

  static void run(AttackBenchmark.ServerProcess server) throws Exception {
    byte[] envelope = envelope(server.port);
    for (int i = 0; i < WARMUP; i++) {
      honestUpload(server.port, envelope); // the first uploads are slow while the JIT warms up
    }
    System.out.printf("%-12s %9s %9s %10s %10s %10s  %s%n", server.name, "attackers", "completed", "median ms",
        "max ms", "attack 2xx", "honest failures");
    for (int attackers : ATTACKERS) {
      long[] times = new long[ROUNDS];
      int completed = 0;
      int attack2xx = 0;
      List<String> failures = new ArrayList<>();
      for (int round = 0; round < ROUNDS; round++) {
        List<Long> held = new ArrayList<>();
        List<String> heldIds = new ArrayList<>();
        for (int a = 0; a < attackers; a++) {
          long circuit = CIRCUITS.incrementAndGet();
          for (int i = 0; i < 2; i++) {
            ProxiedHttp.Reply r = ProxiedHttp.send(server.port, circuit, "POST", "/api/v1/uploads", null, new byte[0]);
            if (r.status() == 201) {
              attack2xx++;
              held.add(circuit);
              heldIds.add(idOf(r));
            }
          }
        }
        long start = System.nanoTime();
        String failure = honestUpload(server.port, envelope);
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (failure == null) {
          times[completed++] = ms;
        } else {
          failures.add(failure + " after " + ms + " ms");
        }
        for (int i = 0; i < heldIds.size(); i++) {
          ProxiedHttp.send(server.port, held.get(i), "DELETE", "/api/v1/uploads/" + heldIds.get(i), null, new byte[0]);
        }
      }
      long[] done = Arrays.copyOf(times, completed);
      Arrays.sort(done);
      System.out.printf(Locale.ROOT, "%-12s %9d %6d/%-2d %10s %10s %10d  %s%n", "", attackers, completed, ROUNDS,
          completed == 0 ? "-" : Long.toString(done[completed / 2]), completed == 0 ? "-" : Long.toString(done[completed - 1]),
          attack2xx, failures.isEmpty() ? "" : failures.get(0) + (failures.size() > 1 ? " (+" + (failures.size() - 1) + ")" : ""));
    }
  }

  /** One honest source: create, pieces, commit, on a circuit of its own; null when stored, else why not. */
  static String honestUpload(int port, byte[] envelope) throws IOException {
    long circuit = CIRCUITS.incrementAndGet();
    ProxiedHttp.Reply created = ProxiedHttp.send(port, circuit, "POST", "/api/v1/uploads", null, new byte[0]);
    if (created.status() != 201) {
      return "create " + created.status() + " (Retry-After " + created.headers().get("retry-after") + ")";
    }
    String id = idOf(created);
    for (int at = 0; at < envelope.length; at += PIECE_BYTES) {
      byte[] piece = Arrays.copyOfRange(envelope, at, Math.min(envelope.length, at + PIECE_BYTES));
      ProxiedHttp.Reply r = ProxiedHttp.send(port, circuit, "PUT", "/api/v1/uploads/" + id + "?offset=" + at,
          "application/octet-stream", piece);
      if (r.status() != 200) {
        return "piece " + r.status();
      }
    }
    ProxiedHttp.Reply c = ProxiedHttp.send(port, circuit, "POST", "/api/v1/uploads/" + id + "/commit", null, new byte[0]);
    return c.status() == 201 ? null : "commit " + c.status();
  }

  static String idOf(ProxiedHttp.Reply r) {
    String t = r.text();
    int i = t.indexOf("\"id\":\"") + 6;
    return t.substring(i, i + 32);
  }

  static byte[] envelope(int port) throws Exception {
    ProxiedHttp.Reply manifest = ProxiedHttp.send(port, CIRCUITS.incrementAndGet(), "GET", "/api/v1/manifest", null, null);
    List<SignedManifest> chain = SignedManifest.parseArmored(manifest.text());
    List<RecipientPublicKey> recipients = chain.get(chain.size() - 1).manifest().recipients(Instant.now());
    SecureRandom random = new SecureRandom();
    byte[] plain = new byte[ENVELOPE_BYTES];
    random.nextBytes(plain);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream sealing = Envelope.sealing(out, recipients, Envelope.CONTEXT_REPORT, random)) {
      sealing.write(plain);
    }
    return out.toByteArray();
  }
}
