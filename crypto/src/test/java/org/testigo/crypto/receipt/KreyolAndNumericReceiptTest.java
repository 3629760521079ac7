package org.testigo.crypto.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.receipt.InvalidReceiptException.Reason;

/** The Kreyol list (list id 1) and the numeric form, against golden vectors from Python. */
class KreyolAndNumericReceiptTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static JsonNode golden;
  private static JsonNode legacy;

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in = KreyolAndNumericReceiptTest.class.getResourceAsStream(
        "/golden/receipts-v1-kreyol-numeric.json")) {
      golden = new ObjectMapper().readTree(in);
    }
    try (InputStream in = KreyolAndNumericReceiptTest.class.getResourceAsStream("/golden/receipts-v1.json")) {
      legacy = new ObjectMapper().readTree(in);
    }
  }

  @Test
  void goldenKreyolAndDigits_parseToTheirSecretAndRenderTheSame() throws Exception {
    assertThat(golden.get("receipts")).hasSize(5);
    for (JsonNode g : golden.get("receipts")) {
      String secret = g.get("secret_hex").asText();
      Receipt fromKreyol = Receipt.parse(g.get("kreyol_words").asText());
      Receipt fromDigits = Receipt.parse(g.get("digits").asText());
      assertThat(HEX.formatHex(fromKreyol.exposeSecret())).isEqualTo(secret);
      assertThat(fromDigits).isEqualTo(fromKreyol);
      assertThat(Receipt.parse(g.get("spanish_words").asText())).isEqualTo(fromKreyol);
      assertThat(fromKreyol.render(ReceiptLanguage.HT)).isEqualTo(g.get("kreyol_words").asText());
      assertThat(fromKreyol.renderDigits()).isEqualTo(g.get("digits").asText());
      assertThat(fromKreyol.render(ReceiptLanguage.ES))
          .isEqualTo(Normalizer.normalize(g.get("spanish_words").asText(), Normalizer.Form.NFC));
    }
  }

  @Test
  void kreyolList_isTheCommittedBytes() throws Exception {
    try (InputStream in = Wordlist.class.getResourceAsStream("kreyol-ht.txt")) {
      byte[] bytes = in.readAllBytes();
      assertThat(HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)))
          .isEqualTo(golden.get("kreyol_list_sha256").asText());
    }
  }

  @Test
  void oldGoldenReceipts_stillParseToTheSameSecretWithTheKreyolListPresent() throws Exception {
    for (JsonNode g : legacy.get("receipts")) {
      Receipt r = Receipt.parse(g.get("words").asText());
      assertThat(HEX.formatHex(r.exposeSecret())).isEqualTo(g.get("secret_hex").asText());
      assertThat(r.render(ReceiptLanguage.valueOf(g.get("language").asText())))
          .isEqualTo(Normalizer.normalize(g.get("words").asText(), Normalizer.Form.NFC));
    }
  }

  @Test
  void kreyolCheckWord_usesListIdOne_andBip39ListsKeepListIdZero() throws Exception {
    byte[] zero = new byte[Receipt.SECRET_LENGTH];
    assertThat(Receipt.checkWord(zero)).isEqualTo(Receipt.checkWord(zero, 0)).isEqualTo(1115);
    assertThat(Receipt.checkWord(zero, 1)).isEqualTo(1015);
    Receipt r = Receipt.parse(golden.get("receipts").get(0).get("kreyol_words").asText());
    String[] kreyol = r.render(ReceiptLanguage.HT).split(" ");
    // The Kreyol data words with the BIP-39 check index is not a receipt.
    String wrongCheck = String.join(" ", java.util.Arrays.copyOf(kreyol, 7)) + " "
        + Wordlist.of(ReceiptLanguage.HT).word(1115);
    assertThatThrownBy(() -> Receipt.parse(wrongCheck))
        .isInstanceOfSatisfying(InvalidReceiptException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_CHECKSUM));
  }

  @Test
  void kreyolList_sharesNoWordWithAnyBip39List() {
    Set<String> bip39 = new HashSet<>();
    for (ReceiptLanguage l : ReceiptLanguage.values()) {
      if (l != ReceiptLanguage.HT) {
        for (int i = 0; i < Wordlist.SIZE; i++) {
          bip39.add(Wordlist.normalise(Wordlist.of(l).word(i)));
        }
      }
    }
    Wordlist ht = Wordlist.of(ReceiptLanguage.HT);
    for (int i = 0; i < Wordlist.SIZE; i++) {
      assertThat(bip39).as(ht.word(i)).doesNotContain(Wordlist.normalise(ht.word(i)));
    }
  }

  @Test
  void generatedReceipts_roundTripInKreyolAndDigits_typedSloppily() throws Exception {
    for (int i = 0; i < 300; i++) {
      Receipt r = Receipt.generate(RANDOM);
      String ht = r.render(ReceiptLanguage.HT);
      assertThat(Receipt.parse(ht)).isEqualTo(r);
      String unaccented = Wordlist.normalise(ht).toUpperCase(Locale.ROOT).replace(' ', '\n');
      assertThat(Receipt.parse(unaccented)).isEqualTo(r);
      String digits = r.renderDigits();
      assertThat(digits).matches("([0-9]{4} ){7}[0-9]{4}");
      assertThat(Receipt.parse(digits)).isEqualTo(r);
      assertThat(Receipt.parse(digits.replace(" ", ""))).isEqualTo(r);
      assertThat(Receipt.parse(" " + digits.replace(' ', '-') + ".\n")).isEqualTo(r);
      assertThat(Receipt.parse(r.render(ReceiptLanguage.FR))).isEqualTo(r);
    }
  }

  @Test
  void digits_withAWrongDigitCountOrOutOfRangeGroupOrWrongCheck_areRejected() throws Exception {
    Receipt r = Receipt.parse(golden.get("receipts").get(2).get("digits").asText());
    String d = r.renderDigits().replace(" ", "");
    assertReason(d.substring(1), Reason.WRONG_WORD_COUNT);
    assertReason(d + "1", Reason.WRONG_WORD_COUNT);
    assertReason("9" + d.substring(1), Reason.UNKNOWN_WORD);
    int last = Integer.parseInt(d.substring(28));
    assertReason(d.substring(0, 28) + String.format(Locale.ROOT, "%04d", (last + 1) % 2048), Reason.BAD_CHECKSUM);
  }

  @Test
  void digits_singleDigitTyposOfManyReceipts_areAlmostAlwaysDetected() throws Exception {
    int cases = 0;
    int missed = 0;
    for (int n = 0; n < 40; n++) {
      Receipt r = Receipt.generate(RANDOM);
      char[] d = r.renderDigits().replace(" ", "").toCharArray();
      for (int pos = 0; pos < d.length; pos++) {
        char original = d[pos];
        for (char c = '0'; c <= '9'; c++) {
          if (c == original) {
            continue;
          }
          d[pos] = c;
          cases++;
          try {
            Receipt.parse(new String(d));
            missed++;
          } catch (InvalidReceiptException e) {
            // detected
          }
        }
        d[pos] = original;
      }
    }
    assertThat(cases).isEqualTo(40 * 32 * 9);
    assertThat((double) missed / cases).isLessThanOrEqualTo(0.001);
  }

  @Test
  void thirtyTwoDigitsThatAreNoReceipt_areRejected() {
    // Was WRONG_WORD_COUNT in ReceiptTest before numeric receipts: digits were only separators.
    assertReason("1234 5678 9012 3456 7890 1234 5678 9012", Reason.UNKNOWN_WORD);
  }

  @Test
  void inputWithLetters_isNeverReadAsDigits() {
    assertReason("1234 5678 abc", Reason.WRONG_WORD_COUNT);
  }

  @Test
  void sameWord_followsTheParseRules() {
    assertThat(Receipt.sameWord("KÒD", "kod")).isTrue();
    assertThat(Receipt.sameWord(" abandonn ", "abandon")).isTrue();
    assertThat(Receipt.sameWord("ábaco", "abaco")).isTrue();
    assertThat(Receipt.sameWord("abac", "ábaco")).isTrue();
    assertThat(Receipt.sameWord("aba", "ábaco")).isFalse();
    assertThat(Receipt.sameWord("abandon", "ability")).isFalse();
    assertThat(Receipt.sameWord("0412", "0412")).isTrue();
    assertThat(Receipt.sameWord("412", "0412")).isFalse();
    assertThat(Receipt.sameWord("", "0412")).isFalse();
    assertThat(Receipt.sameWord(null, "kod")).isFalse();
  }

  private static void assertReason(String typed, Reason reason) {
    assertThatThrownBy(() -> Receipt.parse(typed))
        .isInstanceOfSatisfying(InvalidReceiptException.class, e -> {
          assertThat(e.reason()).isEqualTo(reason);
          assertThat(e.getMessage()).isEqualTo("receipt not recognised: check the words");
        });
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
