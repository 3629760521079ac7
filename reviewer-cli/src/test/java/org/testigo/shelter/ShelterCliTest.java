package org.testigo.shelter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testigo.api.client.SocksStandIn;
import org.testigo.cli.common.ExitCodes;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.envelope.EnvelopeInfo;
import org.testigo.crypto.identity.Keystore;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.receipt.Receipt;
import org.testigo.crypto.receipt.ReceiptKeys;
import org.testigo.crypto.receipt.ReceiptParams;
import org.testigo.crypto.sign.SigningPrivateKey;

/** Runs testigo-shelter in-process against a stand-in intake server, over real files. */
class ShelterCliTest {
  static final String PASSPHRASE = "una frase larga para el albergue";
  static final SigningPrivateKey ROOT = TestKeys.signing("shelter-test-root");
  static final SigningPrivateKey LOG = TestKeys.signing("shelter-test-log");
  static final ReviewerIdentity MARIA = TestKeys.identity("maria");
  static final ReviewerIdentity LUIS = TestKeys.identity("luis");
  static final ReviewerIdentity JOSE = TestKeys.identity("jose");
  static final Fingerprint ROOT_FP = KeyManifest.rootFingerprint(ROOT.publicKey());
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  @TempDir Path dir;
  Path home;
  Path pass;
  FakeIntakeServer server;

  record Result(int code, String out, String err) {}

