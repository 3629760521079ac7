package org.testigo.crypto.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.identity.KeystoreParams;
import org.testigo.crypto.identity.Passphrase;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.sign.SigningPublicKey;

class ShareFormatsTest {
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Passphrase PASS = Passphrase.of("frase de la custodia ana".toCharArray());

  static byte[] resource(String name) throws IOException {
    try (InputStream in = ShareFormatsTest.class.getResourceAsStream("/golden/custody/" + name)) {
      return in.readAllBytes();
    }
  }

  static Map<String, String> goldenFacts() throws IOException {
    return new String(resource("custody-v1.txt"), StandardCharsets.UTF_8).lines()
        .map(l -> l.split(": ", 2)).collect(Collectors.toMap(a -> a[0], a -> a[1]));
  }

  private static RootKeyCeremony.Result ceremony() {
    return RootKeyCeremony.create(List.of("ana", "beto", "carla"), 2, NOW, RANDOM);
  }

  @Test
  void shareFile_roundTripsUnderTheCustodianPassphrase() throws CryptoException {
    RootShare s = ceremony().shares().get(0);
    byte[] file = ShareFile.encrypt(s, PASS, KeystoreParams.TEST, RANDOM);
    RootShare back = ShareFile.decrypt(file, PASS);
    assertThat(back).isEqualTo(s);
    assertThat(back.header()).isEqualTo(s.header());
    assertThat(ShareFile.peek(file)).isEqualTo(s.header());
  }

  @Test
  void shareFile_failsWithAWrongPassphrase() {
    byte[] file = ShareFile.encrypt(ceremony().shares().get(0), PASS, KeystoreParams.TEST,
        RANDOM);
    assertThatThrownBy(() -> ShareFile.decrypt(file,
        Passphrase.of("frase de la custodia beto".toCharArray())))
        .isInstanceOf(CryptoException.class);
  }

