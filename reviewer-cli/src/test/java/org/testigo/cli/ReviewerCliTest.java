package org.testigo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Objects;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testigo.cli.common.ExitCodes;

/** Runs the reviewer command line in-process, end to end over real files. */
class ReviewerCliTest {
  @TempDir Path dir;
  Path keystore;
  Path pass;


  static CliResult run(String... args) {
    return CliResult.run(args);
  }

  @BeforeEach
  void createIdentity() throws IOException {
    keystore = dir.resolve("maria.tkey");
    pass = dir.resolve("pass.txt");
    Files.writeString(pass, "una frase larga de cinco palabras\n");
    CliResult r = run("keys", "init", "--alias", "maria", "-k", keystore.toString(),
        "--passphrase-file", pass.toString(), "--argon2-memory-mib", "8",
        "--argon2-iterations", "1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Fingerprint");
  }

  private Path exportPublic(String name) {
    Path bundle = dir.resolve(name);
    CliResult r = run("keys", "public", "-k", keystore.toString(), "--passphrase-file",
        pass.toString(), "-o", bundle.toString());
    assertThat(r.code()).as(r.err()).isZero();
    return bundle;
  }

  /** The slips of the user pass get a line on what to type instead, before anything is opened or sent. */
  @Test
  void commonSlips_sayWhatToTypeInstead() {
    CliResult swapped = run("close", "referred", "0059");
    assertThat(swapped.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(swapped.err()).contains("the report ID comes first: testigo-reviewer close 0059 referred");
    CliResult assign = run("assign", "demo-reviewer", "0059ab");
    assertThat(assign.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(assign.err()).contains("the report ID comes first: testigo-reviewer assign 0059ab demo-reviewer");
    CliResult note = run("note", "0059", "the text itself");
    assertThat(note.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(note.err()).contains("The note goes in --file FILE");
    CliResult noState = run("refer", "0059", "--to", "fiscalia_estatal", "--reference", "FGE/1");
    assertThat(noState.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(noState.err()).contains("fiscalia_estatal needs --state: the state's code, e.g. --state CHP");
    CliResult extraState = run("refer", "0059", "--to", "fgr", "--state", "CHP", "--reference", "FGR/1");
    assertThat(extraState.err()).contains("fgr is not a state's institution: leave out --state");
    CliResult badState = run("refer", "0059", "--to", "fiscalia_estatal", "--state", "Chiapass", "--reference", "F/1");
    assertThat(badState.err()).contains("CHP (Chiapas)");
    CliResult typo = run("sever", "add");
    assertThat(typo.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(typo.err()).contains("Did you mean: testigo-reviewer server?");
    assertThat(run("lsit").err()).contains("Did you mean: testigo-reviewer list?");
    CliResult unknown = run("lsit", "--passphrase-file", "/secret/place");
    assertThat(unknown.err()).contains("'lsit' is not a command").doesNotContain("/secret/place");
    assertThat(run("reply", "0059", "/tmp/reply.txt").err()).contains("The text goes in --file FILE.");
  }

  @Test
  void keysInit_createsKeystoreReadableOnlyByOwner() throws IOException {
    assertThat(Files.getPosixFilePermissions(keystore))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void keysInit_refusesToOverwriteAnExistingKeystore() throws IOException {
    byte[] before = Files.readAllBytes(keystore);
    CliResult r = run("keys", "init", "--alias", "other", "-k", keystore.toString(),
        "--passphrase-file", pass.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(Files.readAllBytes(keystore)).isEqualTo(before);
  }

  @Test
  void keysInit_rejectsShortPassphrase() throws IOException {
    Path shortPass = dir.resolve("short.txt");
    Files.writeString(shortPass, "corta");
    CliResult r = run("keys", "init", "--alias", "ana", "-k", dir.resolve("ana.tkey").toString(),
        "--passphrase-file", shortPass.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(dir.resolve("ana.tkey")).doesNotExist();
  }

  @Test
  void passphrase_isNeverAcceptedOnTheCommandLine() {
    CliResult r = run("keys", "public", "-k", keystore.toString(), "--passphrase",
        "una frase larga de cinco palabras");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void keysPublic_printsBundleThatFingerprintCommandReads() {
    Path bundle = exportPublic("maria.pub");
    CliResult r = run("keys", "fingerprint", bundle.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("maria ");
  }

  @Test
  void keysPublic_failsWithCryptoExitCodeOnWrongPassphrase() throws IOException {
    Path wrong = dir.resolve("wrong.txt");
    Files.writeString(wrong, "otra frase que no es la buena");
    CliResult r = run("keys", "public", "-k", keystore.toString(), "--passphrase-file",
        wrong.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.CRYPTO);
    assertThat(r.err()).contains("decryption or verification failed");
  }

  @Test
  void keysPasswd_changesPassphraseAndKeepsKeys() throws IOException {
    Path bundleBefore = exportPublic("before.pub");
    Path newPass = dir.resolve("new.txt");
    Files.writeString(newPass, "nueva frase tambien muy larga");
    CliResult r = run("keys", "passwd", "-k", keystore.toString(), "--passphrase-file",
        pass.toString(), "--new-passphrase-file", newPass.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(run("keys", "public", "-k", keystore.toString(), "--passphrase-file",
        pass.toString()).code()).isEqualTo(ExitCodes.CRYPTO);
    CliResult after = run("keys", "public", "-k", keystore.toString(), "--passphrase-file",
        newPass.toString());
    assertThat(after.code()).isZero();
    assertThat(after.out()).isEqualTo(Files.readString(bundleBefore));
  }

  @Test
  void sealThenOpen_roundTripsAFile() throws IOException {
    Path bundle = exportPublic("maria.pub");
    Path plain = dir.resolve("report.txt");
    byte[] content = "Nos detuvieron en el retén de La Ventosa, Oaxaca".repeat(5000)
        .getBytes(StandardCharsets.UTF_8);
    Files.write(plain, content);
    Path env = dir.resolve("report.tgenv");
    assertThat(run("seal", "--to", bundle.toString(), plain.toString(), env.toString()).code())
        .isZero();
    assertThat(new String(Files.readAllBytes(env), StandardCharsets.ISO_8859_1))
        .doesNotContain("retén");
    Path opened = dir.resolve("opened.txt");
    CliResult r = run("open", "-k", keystore.toString(), "--passphrase-file", pass.toString(),
        env.toString(), opened.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readAllBytes(opened)).isEqualTo(content);
  }

  @Test
  void open_failsOnTamperedEnvelopeAndLeavesNoPlaintext() throws IOException {
    Path bundle = exportPublic("maria.pub");
    Path plain = dir.resolve("report.txt");
    Files.write(plain, new byte[200_000]);
    Path env = dir.resolve("report.tgenv");
    assertThat(run("seal", "--to", bundle.toString(), plain.toString(), env.toString()).code())
        .isZero();
    byte[] bytes = Files.readAllBytes(env);
    bytes[bytes.length - 100] ^= 1;
    Files.write(env, bytes);
    Path opened = dir.resolve("opened.txt");
    CliResult r = run("open", "-k", keystore.toString(), "--passphrase-file", pass.toString(),
        env.toString(), opened.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.CRYPTO);
    assertThat(opened).doesNotExist();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith(".testigo-open-"));
    }
  }

  @Test
  void open_refusesWrongContext() throws IOException {
    Path bundle = exportPublic("maria.pub");
    Path plain = dir.resolve("reply.txt");
    Files.writeString(plain, "respuesta");
    Path env = dir.resolve("reply.tgenv");
    assertThat(run("seal", "--to", bundle.toString(), "--context", "reply", plain.toString(),
        env.toString()).code()).isZero();
    CliResult r = run("open", "-k", keystore.toString(), "--passphrase-file", pass.toString(),
        env.toString(), dir.resolve("o.txt").toString());
    assertThat(r.code()).isEqualTo(ExitCodes.CRYPTO);
  }

  @Test
  void open_refusesToOverwriteOutput() throws IOException {
    Path existing = dir.resolve("exists.txt");
    Files.writeString(existing, "keep me");
    CliResult r = run("open", "-k", keystore.toString(), "--passphrase-file", pass.toString(),
        existing.toString(), existing.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(Files.readString(existing)).isEqualTo("keep me");
  }

  @Test
  void seal_rejectsAlteredBundleWithClearMessage() throws IOException {
    Path bundle = exportPublic("maria.pub");
    String text = Files.readString(bundle);
    int i = text.indexOf("checksum:") - 10;
    char c = text.charAt(i);
    Files.writeString(bundle, text.substring(0, i) + (c == 'A' ? 'B' : 'A')
        + text.substring(i + 1));
    Path plain = dir.resolve("p.txt");
    Files.writeString(plain, "x");
    CliResult r = run("seal", "--to", bundle.toString(), plain.toString(),
        dir.resolve("e").toString());
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("maria.pub");
  }

  @Test
  void manifestVerify_acceptsGoldenChainFromPinnedRoot() throws IOException {
    Path chain = copyGolden("manifest-chain-v1.txt");
    String root = rootFingerprint();
    CliResult r = run("manifest", "verify", "--root", root, chain.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("OK: 2 manifest(s)").contains("sequence:     1");
  }

  @Test
  void manifestVerify_failsForAnotherRoot() throws IOException {
    Path chain = copyGolden("manifest-chain-v1.txt");
    CliResult r = run("manifest", "verify", "--root", "00".repeat(32), chain.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.CRYPTO);
  }

  private Path copyGolden(String name) throws IOException {
    Path target = dir.resolve(name);
    try (InputStream in = Objects.requireNonNull(
        getClass().getResourceAsStream("/golden/" + name), name)) {
      Files.copy(in, target);
    }
    return target;
  }

  private String rootFingerprint() throws IOException {
    try (InputStream in = Objects.requireNonNull(
        getClass().getResourceAsStream("/golden/manifest-root-v1.txt"))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(l -> l.startsWith("root-fingerprint:"))
          .map(l -> l.substring("root-fingerprint:".length()).strip())
          .findFirst().orElseThrow();
    }
  }

}
