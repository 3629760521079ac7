package org.testigo.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testigo.api.EnvelopeId;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.custody.ManifestUpdates;
import org.testigo.crypto.manifest.RetentionPolicy;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.payload.PartHeader;
import org.testigo.crypto.payload.PayloadReader;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;
import org.testigo.server.domain.EnvelopeRecord;
import org.testigo.server.storage.EnvelopeStore;
import org.testigo.server.storage.TestDatabase;
import org.testigo.server.storage.TransparencyLog;

/**
 * A source's request for early erasure (docs/spec/retention-and-erasure.md §4.2) through the real
 * server on MariaDB, with tor's PROXY lines naming the circuit: under a manifest without a
 * retention policy the status page says nothing about erasure and a request is refused with
 * nothing stored; after the manifest gains a policy (update-manifest), the page states it, the
 * confirmation step stores nothing, and the confirmed request stores exactly one follow-up in
 * the report's mailbox, sealed to the reviewers, whose only part is {@code erasure-request}
 * (opened here with the reviewer's key); nothing else changes. No visit, an unknown visit, and
 * requests beyond the circuit's submission budget are refused with nothing stored.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ErasureRequestAppTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  static final SigningPrivateKey ROOT = SigningPrivateKey.generate(RANDOM);
  static final SigningPrivateKey LOG_KEY = SigningPrivateKey.generate(RANDOM);
  static final ReviewerIdentity ALPHA = ReviewerIdentity.generate("alpha", RANDOM);
  static final SignedManifest S0 = SignedManifest.sign(ManifestUpdates.genesis("Test org", ROOT.publicKey(),
      LOG_KEY.publicKey(), List.of(ReviewerEntry.of(ALPHA.publicBundle(), ReviewerEntry.ROLE_REVIEWER,
          T0.minus(Duration.ofMinutes(5)), T0.plus(Duration.ofDays(30)))), T0), ROOT);
  static final Path DATA = prepare();
  static final TestDatabase DB = TestDatabase.mariadb();
  static final int CIRCUIT_A = 0x5eed_e1a1;
  static final int CIRCUIT_B = 0x5eed_e1b2;
  static final int CIRCUIT_C = 0x5eed_e1c3;
  static final int SUBMISSIONS_PER_HOUR = 3;

  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("config-demo.yml").toAbsolutePath().toString(),
      MariadbApp.overrides(DATA, () -> DB.url(),
          ConfigOverride.config("server.applicationConnectors[0].useProxyProtocol", "true"),
          ConfigOverride.config("fairness.submissionsPerHour", Integer.toString(SUBMISSIONS_PER_HOUR))));

  /** The report of circuit A and the visit it began. */
  static String visitA;

  @AfterAll
  static void dropDatabase() throws Exception {
    DB.close();
  }

  /** A data directory with a one-manifest chain (no retention policy) from the test's root. */
  static Path prepare() {
    try {
      Path dir = Files.createTempDirectory("testigo-erasure-request-");
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

  record Reply(int status, Map<String, String> headers, String body) {}

  /** One HTTP/1.1 exchange on a new connection that begins with tor's PROXY line for {@code circuit}. */
  static Reply send(long circuit, String path, String contentType, byte[] body) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", APP.getLocalPort()), 5000);
      s.setSoTimeout(60_000);
      String h = String.format(Locale.ROOT, "PROXY TCP6 fc00:dead:beef:4dad::%x:%x ::1 %d 80\r\n",
          circuit >>> 16, circuit & 0xffff, circuit & 0xffff)
          + "POST " + path + " HTTP/1.1\r\nHost: example.onion\r\nConnection: close\r\nContent-Type: " + contentType
          + "\r\nContent-Length: " + body.length + "\r\n\r\n";
      OutputStream out = s.getOutputStream();
      out.write(h.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      return parse(s.getInputStream());
    }
  }

  static Reply parse(InputStream in) throws IOException {
    String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    int end = all.indexOf("\r\n\r\n");
    String[] lines = all.substring(0, end).split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int c = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, c).toLowerCase(Locale.ROOT), lines[i].substring(c + 1).strip());
    }
    String body = all.substring(end + 4);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      StringBuilder out = new StringBuilder();
      byte[] raw = body.getBytes(StandardCharsets.UTF_8);
      int i = 0;
      while (i < raw.length) {
        int eol = i;
        while (eol + 1 < raw.length && !(raw[eol] == '\r' && raw[eol + 1] == '\n')) {
          eol++;
        }
        int size = Integer.parseInt(new String(raw, i, eol - i, StandardCharsets.US_ASCII).strip(), 16);
        if (size == 0) {
          break;
        }
        out.append(new String(raw, eol + 2, size, StandardCharsets.UTF_8));
        i = eol + 2 + size + 2;
      }
      body = out.toString();
    }
    return new Reply(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
  }

  static final String FORM = "application/x-www-form-urlencoded";

  static byte[] visitForm(String visit) {
    return ("visit=" + visit).getBytes(StandardCharsets.US_ASCII);
  }

  /** Files a report on {@code circuit} (no JavaScript) and returns the capability of the visit it began. */
  static String report(int circuit) throws Exception {
    byte[] body = new HttpForms().field("version", "1").field("lang", "es").field("what", "extortion")
        .field("narrative", "Nos pidieron dinero en el tren.").body();
    Reply r = send(circuit, "/report?lang=es", "multipart/form-data; boundary=" + HttpForms.BOUNDARY, body);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    Matcher m = Pattern.compile("name=\"visit\" value=\"([0-9a-f]{32})\"").matcher(r.body());
    assertThat(m.find()).as(r.body()).isTrue();
    return m.group(1);
  }

  /** Rows of every table that a request could change (leaves and pending leaves together). */
  static Map<String, Long> counts() {
    Map<String, Long> c = new LinkedHashMap<>();
    for (String t : List.of("envelopes", "envelope_chunks", "mailboxes", "mailbox_envelopes", "case_events",
        "envelope_rewraps", "possession_challenges", "reviewer_nonces")) {
      c.put(t, DB.count(t));
    }
    c.put("leaves", DB.jdbi().withHandle(h -> h.createQuery(
        "SELECT next_index + (SELECT COUNT(*) FROM log_pending) FROM log_counter").mapTo(Long.class).one()));
    return c;
  }

  /** The follow-ups of the mailbox of the report {@code reportId} (hex ids). */
  static List<String> followUpsOfMailboxOf(String reportId) {
    return DB.jdbi().withHandle(h -> h.createQuery("SELECT f.envelope_id FROM mailbox_envelopes f"
        + " JOIN mailbox_envelopes r ON r.mailbox_id = f.mailbox_id WHERE r.envelope_id = :id AND r.kind = 'report'"
        + " AND f.kind = 'follow-up'").bind("id", HexFormat.of().parseHex(reportId))
        .map((rs, ctx) -> HexFormat.of().formatHex(rs.getBytes(1))).list());
  }

  static List<String> reports() {
    return DB.jdbi().withHandle(h -> h.createQuery("SELECT envelope_id FROM mailbox_envelopes WHERE kind = 'report'")
        .map((rs, ctx) -> HexFormat.of().formatHex(rs.getBytes(1))).list());
  }

  static byte[] envelope(String id) throws IOException {
    EnvelopeStore store = new EnvelopeStore(DB.jdbi(), 4096, Clock.systemUTC(), RANDOM, new TransparencyLog(DB.jdbi()));
    EnvelopeRecord record = store.find(EnvelopeId.parse(id)).orElseThrow();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    store.copyTo(record, out);
    return out.toByteArray();
  }

  @Test
  @Order(1)
  void withoutAPolicy_thePageSaysNothingAboutErasureAndARequestIsRefusedWithNothingStored() throws Exception {
    visitA = report(CIRCUIT_A);
    Reply page = send(CIRCUIT_A, "/visit?lang=es", FORM, visitForm(visitA));
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("/visit/follow-up").doesNotContain("retention-title")
        .doesNotContain("/visit/erasure").doesNotContain("¿Cuándo se borra su denuncia?");
    Map<String, Long> before = counts();
    for (String path : List.of("/visit/erasure?lang=es", "/visit/erasure/confirm?lang=es")) {
      Reply r = send(CIRCUIT_A, path, FORM, visitForm(visitA));
      assertThat(r.status()).as(path).isEqualTo(400);
      assertThat(r.body()).contains("Por ahora aquí no se borran denuncias. No se envió nada.");
    }
    assertThat(counts()).isEqualTo(before);
  }

  @Test
  @Order(2)
  void underAPolicy_thePageSaysWhenAndTheConfirmedRequestIsOneFollowUpWithTheErasureRequestPart() throws Exception {
    SignedManifest s1 = SignedManifest.sign(ManifestUpdates.setRetention(S0, RetentionPolicy.DEFAULT, T0), ROOT);
    HttpResponse<String> update = HttpForms.post("http://127.0.0.1:" + APP.getAdminPort() + "/tasks/update-manifest",
        "text/plain", ManifestChain.toArmored(List.of(S0, s1)).getBytes(StandardCharsets.US_ASCII));
    assertThat(update.statusCode()).as(update.body()).isEqualTo(200);

    Reply page = send(CIRCUIT_A, "/visit?lang=es", FORM, visitForm(visitA));
    assertThat(page.body()).contains("<h2 id=\"retention-title\">¿Cuándo se borra su denuncia?</h2>")
        .contains("más o menos 12 meses después").contains("más o menos 5 años")
        .contains("action=\"/visit/erasure?lang=es\"");
    String reportId = reports().get(0);
    byte[] reportBefore = envelope(reportId);
    Map<String, Long> before = counts();

    Reply confirm = send(CIRCUIT_A, "/visit/erasure?lang=es", FORM, visitForm(visitA));
    assertThat(confirm.status()).isEqualTo(200);
    assertThat(confirm.body()).contains("El equipo decide. Nunca se borra sola ni enseguida.")
        .contains("action=\"/visit/erasure/confirm?lang=es\"");
    assertThat(counts()).as("the confirmation step stores nothing").isEqualTo(before);

    Reply sent = send(CIRCUIT_A, "/visit/erasure/confirm?lang=es", FORM, visitForm(visitA));
    assertThat(sent.status()).as(sent.body()).isEqualTo(200);
    assertThat(sent.body()).contains("<h1>Su pedido fue enviado.</h1>").contains("Nada se borra solo.");

    Map<String, Long> after = counts();
    Map<String, Long> expected = new LinkedHashMap<>(before);
    expected.put("envelopes", before.get("envelopes") + 1);
    expected.put("mailbox_envelopes", before.get("mailbox_envelopes") + 1);
    expected.put("leaves", before.get("leaves") + 1);
    expected.put("envelope_chunks", after.get("envelope_chunks")); // one or none, as the envelope's size decides
    assertThat(after).isEqualTo(expected);
    assertThat(after.get("envelope_chunks")).isBetween(before.get("envelope_chunks"), before.get("envelope_chunks") + 1);
    assertThat(reports()).containsExactly(reportId);
    assertThat(envelope(reportId)).isEqualTo(reportBefore);

    List<String> followUps = followUpsOfMailboxOf(reportId);
    assertThat(followUps).hasSize(1);
    byte[] sealed = envelope(followUps.get(0));
    assertThat(Envelope.inspectHeader(new ByteArrayInputStream(sealed)).context()).isEqualTo(Envelope.CONTEXT_FOLLOW_UP);
    byte[] plain = Envelope.open(sealed, ALPHA.encryptionKey(), Envelope.CONTEXT_FOLLOW_UP);
    PayloadReader reader = new PayloadReader(new ByteArrayInputStream(plain));
    PayloadReader.Part part = reader.next();
    assertThat(part.header()).isEqualTo(new PartHeader(PartHeader.ERASURE_REQUEST, null, "application/json"));
    assertThat(new String(part.body().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("{\"v\":1,\"type\":\"erasure_request\"}");
    assertThat(reader.next()).isNull();
  }

  @Test
  @Order(3)
  void noVisitOrAnUnknownOneIsRefusedWithNothingStored() throws Exception {
    Map<String, Long> before = counts();
    List<byte[]> bad = List.of("other=1".getBytes(StandardCharsets.US_ASCII), new byte[] {'x'},
        visitForm(HexFormat.of().formatHex(new byte[16])), visitForm("<script>"));
    int circuit = CIRCUIT_C;
    for (byte[] body : bad) {
      // each on its own circuit: a refused request is still charged to its circuit's budget
      Reply r = send(circuit++, "/visit/erasure/confirm?lang=es", FORM, body);
      assertThat(r.status()).as(new String(body, StandardCharsets.US_ASCII)).isEqualTo(400);
      assertThat(r.body()).contains("Su visita terminó").doesNotContain("<script>");
    }
    Reply left = send(CIRCUIT_A, "/visit/leave?lang=es", FORM, visitForm(visitA));
    assertThat(left.status()).isEqualTo(200);
    Reply ended = send(circuit, "/visit/erasure/confirm?lang=es", FORM, visitForm(visitA));
    assertThat(ended.status()).isEqualTo(400);
    assertThat(ended.body()).contains("Su visita terminó");
    assertThat(counts()).isEqualTo(before);
  }

  @Test
  @Order(4)
  void requestsBeyondTheCircuitsSubmissionBudgetAre429WithNothingStored() throws Exception {
    String visit = report(CIRCUIT_B); // one submission of the budget
    for (int i = 1; i < SUBMISSIONS_PER_HOUR; i++) {
      assertThat(send(CIRCUIT_B, "/visit/erasure/confirm?lang=es", FORM, visitForm(visit)).status()).isEqualTo(200);
    }
    Map<String, Long> before = counts();
    Reply over = send(CIRCUIT_B, "/visit/erasure/confirm?lang=es", FORM, visitForm(visit));
    assertThat(over.status()).isEqualTo(429);
    assertThat(Long.parseLong(over.headers().get("retry-after"))).isPositive();
    assertThat(counts()).isEqualTo(before);
    // the confirmation step costs nothing, like the status page of a visit
    assertThat(send(CIRCUIT_B, "/visit/erasure?lang=es", FORM, visitForm(visit)).status()).isEqualTo(200);
    assertThat(counts()).isEqualTo(before);
  }
}