  @Test
  void shareFile_failsAfterAnySingleByteChange() {
    byte[] file = ShareFile.encrypt(ceremony().shares().get(0), PASS, KeystoreParams.TEST,
        RANDOM);
    for (int i = 0; i < file.length; i++) {
      byte[] bad = file.clone();
      bad[i] ^= 0x01;
      int at = i;
      assertThatThrownBy(() -> ShareFile.decrypt(bad, PASS)).as("byte %d", at)
          .isInstanceOf(CryptoException.class);
    }
    assertThatThrownBy(() -> ShareFile.decrypt(java.util.Arrays.copyOf(file, file.length - 1),
        PASS)).isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> ShareFile.decrypt(java.util.Arrays.copyOf(file, file.length + 1),
        PASS)).isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> ShareFile.decrypt(new byte[0], PASS))
        .isInstanceOf(CryptoException.class);
  }

  @Test
  void shareFile_valueMovedIntoAnotherCeremonysHeaderFailsToOpen() {
    RootKeyCeremony.Result a = ceremony();
    RootKeyCeremony.Result b = ceremony();
    byte[] fa = ShareFile.encrypt(a.shares().get(0), PASS, KeystoreParams.TEST, RANDOM);
    byte[] fb = ShareFile.encrypt(b.shares().get(0), PASS, KeystoreParams.TEST, RANDOM);
    // Same layout (same custodian length): splice b's header onto a's salt, nonce and ciphertext.
    byte[] spliced = fa.clone();
    System.arraycopy(fb, 0, spliced, 0, 8 + 16);
    assertThatThrownBy(() -> ShareFile.decrypt(spliced, PASS)).isInstanceOf(CryptoException.class);
  }

  @Test
  void shareFile_refusesArgon2ParametersOutsideTheLimitsBeforeHashing() {
    byte[] file = ShareFile.encrypt(ceremony().shares().get(0), PASS, KeystoreParams.TEST,
        RANDOM);
    int paramsAt = 8 + 16 + 8 + 4 + 3 + 32 + 32;
    byte[] huge = file.clone();
    huge[paramsAt] = 0x7f;
    assertThatThrownBy(() -> ShareFile.peek(huge)).isInstanceOf(CryptoException.class);
  }

  @Test
  void goldenShareFile_v1_stillOpensAndMatchesItsRecordedFacts() throws Exception {
    Map<String, String> facts = goldenFacts();
    String pass = new String(resource("share-file-v1.passphrase.txt"), StandardCharsets.UTF_8)
        .strip();
    RootShare s = ShareFile.decrypt(resource("share-file-v1.tshare"),
        Passphrase.of(pass.toCharArray()));
    ShareHeader h = s.header();
    assertThat(h.custodian()).isEqualTo("ana");
    assertThat(h.index()).isEqualTo(1);
    assertThat(h.threshold()).isEqualTo(2);
    assertThat(h.total()).isEqualTo(3);
    assertThat(h.ceremonyId()).isEqualTo(facts.get("ceremony-id"));
    assertThat(HexFormat.of().formatHex(h.rootKey().toBytes()))
        .isEqualTo(facts.get("root-public-key"));
    assertThat(h.rootFingerprint().hex()).isEqualTo(facts.get("root-fingerprint"));
    assertThat(HexFormat.of().formatHex(s.exposeSecret())).isEqualTo(facts.get("share-1-value"));
  }

  @Test
  void goldenShares_fileAndPrintable_rebuildTheGoldenRoot() throws Exception {
    Map<String, String> facts = goldenFacts();
    String pass = new String(resource("share-file-v1.passphrase.txt"), StandardCharsets.UTF_8)
        .strip();
    RootShare one = ShareFile.decrypt(resource("share-file-v1.tshare"),
        Passphrase.of(pass.toCharArray()));
    RootShare two = PrintableShare.parse(new String(resource("printable-share-v1.txt"),
        StandardCharsets.UTF_8));
    assertThat(HexFormat.of().formatHex(two.exposeSecret())).isEqualTo(facts.get("share-2-value"));
    SigningPublicKey root = RootKeyCeremony.reconstruct(List.of(one, two)).publicKey();
    assertThat(KeyManifest.rootFingerprint(root).hex()).isEqualTo(facts.get("root-fingerprint"));
    assertThatThrownBy(() -> RootKeyCeremony.reconstruct(List.of(two)))
        .isInstanceOf(CustodyException.class);
  }

  @Test
  void printable_roundTripsAndShowsTheRootFingerprintShortForm() {
    RootShare s = ceremony().shares().get(2);
    String text = PrintableShare.toText(s);
    assertThat(text).contains("custodian: carla").contains("share: 3 of 3 (any 2 rebuild")
        .contains("root fingerprint: " + s.header().rootFingerprint().shortForm());
    RootShare back = PrintableShare.parse(text);
    assertThat(back).isEqualTo(s);
    assertThat(back.header()).isEqualTo(s.header());
  }

  @Test
  void printable_toleratesCaseSpacingAndLookalikeDigits() {
    RootShare s = ceremony().shares().get(0);
    String text = PrintableShare.toText(s);
    StringBuilder sloppy = new StringBuilder("Notas de la custodia:\r\n");
    for (String line : text.lines().toList()) {
      String l = line.matches("\\d\\d .*")
          ? line.replace('O', '0').replace('I', '1').replace('B', '8').replace("  ", " - ")
          : line;
      sloppy.append("  ").append(l.toLowerCase()).append(" \r\n");
    }
    sloppy.append("fin\r\n");
    assertThat(PrintableShare.parse(sloppy.toString())).isEqualTo(s);
  }

  @Test
  void printable_detectsATypoOnEveryDataCharacterAndNamesTheLine() {
    RootShare s = ceremony().shares().get(0);
    String text = PrintableShare.toText(s);
    List<String> lines = text.lines().toList();
    int detected = 0;
    int named = 0;
    for (int li = 5; li < lines.size() - 2; li++) {
      String line = lines.get(li);
      for (int c = 4; c < line.length(); c++) {
        char ch = line.charAt(c);
        if (ch == ' ') {
          continue;
        }
        char typo = ch == 'A' ? 'B' : 'A';
        String changed = line.substring(0, c) + typo + line.substring(c + 1);
        List<String> copy = new java.util.ArrayList<>(lines);
        copy.set(li, changed);
        String bad = String.join("\n", copy);
        int lineNo = li - 4;
        Throwable thrown = catchThrowable(() -> PrintableShare.parse(bad));
        // Every typo is caught: by its line's 10-bit check (naming the line), or, for the
        // 1 in 1024 typos that slip past a line check, by the 40-bit final check.
        assertThat(thrown).isInstanceOf(IllegalArgumentException.class);
        if (thrown.getMessage().contains("line " + lineNo)) {
          named++;
        } else {
          assertThat(thrown).hasMessageContaining("final check");
        }
        detected++;
      }
    }
    assertThat(detected).isGreaterThan(150);
    // 10-bit line checks: about 0.1% of typos are not pinned to their line (expected < 1
    // here); more than 5% would mean the line check is broken.
    assertThat(named).isGreaterThanOrEqualTo(detected * 95 / 100);
  }

  @Test
  void printable_refusesSwappedMissingOrAlteredLines() {
    RootShare s = ceremony().shares().get(0);
    List<String> lines = PrintableShare.toText(s).lines().toList();
    List<String> swapped = new java.util.ArrayList<>(lines);
    swapped.set(5, lines.get(6));
    swapped.set(6, lines.get(5));
    assertThatThrownBy(() -> PrintableShare.parse(String.join("\n", swapped)))
        .hasMessageContaining("line 1");
    List<String> missing = new java.util.ArrayList<>(lines);
    missing.remove(lines.size() - 3);
    assertThatThrownBy(() -> PrintableShare.parse(String.join("\n", missing)))
        .isInstanceOf(IllegalArgumentException.class);
    String cut = String.join("\n", lines.subList(0, 8));
    assertThatThrownBy(() -> PrintableShare.parse(cut)).hasMessageContaining("cut short");
    String wrongName = PrintableShare.toText(s).replace("custodian: ana", "custodian: eva");
    assertThatThrownBy(() -> PrintableShare.parse(wrongName))
        .hasMessageContaining("do not match the share data");
    String wrongCheck = PrintableShare.toText(s).replaceFirst("check: (.)", "check: $1$1");
    assertThatThrownBy(() -> PrintableShare.parse(wrongCheck))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PrintableShare.parse("hola")).hasMessageContaining("not a printed share");
  }

  @Test
  void base32_matchesRfc4648Vectors() {
    assertThat(PrintableShare.base32("".getBytes())).isEmpty();
    assertThat(PrintableShare.base32("f".getBytes())).isEqualTo("MY");
    assertThat(PrintableShare.base32("fo".getBytes())).isEqualTo("MZXQ");
    assertThat(PrintableShare.base32("foo".getBytes())).isEqualTo("MZXW6");
    assertThat(PrintableShare.base32("foob".getBytes())).isEqualTo("MZXW6YQ");
    assertThat(PrintableShare.base32("fooba".getBytes())).isEqualTo("MZXW6YTB");
    assertThat(PrintableShare.base32("foobar".getBytes())).isEqualTo("MZXW6YTBOI");
    assertThat(PrintableShare.unbase32("MZXW6YTBOI")).isEqualTo("foobar".getBytes());
    assertThatThrownBy(() -> PrintableShare.unbase32("MZXW6YTBOJ"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
