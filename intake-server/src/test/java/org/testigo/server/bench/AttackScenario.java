package org.testigo.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.receipt.Receipt;
import org.testigo.crypto.receipt.ReceiptLanguage;

/**
 * One attack-and-service scenario of issue 18 §3 against a server whose source connector reads
 * tor's PROXY lines ({@code useProxyProtocol: true}), all of it over loopback with
 * {@link ProxiedHttp} (each request its own connection, starting with its circuit's PROXY line).
 *
 * <p>Honest clients: {@code honestClients} threads, each a stream of sources one after the
 * other; each source on a circuit of its own (a fresh circuit id, never shared with another
 * source or an attacker: the per-circuit budgets are sized for one source, not for a thread
 * filing reports back to back for minutes). A source either files a no-JS report
 * ({@code POST /report}, the multipart form) and checks its status with the receipt it got
 * ({@code POST /status}), or uploads through the API as the browser does (a mailbox, an
 * upload in two pieces of a pre-sealed envelope, the commit). Every request of a source counts;
 * when one fails, the source's remaining requests count as failed too.
 *
 * <p>Attackers: on each of {@code attackCircuits} circuits, {@code threadsPerAttack} threads of
 * each of the outside review's three attacks, at full speed (no pause): (a) upload-slot flood,
 * {@code POST /api/v1/uploads} without a body and empty PUTs to keep the slots; (b) status flood,
 * random receipts with a valid checksum; (c) write flood, mailboxes with random keys and the
 * same envelope bytes submitted again and again.
 *
 * <p>Everything stops by itself after {@code length} (requests then in flight finish, bounded by
 * the sockets' timeout).
 */
final class AttackScenario {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String BOUNDARY = "----TestigoAttackBench7q";
  static final Pattern RECEIPT = Pattern.compile("<p class=\"receipt\">([^<]+)</p>");
  static final Pattern VISIT = Pattern.compile("name=\"visit\" value=\"([0-9a-f]{32})\"");
  /** Circuit ids of honest sources and of attackers: distinct ranges, never reused in one run. */
  static final AtomicLong HONEST_CIRCUITS = new AtomicLong(0x1000_0000L);
  static final AtomicLong ATTACK_CIRCUITS = new AtomicLong(0xa000_0000L);

  enum Attack { UPLOAD_SLOTS, STATUS, WRITES }

