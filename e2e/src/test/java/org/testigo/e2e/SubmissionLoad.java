package org.testigo.e2e;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.key.RecipientPublicKey;

/**
 * A bounded load of API submissions, the way a careful client sends them: each report is
 * sealed once (a v1 envelope of context {@code report}, ~10 KB, to the manifest's reviewers),
 * given a client-chosen submission id once, and re-sent with the SAME id and bytes after any
 * error or timeout, to whichever server answers, until one acknowledges it (2xx). So a lost
 * response can cause a re-send but never a second report.
 *
 * <p>Counts what the test reports: acknowledged, attempts that failed and were retried, and
 * for each acknowledged id the SHA-256 of the plaintext, to check it opens to what was sent.
 */
final class SubmissionLoad {
  /** What the sender knows about one acknowledged submission. */
  record Acknowledged(String id, byte[] plaintextSha256, int status, int attempts) {}

  private final List<RecipientPublicKey> recipients;
  private final Supplier<List<String>> servers;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final SecureRandom random = new SecureRandom();
  final Map<String, Acknowledged> acknowledged = new ConcurrentHashMap<>();
  final AtomicInteger retried = new AtomicInteger();
  final AtomicInteger alreadyStored = new AtomicInteger();
  final AtomicInteger refused = new AtomicInteger();
  final AtomicInteger unacknowledged = new AtomicInteger();
  final Map<Integer, AtomicInteger> failuresByStatus = new ConcurrentHashMap<>();
  private final AtomicLong sent = new AtomicLong();

  /** {@code servers} gives the base URLs to try (re-read on every attempt). */
  SubmissionLoad(List<RecipientPublicKey> recipients, Supplier<List<String>> servers) {
    this.recipients = recipients;
    this.servers = servers;
  }

  /**
   * Runs {@code threads} senders until {@code until} (epoch millis); a submission started
   * before then is retried until it is acknowledged or {@code giveUpAt} passes. Returns the
   * number acknowledged in this run.
   */
  int run(int threads, long until, long giveUpAt) throws InterruptedException {
    int before = acknowledged.size();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t;
      Thread w = new Thread(() -> {
        int k = first;
        while (System.currentTimeMillis() < until) {
          sendOne(k++, giveUpAt);
        }
      }, "sender-" + t);
      w.start();
      workers.add(w);
    }
    for (Thread w : workers) {
      w.join();
    }
    return acknowledged.size() - before;
  }

  private void sendOne(int serverHint, long giveUpAt) {
    byte[] idBytes = new byte[16];
    random.nextBytes(idBytes);
    String id = HexFormat.of().formatHex(idBytes);
    byte[] plaintext = new byte[10_000];
    random.nextBytes(plaintext);
    System.arraycopy(id.getBytes(StandardCharsets.US_ASCII), 0, plaintext, 0, 32);
    byte[] envelope;
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Envelope.seal(new ByteArrayInputStream(plaintext), out, recipients, Envelope.CONTEXT_REPORT, random);
      envelope = out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    int attempts = 0;
    while (System.currentTimeMillis() < giveUpAt) {
      List<String> urls = servers.get();
      String base = urls.get(Math.floorMod(serverHint + attempts, urls.size()));
      attempts++;
      sent.incrementAndGet();
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/submissions"))
            .timeout(Duration.ofSeconds(15))
            .header("Content-Type", "application/octet-stream")
            .header("Testigo-Submission-Id", id)
            .POST(HttpRequest.BodyPublishers.ofByteArray(envelope)).build(),
            HttpResponse.BodyHandlers.ofString());
        int s = r.statusCode();
        if ((s == 200 || s == 201) && r.body().contains("\"" + id + "\"")) {
          if (s == 200) {
            alreadyStored.incrementAndGet();
          }
          acknowledged.put(id, new Acknowledged(id, sha256(plaintext), s, attempts));
          return;
        }
        if (s >= 400 && s < 500 && s != 408 && s != 429) {
          refused.incrementAndGet();
          failuresByStatus.computeIfAbsent(s, x -> new AtomicInteger()).incrementAndGet();
          return; // a refusal is final; the test fails on any
        }
        failuresByStatus.computeIfAbsent(s, x -> new AtomicInteger()).incrementAndGet();
      } catch (IOException e) {
        failuresByStatus.computeIfAbsent(-1, x -> new AtomicInteger()).incrementAndGet();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      retried.incrementAndGet();
      try {
        Thread.sleep(150 + ThreadLocalRandom.current().nextInt(350));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    unacknowledged.incrementAndGet();
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