  static Result run(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ShelterCli.run(args, new ByteArrayInputStream(stdin.getBytes(
        StandardCharsets.UTF_8)), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  /** A chain of {@code length} manifests; manifest 1 adds jose. */
  static List<SignedManifest> chain(SigningPrivateKey root, int length) {
    Instant now = NOW;
    List<ReviewerEntry> entries = new ArrayList<>(List.of(
        ReviewerEntry.of(MARIA.publicBundle(), ReviewerEntry.ROLE_ADMIN, now.minus(1,
            ChronoUnit.DAYS), now.plus(365, ChronoUnit.DAYS)),
        ReviewerEntry.of(LUIS.publicBundle(), ReviewerEntry.ROLE_REVIEWER, now.minus(1,
            ChronoUnit.DAYS), now.plus(365, ChronoUnit.DAYS))));
    List<SignedManifest> chain = new ArrayList<>();
    Instant issued = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < length; i++) {
      if (i == 1) {
        entries.add(ReviewerEntry.of(JOSE.publicBundle(), ReviewerEntry.ROLE_REVIEWER,
            now.minus(1, ChronoUnit.DAYS), now.plus(365, ChronoUnit.DAYS)));
      }
      KeyManifest m = new KeyManifest(i, i == 0 ? null : chain.get(i - 1).hash(),
          "Casa del Migrante (prueba)", root.publicKey(), LOG.publicKey(), entries,
          issued.plus(i, ChronoUnit.DAYS));
      chain.add(SignedManifest.sign(m, root));
    }
    return chain;
  }

  @BeforeEach
  void setUp() throws IOException {
    home = dir.resolve("profile");
    pass = dir.resolve("pass.txt");
    Files.writeString(pass, PASSPHRASE + "\n");
    server = new FakeIntakeServer();
    server.chain = ManifestChain.toArmored(chain(ROOT, 1));
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private Result init(String... extra) {
    List<String> args = new ArrayList<>(List.of("init", "--home", home.toString(), "--server",
        server.url(), "--root", ROOT_FP.hex(), "--passphrase-file", pass.toString(),
        "--argon2-memory-mib", "8", "--argon2-iterations", "1", "--receipt-memory-kib", "256",
        "--receipt-iterations", "1"));
    args.addAll(List.of(extra));
    return run("", args.toArray(String[]::new));
  }

  private Path questionnaire(String narrative) throws IOException {
    Path q = dir.resolve("q-" + UUID.randomUUID() + ".json");
    Files.writeString(q, "{\"what\":[\"extortion\",\"robbery\"],\"who\":[\"inm\"],"
        + "\"where\":{\"state\":\"OAX\",\"placeKind\":\"train\"},\"victims\":{\"count\":2},"
        + "\"narrative\":" + JSON.writeValueAsString(narrative) + ",\"wants\":[\"reply\"]}");
    return q;
  }

  private Result fileFrom(Path q, String consent, String... extra) {
    List<String> args = new ArrayList<>(List.of("file", "--home", home.toString(), "--lang",
        "es", "--from", q.toString()));
    args.addAll(List.of(extra));
    return run(consent, args.toArray(String[]::new));
  }

  private ReviewerIdentity shelterIdentity() throws Exception {
    return Keystore.read(home.resolve("shelter.tkey"), Passphrase.of(PASSPHRASE.toCharArray()));
  }

  private List<Path> outbox() throws IOException {
    return Outbox.entries(home.resolve("outbox"));
  }

  /** The report envelope inside an outbox entry, opened with the shelter's key. */
  private byte[] reportEnvelope(Path entry) throws Exception {
    ByteArrayOutputStream report = new ByteArrayOutputStream();
    Outbox.open(entry, shelterIdentity().encryptionKey(), report);
    return report.toByteArray();
  }

  private static List<TestPayload.Part> openReport(byte[] envelope, RecipientPrivateKey key)
      throws Exception {
    return TestPayload.parts(Envelope.open(envelope, key, Envelope.CONTEXT_REPORT));
  }

  private static String words(String out) {
    Matcher m = Pattern.compile("1\\. (\\S+)\\s+2\\. (\\S+)\\s+3\\. (\\S+)\\s+4\\. (\\S+)\\s+"
        + "5\\. (\\S+)\\s+6\\. (\\S+)\\s+7\\. (\\S+)\\s+8\\. (\\S+)").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= 8; i++) {
      sb.append(i > 1 ? " " : "").append(m.group(i));
    }
    return sb.toString();
  }

  // ---- init and manifests ----

  @Test
  void init_verifiesAndStoresTheManifest_inAPrivateProfile() throws IOException {
    Result r = init();
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Verified key manifest 0").contains("2 reviewer key(s)");
    assertThat(Files.getPosixFilePermissions(home)).containsExactlyInAnyOrder(
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_EXECUTE);
    assertThat(Files.getPosixFilePermissions(home.resolve("shelter.tkey")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(Files.readString(home.resolve("manifest-chain.txt"))).isEqualTo(server.chain);
    assertThat(init().code()).isEqualTo(ExitCodes.REFUSED);
  }

  @Test
  void init_refusesAChainSignedByAnotherRoot() {
    server.chain = ManifestChain.toArmored(chain(TestKeys.signing("impostor"), 1));
    Result r = init();
    assertThat(r.code()).isEqualTo(ExitCodes.CRYPTO);
    assertThat(r.err()).contains("does not verify from the pinned root");
    assertThat(home.resolve("manifest-chain.txt")).doesNotExist();
  }

  @Test
  void manifestRefresh_acceptsAnExtension_andRefusesRollbackAndForks() throws IOException {
    assertThat(init().code()).isZero();
    server.chain = ManifestChain.toArmored(chain(ROOT, 2));
    Result r = run("", "manifest", "refresh", "--home", home.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("manifest 1").contains("3 reviewer key(s)");
    String stored = Files.readString(home.resolve("manifest-chain.txt"));

    server.chain = ManifestChain.toArmored(chain(ROOT, 1));
    r = run("", "manifest", "refresh", "--home", home.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.CRYPTO);
    assertThat(r.err()).contains("does not extend the stored one");
    assertThat(Files.readString(home.resolve("manifest-chain.txt"))).isEqualTo(stored);
  }

  @Test
  void manifestRefresh_unreachableServer_exits7() throws IOException {
    assertThat(init().code()).isZero();
    server.close();
    Result r = run("", "manifest", "refresh", "--home", home.toString());
    assertThat(r.code()).isEqualTo(ShelterExitCodes.UNREACHABLE);
    assertThat(r.err()).startsWith("testigo-shelter: cannot reach the server");
    assertThat(r.err()).as("the port, where a typo usually is").contains("127.0.0.1:" + server.port());
  }

  // ---- filing ----

  @Test
  void file_fromJson_sealsQuestionnaireConsentAndAttachmentToTheManifestReviewers()
      throws Exception {
    assertThat(init().code()).isZero();
    Path photo = dir.resolve("retén.jpg");
    byte[] photoBytes = ("foto " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    Files.write(photo, photoBytes);
    Result r = fileFrom(questionnaire("Nos pidieron dinero en el tren."), "sí\n",
        "--attach", photo.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Sealed to 2 reviewer key(s) of manifest 0")
        .contains("TESTIGO - COMPROBANTE DE DENUNCIA")
        .contains("La prueba de presentación todavía no está disponible");
    assertThat(outbox()).hasSize(1);

    byte[] report = reportEnvelope(outbox().get(0));
    EnvelopeInfo info = Envelope.inspect(new ByteArrayInputStream(report),
        OutputStreamSink.INSTANCE);
    assertThat(info.context()).isEqualTo("report");
    assertThat(new HashSet<>(info.recipients())).isEqualTo(Set.of(
        MARIA.encryptionKey().publicKey().fingerprint(),
        LUIS.encryptionKey().publicKey().fingerprint()));
    for (ReviewerIdentity reviewer : List.of(MARIA, LUIS)) {
      List<TestPayload.Part> parts = openReport(report, reviewer.encryptionKey());
      assertThat(parts).hasSize(2);
      assertThat(parts.get(0).header().toString())
          .isEqualTo("{\"name\":\"questionnaire\",\"type\":\"application/json\"}");
      JsonNode q = JSON.readTree(parts.get(0).body());
      assertThat(q.get("version").asInt()).isEqualTo(1);
      assertThat(q.get("language").asText()).isEqualTo("es");
      assertThat(q.get("what").toString()).isEqualTo("[\"extortion\",\"robbery\"]");
      assertThat(q.path("where").path("state").asText()).isEqualTo("OAX");
      assertThat(q.get("narrative").asText()).isEqualTo("Nos pidieron dinero en el tren.");
      assertThat(q.path("consent").path("given").asBoolean()).isTrue();
      assertThat(q.path("consent").path("language").asText()).isEqualTo("es");
      assertThat(q.path("consent").path("statementVersion").asInt()).isEqualTo(1);
      assertThat(q.path("consent").path("statementSha256").asText())
          .isEqualTo(Consent.statementHash(Lang.ES));
      assertThat(parts.get(1).header().toString()).isEqualTo(
          "{\"name\":\"file\",\"filename\":\"retén.jpg\",\"type\":\"image/jpeg\"}");
      assertThat(parts.get(1).body()).isEqualTo(photoBytes);
    }
    assertThatThrownBy(() -> Envelope.open(report, JOSE.encryptionKey(), "report"))
        .isInstanceOf(CryptoException.class);
  }

  @Test
  void file_fromYaml_inFrench_rendersTheReceiptInFrench() throws Exception {
    assertThat(init().code()).isZero();
    Path q = dir.resolve("q.yaml");
    Files.writeString(q, "what: [assault]\nwho: [police-municipal]\nnarrative: |\n"
        + "  Ils nous ont frappés.\n  Deux fois.\nwants: [investigator]\n");
    Result r = run("oui\n", "file", "--home", home.toString(), "--lang", "fr", "--from",
        q.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("TESTIGO - RÉCÉPISSÉ DE PLAINTE");
    Receipt.parse(words(r.out()));
    JsonNode json = JSON.readTree(openReport(reportEnvelope(outbox().get(0)),
        LUIS.encryptionKey()).get(0).body());
    assertThat(json.get("narrative").asText()).isEqualTo("Ils nous ont frappés.\nDeux fois.\n");
    assertThat(json.path("consent").path("language").asText()).isEqualTo("fr");
  }

  @Test
  void file_fromYaml_inKreyol_rendersTheReceiptInTheKreyolListNotFrench() throws Exception {
    assertThat(init().code()).isZero();
    Path q = dir.resolve("q.yaml");
    Files.writeString(q, "what: [assault]\nnarrative: |\n  Yo bat nou.\n");
    Result r = run("wi\n", "file", "--home", home.toString(), "--lang", "ht", "--from", q.toString());
    assertThat(r.code()).as(r.err()).isZero();
    String words = words(r.out());
    Receipt.parse(words);
    java.util.Set<String> kreyol = java.util.Set.of(new String(Receipt.class
        .getResourceAsStream("kreyol-ht.txt").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n"));
    java.util.Set<String> french = new java.util.HashSet<>();
    for (String w : new String(Receipt.class.getResourceAsStream("bip39-french.txt").readAllBytes(),
        java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
      french.add(java.text.Normalizer.normalize(w, java.text.Normalizer.Form.NFC));
    }
    assertThat(words.split(" ")).hasSize(8).allMatch(kreyol::contains).noneMatch(french::contains);
  }

  @Test
  void file_consentRefused_sealsAndStoresNothing() throws Exception {
    assertThat(init().code()).isZero();
    String marker = "MARCA-" + UUID.randomUUID();
    Result r = fileFrom(questionnaire(marker), "no\n");
    assertThat(r.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(r.err()).contains("no consent recorded");
    try (Stream<Path> s = Files.list(home.resolve("outbox"))) {
      assertThat(s.toList()).isEmpty();
    }
    assertThat(r.out()).doesNotContain("COMPROBANTE");
  }

  @Test
  void file_consentUnclearAnswer_isAskedAgain_thenEndOfInputRefuses() throws Exception {
    assertThat(init().code()).isZero();
    Result r = fileFrom(questionnaire("algo"), "tal vez\n");
    assertThat(r.out()).contains("Respuesta no válida");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(outbox()).isEmpty();
  }

  @Test
  void file_refusesConsentOrUnknownKeysFromTheFile_andInvalidChoices_withoutEchoingValues()
      throws Exception {
    assertThat(init().code()).isZero();
    Path q = dir.resolve("bad.json");
    Files.writeString(q, "{\"what\":[\"extortion\"],\"consent\":{\"given\":true}}");
    Result r = fileFrom(q, "si\n");
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("'consent' cannot come from a file");
    Files.writeString(q, "{\"what\":[\"extortion\"],\"colour\":\"red\"}");
    assertThat(fileFrom(q, "si\n").err()).contains("unknown key 'colour'");
    Files.writeString(q, "{\"what\":[\"SECRET-VALUE\"]}");
    r = fileFrom(q, "si\n");
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("'what'").doesNotContain("SECRET-VALUE");
    Files.writeString(q, "{\"what\":[],\"narrative\":\"\"}");
    assertThat(fileFrom(q, "si\n").code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(outbox()).isEmpty();
  }

  @Test
  void file_withoutAVerifiedManifest_isRefused() throws Exception {
    server.close();
    assertThat(init().code()).isZero();
    Result r = fileFrom(questionnaire("algo"), "si\n");
    assertThat(r.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(r.err()).contains("no verified key manifest yet");
  }

  @Test
  void file_interactively_usesNumberedMenusInTheMigrantsLanguage() throws Exception {
    assertThat(init().code()).isZero();
    String answers = String.join("\n",
        "sim",            // consent
        "9, 2, x",        // what: invalid -> asked again
        "2,9",            // what: extortion, asylum-information-denied
        "1",              // who: inm
        "", "", "", "",   // uniform, badge, plates, unit
        "7",              // state: CMX
        "Estación",       // place
        "4",              // place kind: migration-station
        "2026-02-30",     // date: well-formed, invalid -> validation
        "");
    Result r = run(answers, "file", "--home", home.toString(), "--lang", "pt");
    assertThat(r.out()).contains("O que aconteceu?").contains(" 2) Extorsão")
        .contains("Resposta não válida");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);

    answers = String.join("\n",
        "sim", "2,9", "1", "", "", "", "", "7", "Estación", "4", "", "há duas semanas",
        "3", "1", "2", "Pediram dinheiro.", "Duas vezes.", ".", "1,4", "");
    r = run(answers, "file", "--home", home.toString(), "--lang", "pt");
    assertThat(r.code()).as(r.err() + r.out()).isZero();
    JsonNode q = JSON.readTree(openReport(reportEnvelope(outbox().get(0)),
        MARIA.encryptionKey()).get(0).body());
    assertThat(q.get("what").toString()).isEqualTo("[\"extortion\",\"asylum-information-denied\"]");
    assertThat(q.get("who").toString()).isEqualTo("[\"inm\"]");
    assertThat(q.path("where").path("state").asText()).isEqualTo("CMX");
    assertThat(q.path("where").path("placeKind").asText()).isEqualTo("migration-station");
    assertThat(q.path("when").path("date").isNull()).isTrue();
    assertThat(q.path("when").path("approximate").asText()).isEqualTo("há duas semanas");
    assertThat(q.path("victims").path("count").asInt()).isEqualTo(3);
    assertThat(q.path("victims").path("minors").asText()).isEqualTo("yes");
    assertThat(q.path("victims").path("minorsCount").asInt()).isEqualTo(2);
    assertThat(q.get("narrative").asText()).isEqualTo("Pediram dinheiro.\nDuas vezes.");
    assertThat(q.get("wants").toString())
        .isEqualTo("[\"reply\",\"humanitarian-visa-information\"]");
    assertThat(q.path("consent").path("language").asText()).isEqualTo("pt");
  }

  @Test
  void file_withSign_addsAnAttestationThatVerifiesOverTheQuestionnaireAndFiles()
      throws Exception {
    assertThat(init().code()).isZero();
    Path doc = dir.resolve("acta.pdf");
    Files.write(doc, new byte[] {1, 2, 3});
    Result r = fileFrom(questionnaire("firmado"), "si\n", "--sign", "--passphrase-file",
        pass.toString(), "--attach", doc.toString());
    assertThat(r.code()).as(r.err()).isZero();
    List<TestPayload.Part> parts = openReport(reportEnvelope(outbox().get(0)),
        LUIS.encryptionKey());
    assertThat(parts).hasSize(3);
    assertThat(parts.get(2).header().path("name").asText()).isEqualTo("shelter-attestation");
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] qHash = sha.digest(parts.get(0).body());
    byte[] fHash = sha.digest(parts.get(1).body());
    assertThat(Attestation.verify(parts.get(2).body(), qHash, List.of(fHash)))
        .isEqualTo(shelterIdentity().signingKey().publicKey());
    byte[] otherHash = sha.digest(new byte[] {9});
    assertThat(Attestation.verify(parts.get(2).body(), otherHash, List.of(fHash))).isNull();
    assertThat(Attestation.verify(parts.get(2).body(), qHash, List.of())).isNull();

    Path wrong = dir.resolve("wrong.txt");
    Files.writeString(wrong, "otra frase equivocada\n");
    r = fileFrom(questionnaire("x"), "si\n", "--sign", "--passphrase-file", wrong.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.CRYPTO);
    assertThat(outbox()).hasSize(1);
  }

  // ---- the outbox ----

  @Test
  void outbox_holdsNoPlaintext_noReceiptWords_andOnlyOpensWithTheShelterPassphrase()
      throws Exception {
    assertThat(init().code()).isZero();
    String marker = "MARCADOR-" + UUID.randomUUID();
    Path photo = dir.resolve("foto.png");
    Files.writeString(photo, "imagen " + marker);
    Result r = fileFrom(questionnaire("Relato " + marker), "si\n", "--attach", photo.toString());
    assertThat(r.code()).as(r.err()).isZero();
    String words = words(r.out());
    List<String> needles = List.of(marker, words);
    // Each receipt word on its own, as a whole word: a short word such as "ser" is inside
    // "server=" of the profile, and any word could turn up by chance inside random ciphertext.
    List<Pattern> wordPatterns = java.util.Arrays.stream(words.split(" "))
        .filter(w -> w.length() >= 4)
        .map(w -> Pattern.compile("(?<!\\p{L})" + Pattern.quote(w) + "(?!\\p{L})"))
        .toList();
    try (Stream<Path> files = Files.walk(home)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        String utf8 = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
        for (String needle : needles) {
          assertThat(content).as(f.toString()).doesNotContain(needle);
          assertThat(utf8).as(f.toString()).doesNotContain(needle);
        }
        for (java.util.regex.Pattern word : wordPatterns) {
          assertThat(word.matcher(utf8).find()).as(f + " holds the receipt word " + word).isFalse();
        }
      }
    }
    // Survives a restart: a new run lists it with the passphrase...
    r = run("", "outbox", "list", "--home", home.toString(), "--passphrase-file", pass.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains(outbox().get(0).getFileName().toString().replace(".tsob", ""))
        .contains("1 report(s) waiting");
    // ...and not without it.
    Path wrong = dir.resolve("wrong.txt");
    Files.writeString(wrong, "otra frase equivocada\n");
    r = run("", "outbox", "list", "--home", home.toString(), "--passphrase-file", wrong.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.CRYPTO);
    assertThatThrownBy(() -> Outbox.open(outbox().get(0), JOSE.encryptionKey(), null))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> Outbox.open(outbox().get(0), MARIA.encryptionKey(), null))
        .as("reviewers cannot open the outbox wrapper either").isInstanceOf(CryptoException.class);
  }

  @Test
  void outbox_entryWithAFlippedByte_doesNotOpen() throws Exception {
    assertThat(init().code()).isZero();
    assertThat(fileFrom(questionnaire("algo"), "si\n").code()).isZero();
    Path entry = outbox().get(0);
    byte[] b = Files.readAllBytes(entry);
    RecipientPrivateKey key = shelterIdentity().encryptionKey();
    for (int i : new int[] {10, b.length / 2, b.length - 1}) {
      byte[] copy = b.clone();
      copy[i] ^= 1;
      Files.write(entry, copy);
      assertThatThrownBy(() -> Outbox.open(entry, key, null)).isInstanceOf(CryptoException.class);
    }
  }

  // ---- upload ----

  @Test
  void upload_registersTheMailbox_uploadsWithIds_printsTheReceipt_andEmptiesTheOutbox()
      throws Exception {
    assertThat(init().code()).isZero();
    Result filed = fileFrom(questionnaire("subir"), "si\n");
    assertThat(filed.code()).as(filed.err()).isZero();
    String words = words(filed.out());
    String id = outbox().get(0).getFileName().toString().replace(".tsob", "");
    byte[] expectedEnvelope = reportEnvelope(outbox().get(0));

    Result r = run("", "upload", "--home", home.toString(), "--passphrase-file", pass.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(words(r.out())).isEqualTo(words);
    assertThat(r.out()).contains("Uploaded " + id)
        .contains("La denuncia llegó al servidor el 2026-11-28")
        .contains("La prueba de presentación todavía no está disponible")
        .contains("1 uploaded; 0 still in the outbox.");
    assertThat(outbox()).isEmpty();
    try (Stream<Path> s = Files.list(home.resolve("outbox"))) {
      assertThat(s.toList()).as("no temporary files left").isEmpty();
    }

    ReceiptKeys keys = ReceiptKeys.derive(Receipt.parse(words), ReceiptParams.TEST,
        ROOT_FP.toBytes());
    String lookup = Base64.getUrlEncoder().withoutPadding().encodeToString(
        keys.mailboxLookupKey().exposeSecret());
    JsonNode mailbox = JSON.readTree(server.at("/api/v1/mailboxes").get(0).body());
    assertThat(mailbox.get("lookupKey").asText()).isEqualTo(lookup);
    assertThat(Base64.getUrlDecoder().decode(mailbox.get("replyPublicKey").asText()))
        .isEqualTo(keys.replyKey().publicKey().toBytes());
    FakeIntakeServer.Received sub = server.at("/api/v1/submissions").get(0);
    assertThat(sub.headers().get("Testigo-submission-id")).containsExactly(id);
    assertThat(sub.headers().get("Testigo-mailbox-lookup-key")).containsExactly(lookup);
    assertThat(sub.headers().get("Content-type")).containsExactly("application/octet-stream");
    assertThat(sub.headers()).doesNotContainKey("User-agent");
    assertThat(sub.body()).isEqualTo(expectedEnvelope);
    assertThat(openReport(sub.body(), LUIS.encryptionKey()).get(0).text()).contains("subir");

    r = run("", "upload", "--home", home.toString(), "--passphrase-file", pass.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("The outbox is empty");
  }

  @Test
  void upload_printsAVerifiedProofOfFiling_whenTheServerOffersOne() throws Exception {
    assertThat(init().code()).isZero();
    assertThat(fileFrom(questionnaire("con prueba"), "si\n").code()).isZero();
    server.logKey = LOG;
    Result r = run("", "upload", "--home", home.toString(), "--passphrase-file", pass.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Prueba de presentación (demuestra")
        .contains("-----BEGIN TESTIGO PROOF OF FILING-----")
        .doesNotContain("todavía no está disponible");
    String armored = r.out().substring(r.out().indexOf("-----BEGIN TESTIGO PROOF"),
        r.out().indexOf("-----END TESTIGO PROOF OF FILING-----") + 37);
    org.testigo.crypto.merkle.FilingProof proof =
        org.testigo.crypto.merkle.FilingProof.parseArmored(armored);
    assertThat(proof.verify(chain(ROOT, 1), ROOT_FP)).isZero();
    assertThat(proof.leafIndex()).isEqualTo(3);
    assertThat(proof.leaf().objectHash()).isEqualTo(MessageDigest.getInstance("SHA-256")
        .digest(server.at("/api/v1/submissions").get(0).body()));
  }

  @Test
  void upload_printsNoProof_whenTheServersLogKeyIsNotTheManifests() throws Exception {
    assertThat(init().code()).isZero();
    assertThat(fileFrom(questionnaire("prueba falsa"), "si\n").code()).isZero();
    server.logKey = TestKeys.signing("not-the-log-key");
    Result r = run("", "upload", "--home", home.toString(), "--passphrase-file", pass.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).doesNotContain("BEGIN TESTIGO PROOF")
        .contains("todavía no está disponible");
    assertThat(outbox()).isEmpty();
  }

  @Test
  void upload_keepsEntriesWhenTheServerRefusesOrIsUnreachable_andResumesLater()
      throws Exception {
    assertThat(init().code()).isZero();
    assertThat(fileFrom(questionnaire("uno"), "si\n").code()).isZero();
    assertThat(fileFrom(questionnaire("dos"), "si\n").code()).isZero();
    server.submissionStatus = 503;
    Result r = run("", "upload", "--home", home.toString(), "--passphrase-file", pass.toString());
    assertThat(r.code()).isEqualTo(ShelterExitCodes.SERVER_REFUSED);
    assertThat(r.err()).contains("HTTP 503").contains("the entry was kept");
    assertThat(outbox()).hasSize(2);

    server.submissionStatus = 201;
    int port = server.port();
    server.close();
    r = run("", "upload", "--home", home.toString(), "--passphrase-file", pass.toString());
    assertThat(r.code()).isEqualTo(ShelterExitCodes.UNREACHABLE);
    assertThat(outbox()).hasSize(2);

    server = new FakeIntakeServer();
    String profileText = Files.readString(home.resolve("shelter.properties"));
    Files.writeString(home.resolve("shelter.properties"), profileText.replace(
        ":" + port, ":" + server.port()));
    r = run("", "upload", "--home", home.toString(), "--passphrase-file", pass.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("2 uploaded; 0 still in the outbox.");
    assertThat(outbox()).isEmpty();
    assertThat(server.at("/api/v1/submissions")).hasSize(2);
  }

  @Test
  void upload_throughSocks5_sendsTheOnionNameToTheProxy_neverResolvingItLocally()
      throws Exception {
    String onion = "testigoexampleaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.onion";
    try (SocksStandIn socks = new SocksStandIn(server.port())) {
      Result r = run("", "init", "--home", home.toString(), "--server", "http://" + onion,
          "--root", ROOT_FP.hex(), "--socks", "127.0.0.1:" + socks.port(), "--passphrase-file",
          pass.toString(), "--argon2-memory-mib", "8", "--argon2-iterations", "1",
          "--receipt-memory-kib", "256", "--receipt-iterations", "1");
      assertThat(r.code()).as(r.err() + r.out()).isZero();
      assertThat(r.out()).contains("Verified key manifest 0");
      assertThat(fileFrom(questionnaire("por tor"), "si\n").code()).isZero();
      assertThat(fileFrom(questionnaire("por tor, otra"), "si\n").code()).isZero();
      int before = socks.usernames.size();
      r = run("", "upload", "--home", home.toString(), "--passphrase-file", pass.toString());
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(socks.requestedHosts).isNotEmpty().allMatch(h -> h.equals("domain:" + onion
          + ":80"));
      assertThat(server.at("/api/v1/submissions")).hasSize(2);
      // Each report on a circuit of its own (a SOCKS username per report, Tor's
      // IsolateSOCKSAuth): two reports, two usernames, each used for all of its requests.
      List<String> used = socks.usernames.subList(before, socks.usernames.size());
      assertThat(used).hasSizeGreaterThanOrEqualTo(4).allMatch(u -> u.matches("report-[0-9a-f]{32}"));
      assertThat(new java.util.LinkedHashSet<>(used)).hasSize(2);
      assertThat(server.at("/api/v1/submissions").get(0).headers().get("Host"))
          .containsExactly(onion);
    }
  }

  @Test
  void upload_throughADeadSocksProxy_exits7() throws Exception {
    try (SocksStandIn socks = new SocksStandIn(server.port())) {
      assertThat(init("--socks", "127.0.0.1:" + socks.port()).code()).isZero();
    }
    assertThat(fileFrom(questionnaire("x"), "si\n").code()).isZero();
    Result r = run("", "upload", "--home", home.toString(), "--passphrase-file", pass.toString());
    assertThat(r.code()).isEqualTo(ShelterExitCodes.UNREACHABLE);
    assertThat(r.err()).contains("through the SOCKS proxy");
    assertThat(outbox()).hasSize(1);
  }

  /** Discards what inspect copies. */
  enum OutputStreamSink {
    ;
    static final java.io.OutputStream INSTANCE = java.io.OutputStream.nullOutputStream();
  }
}