  /** What the load needs from the server once: envelopes sealed to its recipients, a reply key. */
  record Material(List<byte[]> envelopes, byte[] replyKey) {
    static Material fetch(int port) throws Exception {
      ProxiedHttp.Reply manifest = ProxiedHttp.send(port, HONEST_CIRCUITS.incrementAndGet(), "GET",
          "/api/v1/manifest", null, null);
      if (manifest.status() != 200) {
        throw new IOException("manifest: HTTP " + manifest.status());
      }
      List<SignedManifest> chain = SignedManifest.parseArmored(manifest.text());
      List<RecipientPublicKey> recipients = chain.get(chain.size() - 1).manifest().recipients(java.time.Instant.now());
      SecureRandom random = new SecureRandom();
      List<byte[]> envelopes = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        byte[] plain = new byte[10_000];
        random.nextBytes(plain);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream sealing = Envelope.sealing(out, recipients, Envelope.CONTEXT_REPORT, random)) {
          sealing.write(plain);
        }
        envelopes.add(out.toByteArray());
      }
      RecipientPrivateKey reply = RecipientPrivateKey.generate(random);
      return new Material(envelopes, reply.publicKey().toBytes());
    }
  }

  /** Counts of responses by class. */
  static final class Tally {
    final LongAdder ok = new LongAdder();
    final LongAdder processedRefused = new LongAdder(); // 4xx other than 429: processed, then refused
    final LongAdder tooMany = new LongAdder(); // 429
    final LongAdder unavailable = new LongAdder(); // 503
    final LongAdder otherError = new LongAdder(); // other 5xx
    final LongAdder ioError = new LongAdder();

    void count(int status) {
      if (status >= 200 && status < 300) {
        ok.increment();
      } else if (status == 429) {
        tooMany.increment();
      } else if (status == 503) {
        unavailable.increment();
      } else if (status >= 500) {
        otherError.increment();
      } else {
        processedRefused.increment();
      }
    }

    long total() {
      return ok.sum() + processedRefused.sum() + tooMany.sum() + unavailable.sum() + otherError.sum() + ioError.sum();
    }

    @Override
    public String toString() {
      return String.format("%d sent: %d 2xx, %d other 4xx, %d 429, %d 503, %d other 5xx, %d I/O errors",
          total(), ok.sum(), processedRefused.sum(), tooMany.sum(), unavailable.sum(), otherError.sum(), ioError.sum());
    }
  }

  /** One honest request's outcome. */
  record Sample(String step, boolean ok, long nanos, String failure) {}

  /** A scenario's figures. */
  record Result(String name, int attackCircuits, double seconds, List<Sample> honest, Map<Attack, Tally> attacks,
      long derivations) {
    long honestOk() {
      return honest.stream().filter(Sample::ok).count();
    }

    double honestSuccess() {
      return honest.isEmpty() ? 0 : (double) honestOk() / honest.size();
    }

    /** Percentile (ms) of the latencies of honest requests that were sent, succeeded or not, of {@code steps} (all when empty). */
    double percentile(double p, String... steps) {
      List<String> only = List.of(steps);
      long[] sorted = honest.stream().filter(s -> s.nanos() >= 0)
          .filter(s -> only.isEmpty() || only.contains(s.step()))
          .mapToLong(Sample::nanos).sorted().toArray();
      if (sorted.length == 0) {
        return Double.NaN;
      }
      int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    long attackerOk() {
      return attacks.values().stream().mapToLong(t -> t.ok.sum()).sum();
    }

    long attackerRefused() {
      return attacks.values().stream().mapToLong(t -> t.tooMany.sum() + t.unavailable.sum()).sum();
    }

    long attackerTooMany() {
      return attacks.values().stream().mapToLong(t -> t.tooMany.sum()).sum();
    }

    /** The failures of honest requests, by step and reason, most frequent first. */
    Map<String, Long> failures() {
      Map<String, Long> m = new java.util.TreeMap<>();
      for (Sample s : honest) {
        if (!s.ok()) {
          m.merge(s.step() + ": " + s.failure(), 1L, Long::sum);
        }
      }
      return m;
    }
  }

  private final int port;
  private final int adminPort;
  private final Material material;

  AttackScenario(int port, int adminPort, Material material) {
    this.port = port;
    this.adminPort = adminPort;
    this.material = material;
  }

  /**
   * Runs one scenario: {@code honestClients} honest threads and the attackers, for {@code length},
   * and with attackers for up to 5 lengths more until each attack has been answered 429 once.
   */
  Result run(String name, Duration length, int honestClients, long thinkMillis, int attackCircuits,
      int threadsPerAttack) throws Exception {
    long derivationsBefore = derivations(adminPort);
    AtomicBoolean stop = new AtomicBoolean();
    List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    Map<Attack, Tally> tallies = new EnumMap<>(Attack.class);
    for (Attack a : Attack.values()) {
      tallies.put(a, new Tally());
    }
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < attackCircuits; c++) {
      long circuit = ATTACK_CIRCUITS.incrementAndGet();
      for (Attack a : Attack.values()) {
        for (int t = 0; t < threadsPerAttack; t++) {
          threads.add(daemon("attacker", () -> attack(a, circuit, stop, tallies.get(a))));
        }
      }
    }
    for (int h = 0; h < honestClients; h++) {
      int first = h;
      threads.add(daemon("honest", () -> honest(first, thinkMillis, stop, samples)));
    }
    long t0 = System.nanoTime();
    threads.forEach(Thread::start);
    Thread.sleep(length.toMillis());
    // On a loaded machine attackers may not have sent enough to exhaust a budget within the
    // length: run on, bounded at 6 lengths, until every attack has been refused once.
    long longest = System.nanoTime() + 5 * length.toNanos();
    while (attackCircuits > 0 && System.nanoTime() < longest
        && tallies.values().stream().anyMatch(t -> t.tooMany.sum() == 0)) {
      Thread.sleep(200);
    }
    stop.set(true);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ProxiedHttp.TIMEOUT_MILLIS * 3L);
    for (Thread t : threads) {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      if (t.isAlive()) {
        throw new IllegalStateException("a client thread did not stop within its sockets' timeouts");
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    long derivations = derivations(adminPort) - derivationsBefore;
    return new Result(name, attackCircuits, seconds, new ArrayList<>(samples), tallies, derivations);
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  // ---- honest sources ----

  private void honest(int first, long thinkMillis, AtomicBoolean stop, List<Sample> samples) {
    SecureRandom random = new SecureRandom();
    for (int n = first; !stop.get(); n++) {
      long circuit = HONEST_CIRCUITS.incrementAndGet();
      List<Sample> flow = n % 2 == 0 ? noJsFlow(circuit) : apiFlow(circuit, random);
      samples.addAll(flow);
      if (thinkMillis > 0 && !stop.get()) {
        try {
          Thread.sleep(ThreadLocalRandom.current().nextLong(thinkMillis + 1));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private List<Sample> noJsFlow(long circuit) {
    List<Sample> out = new ArrayList<>(2);
    ProxiedHttp.Reply report = timed(out, "report", 200, () -> ProxiedHttp.send(port, circuit, "POST",
        "/report?lang=es", "multipart/form-data; boundary=" + BOUNDARY, reportForm()));
    String receipt = report == null ? null : group(RECEIPT, report.text());
    if (report != null && receipt == null) {
      out.set(out.size() - 1, new Sample("report", false, out.get(out.size() - 1).nanos(), "no receipt on the page"));
    }
    if (receipt == null) {
      out.add(new Sample("status", false, -1, "not sent: the report failed"));
      return out;
    }
    timed(out, "status", 200, () -> ProxiedHttp.send(port, circuit, "POST", "/status?lang=es",
        "application/x-www-form-urlencoded", form("receipt", receipt)));
    return out;
  }

  private List<Sample> apiFlow(long circuit, SecureRandom random) {
    List<Sample> out = new ArrayList<>(5);
    byte[] lookup = new byte[32];
    random.nextBytes(lookup);
    String lookupKey = Base64.getUrlEncoder().withoutPadding().encodeToString(lookup);
    byte[] envelope = material.envelopes().get(random.nextInt(material.envelopes().size()));
    String[] steps = {"mailbox", "upload", "piece", "piece", "commit"};
    if (timed(out, "mailbox", 201, () -> ProxiedHttp.send(port, circuit, "POST", "/api/v1/mailboxes",
        "application/json", mailboxJson(lookupKey))) == null) {
      return skipped(out, steps);
    }
    ProxiedHttp.Reply created = timed(out, "upload", 201, () -> ProxiedHttp.send(port, circuit, "POST",
        "/api/v1/uploads", null, null));
    if (created == null) {
      return skipped(out, steps);
    }
    String id;
    try {
      id = JSON.readTree(created.body()).get("id").asText();
    } catch (IOException | RuntimeException e) {
      out.set(out.size() - 1, new Sample("upload", false, out.get(out.size() - 1).nanos(), "no id in the answer"));
      return skipped(out, steps);
    }
    int half = envelope.length / 2;
    if (timed(out, "piece", 200, () -> ProxiedHttp.send(port, circuit, "PUT", "/api/v1/uploads/" + id + "?offset=0",
        "application/octet-stream", java.util.Arrays.copyOfRange(envelope, 0, half))) == null
        || timed(out, "piece", 200, () -> ProxiedHttp.send(port, circuit, "PUT",
            "/api/v1/uploads/" + id + "?offset=" + half, "application/octet-stream",
            java.util.Arrays.copyOfRange(envelope, half, envelope.length))) == null) {
      return skipped(out, steps);
    }
    timed(out, "commit", 201, () -> ProxiedHttp.send(port, circuit, "POST", "/api/v1/uploads/" + id + "/commit",
        null, null, Map.of("Testigo-Mailbox-Lookup-Key", lookupKey)));
    return out;
  }

  private static List<Sample> skipped(List<Sample> out, String[] steps) {
    for (int i = out.size(); i < steps.length; i++) {
      out.add(new Sample(steps[i], false, -1, "not sent: an earlier step failed"));
    }
    return out;
  }

  interface Call {
    ProxiedHttp.Reply call() throws IOException;
  }

  /** Sends, records the sample; returns the reply when its status is the expected one, else null. */
  private static ProxiedHttp.Reply timed(List<Sample> out, String step, int expected, Call call) {
    long t0 = System.nanoTime();
    try {
      ProxiedHttp.Reply r = call.call();
      long nanos = System.nanoTime() - t0;
      boolean ok = r.status() == expected;
      out.add(new Sample(step, ok, nanos, ok ? null : "HTTP " + r.status()));
      return ok ? r : null;
    } catch (IOException e) {
      out.add(new Sample(step, false, System.nanoTime() - t0, e.getClass().getSimpleName()));
      return null;
    }
  }

  // ---- attackers ----

  private void attack(Attack attack, long circuit, AtomicBoolean stop, Tally tally) {
    SecureRandom random = new SecureRandom();
    List<String> held = new ArrayList<>();
    byte[] sameEnvelope = material.envelopes().get(0);
    for (long n = 0; !stop.get(); n++) {
      try {
        ProxiedHttp.Reply r;
        switch (attack) {
          case UPLOAD_SLOTS -> {
            if (n % 2 == 0 || held.isEmpty()) {
              r = ProxiedHttp.send(port, circuit, "POST", "/api/v1/uploads", null, null);
              if (r.status() == 201) {
                held.add(JSON.readTree(r.body()).get("id").asText());
              }
            } else {
              String id = held.get((int) (n / 2 % held.size()));
              r = ProxiedHttp.send(port, circuit, "PUT", "/api/v1/uploads/" + id + "?offset=0",
                  "application/octet-stream", new byte[0]);
              if (r.status() == 404) {
                held.remove(id); // released by the server: open another one
              }
            }
          }
          case STATUS -> r = ProxiedHttp.send(port, circuit, "POST", "/status?lang=es",
              "application/x-www-form-urlencoded", form("receipt", randomReceipt(random)));
          case WRITES -> {
            if (n % 2 == 0) {
              byte[] lookup = new byte[32];
              random.nextBytes(lookup);
              r = ProxiedHttp.send(port, circuit, "POST", "/api/v1/mailboxes", "application/json",
                  mailboxJson(Base64.getUrlEncoder().withoutPadding().encodeToString(lookup)));
            } else {
              r = ProxiedHttp.send(port, circuit, "POST", "/api/v1/submissions", "application/octet-stream",
                  sameEnvelope);
            }
          }
          default -> throw new IllegalStateException();
        }
        tally.count(r.status());
      } catch (IOException e) {
        tally.ioError.increment();
      }
    }
  }

  static String randomReceipt(SecureRandom random) {
    Receipt r = Receipt.generate(random);
    try {
      return r.render(ReceiptLanguage.ES);
    } finally {
      r.destroy();
    }
  }

  // ---- bodies ----

  private byte[] mailboxJson(String lookupKey) {
    return ("{\"lookupKey\":\"" + lookupKey + "\",\"replyPublicKey\":\""
        + Base64.getUrlEncoder().withoutPadding().encodeToString(material.replyKey()) + "\"}")
        .getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] form(String name, String value) {
    return (name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII);
  }

  /** The no-JS report form of IntakeAppTest.validReport(). */
  static byte[] reportForm() {
    return multipart(List.of("version", "1", "lang", "es", "what", "extortion", "who", "inm", "state", "CHP",
        "place_kind", "train", "narrative", "Nos pidieron dinero en el tren.", "wants", "reply"),
        "files", "foto.jpg", "image/jpeg", "JPEGDATA bench END".getBytes(StandardCharsets.US_ASCII));
  }

  /** A multipart/form-data body (boundary {@link #BOUNDARY}): name/value pairs, then one file unless its name is null. */
  static byte[] multipart(List<String> pairs, String fileField, String fileName, String fileType, byte[] file) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < pairs.size(); i += 2) {
      out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + pairs.get(i)
          + "\"\r\n\r\n" + pairs.get(i + 1) + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    if (fileField != null) {
      out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + fileField + "\"; filename=\""
          + fileName + "\"\r\nContent-Type: " + fileType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.writeBytes(file);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  static String group(Pattern p, String text) {
    Matcher m = p.matcher(text);
    return m.find() ? m.group(1) : null;
  }

  /** The server's {@code receipts.derivations} gauge (admin port, no PROXY line). */
  static long derivations(int adminPort) throws IOException {
    ProxiedHttp.Reply r = ProxiedHttp.send(adminPort, -1, "GET", "/metrics", null, null);
    JsonNode value = JSON.readTree(r.body()).path("gauges").path("receipts.derivations").path("value");
    return value.isMissingNode() ? -1 : value.asLong();
  }

  // ---- printing ----

  static final String GOALS = "goals (issue 18 §3): 1 attacking circuit: honest success >= 99 % and p95 <= 2x"
      + " unattacked; 8 attacking circuits: honest success >= 90 %";

  static void printHeader(java.io.PrintStream out) {
    out.printf("%-10s %8s %9s %8s %8s %7s %9s %9s %9s %10s %10s %11s%n", "scenario", "honest", "success",
        "p50 ms", "p95 ms", "p95 x", "Argon p95", "API p95", "attacker", "attacker", "attacker", "derivations");
    out.printf("%-10s %8s %9s %8s %8s %7s %9s %9s %9s %10s %10s %11s%n", "", "requests", "", "", "", "base",
        "ms", "ms", "2xx", "429+503", "other", "delta");
  }

  static void printRow(java.io.PrintStream out, Result r, Result baseline) {
    long attackerOther = r.attacks().values().stream().mapToLong(t -> t.total()).sum() - r.attackerOk()
        - r.attackerRefused();
    double p95 = r.percentile(95);
    out.printf("%-10s %8d %8.2f%% %8.1f %8.1f %7s %9.1f %9.1f %9d %10d %10d %11d%n", r.name(), r.honest().size(),
        100 * r.honestSuccess(), r.percentile(50), p95,
        baseline == null ? "1.00" : String.format("%.2f", p95 / baseline.percentile(95)),
        r.percentile(95, "report", "status"), r.percentile(95, "mailbox", "upload", "piece", "commit"),
        r.attackerOk(), r.attackerRefused(), attackerOther, r.derivations());
  }

  static void printDetails(java.io.PrintStream out, Result r) {
    if (r.attackCircuits() > 0) {
      for (Map.Entry<Attack, Tally> e : r.attacks().entrySet()) {
        out.printf("  %-10s attack %-12s %s%n", r.name(), e.getKey(), e.getValue());
      }
    }
    r.failures().forEach((what, n) -> out.printf("  %-10s honest failure: %d x %s%n", r.name(), n, what));
  }
}
