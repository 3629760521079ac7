package org.testigo.crypto.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.SecretBytes;

class ReceiptKeysTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] SALT = HEX.parseHex(
      "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
  private static JsonNode golden;

  @BeforeAll
  static void loadGolden() throws Exception {
    try (InputStream in = ReceiptKeysTest.class.getResourceAsStream("/golden/receipts-v1.json")) {
      golden = new ObjectMapper().readTree(in);
    }
  }

  @Test
  void goldenReceipts_parseAndDeriveTheSameKeysInEveryBuild() throws Exception {
    JsonNode p = golden.get("params");
    ReceiptParams params = new ReceiptParams(p.get("memory_kib").asInt(),
        p.get("iterations").asInt(), p.get("parallelism").asInt());
    assertThat(params).isEqualTo(ReceiptParams.DEFAULT);
    byte[] salt = HEX.parseHex(golden.get("deployment_salt_hex").asText());
    SecretBytes deploymentSecret =
        new SecretBytes(HEX.parseHex(golden.get("deployment_secret_hex").asText()));
    assertThat(golden.get("receipts")).hasSize(4);
    for (JsonNode g : golden.get("receipts")) {
      String words = g.get("words").asText();
      Receipt receipt = Receipt.parse(words);
      assertThat(HEX.formatHex(receipt.exposeSecret())).isEqualTo(g.get("secret_hex").asText());
      assertThat(receipt.render(ReceiptLanguage.valueOf(g.get("language").asText())))
          .isEqualTo(Normalizer.normalize(words, Normalizer.Form.NFC));
      ReceiptKeys keys = ReceiptKeys.derive(receipt, params, salt);
      assertThat(HEX.formatHex(keys.mailboxLookupKey().exposeSecret()))
          .isEqualTo(g.get("mailbox_lookup_key_hex").asText());
      assertThat(HEX.formatHex(keys.replyKey().exposeSecret()))
          .isEqualTo(g.get("reply_seed_hex").asText());
      assertThat(keys.replyKey().publicKey().fingerprint().hex())
          .isEqualTo(g.get("reply_public_key_fingerprint_hex").asText());
      assertThat(HEX.formatHex(MailboxIds.keyedHash(deploymentSecret, keys.mailboxLookupKey())))
          .isEqualTo(g.get("mailbox_id_hex").asText());
    }
  }

  @Test
  void goldenReceipt_typedSloppilyInAnotherLanguage_isTheSameReceipt() throws Exception {
    JsonNode g = golden.get("receipts").get(2);
    Receipt receipt = Receipt.parse(g.get("words").asText());
    String portuguese = receipt.render(ReceiptLanguage.PT).toUpperCase(Locale.ROOT)
        .replace(" ", " ,\n ");
    assertThat(HEX.formatHex(Receipt.parse(portuguese).exposeSecret()))
        .isEqualTo(g.get("secret_hex").asText());
  }

  @Test
  void derive_isDeterministicAndLanguageIndependent() throws Exception {
    Receipt r = Receipt.generate(RANDOM);
    ReceiptKeys a = ReceiptKeys.derive(Receipt.parse(r.render(ReceiptLanguage.ES)),
        ReceiptParams.TEST, SALT);
    ReceiptKeys b = ReceiptKeys.derive(Receipt.parse(r.render(ReceiptLanguage.EN)),
        ReceiptParams.TEST, SALT);
    assertThat(a.mailboxLookupKey()).isEqualTo(b.mailboxLookupKey());
    assertThat(a.replyKey()).isEqualTo(b.replyKey());
    assertThat(a.replyKey().publicKey()).isEqualTo(b.replyKey().publicKey());
    assertThat(a.mailboxLookupKey().exposeSecret()).isNotEqualTo(a.replyKey().exposeSecret());
  }

  @Test
  void derive_dependsOnReceiptSaltAndParams() {
    Receipt r = Receipt.generate(RANDOM);
    ReceiptKeys base = ReceiptKeys.derive(r, ReceiptParams.TEST, SALT);
    byte[] otherSalt = SALT.clone();
    otherSalt[31] ^= 1;
    assertThat(ReceiptKeys.derive(r, ReceiptParams.TEST, otherSalt).mailboxLookupKey())
        .isNotEqualTo(base.mailboxLookupKey());
    assertThat(ReceiptKeys.derive(r, new ReceiptParams(256, 2, 1), SALT).mailboxLookupKey())
        .isNotEqualTo(base.mailboxLookupKey());
    assertThat(ReceiptKeys.derive(Receipt.generate(RANDOM), ReceiptParams.TEST, SALT)
        .mailboxLookupKey()).isNotEqualTo(base.mailboxLookupKey());
  }

  @Test
  void derive_rejectsShortDeploymentSalt() {
    Receipt r = Receipt.generate(RANDOM);
    assertThatThrownBy(() -> ReceiptKeys.derive(r, ReceiptParams.TEST, new byte[15]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void derive_failsOnDestroyedReceipt() {
    Receipt r = Receipt.generate(RANDOM);
    r.destroy();
    assertThatThrownBy(() -> ReceiptKeys.derive(r, ReceiptParams.TEST, SALT))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void toString_redactsKeys() {
    ReceiptKeys keys = ReceiptKeys.derive(Receipt.generate(RANDOM), ReceiptParams.TEST, SALT);
    String hex = HEX.formatHex(keys.mailboxLookupKey().exposeSecret());
    assertThat(keys.toString()).isEqualTo("ReceiptKeys[REDACTED]").doesNotContain(hex);
    assertThat(keys.mailboxLookupKey().toString()).doesNotContain(hex);
    assertThat(keys.replyKey().toString()).isEqualTo("RecipientPrivateKey[REDACTED]");
    keys.destroy();
    assertThat(keys.mailboxLookupKey().isDestroyed()).isTrue();
    assertThat(keys.replyKey().isDestroyed()).isTrue();
  }

  @Test
  void receiptParams_rejectOutOfRangeValues() {
    assertThatThrownBy(() -> new ReceiptParams(7, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReceiptParams(64, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReceiptParams(64, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReceiptParams(15, 1, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThat(ReceiptParams.DEFAULT).isEqualTo(new ReceiptParams(65536, 3, 1));
  }

  @Test
  void mailboxKeyedHash_dependsOnSecretAndRejectsBadLengths() {
    SecretBytes lookup = new SecretBytes(new byte[32]);
    byte[] s1 = new byte[32];
    byte[] s2 = new byte[32];
    s2[0] = 1;
    assertThat(MailboxIds.keyedHash(new SecretBytes(s1), lookup))
        .hasSize(32).isNotEqualTo(MailboxIds.keyedHash(new SecretBytes(s2), lookup));
    assertThatThrownBy(() -> MailboxIds.keyedHash(new SecretBytes(new byte[31]), lookup))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MailboxIds.keyedHash(new SecretBytes(s1), new SecretBytes(new byte[16])))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Known answer (computed independently with Python's hmac), and what the id depends on. */
  @Test
  void formReportId_knownAnswer_dependsOnReceiptAndPayload_andRejectsBadLengths() throws Exception {
    byte[] key = new byte[32];
    byte[] other = new byte[32];
    for (int i = 0; i < 32; i++) {
      key[i] = (byte) i;
      other[i] = (byte) (i + 1);
    }
    byte[] payload = java.security.MessageDigest.getInstance("SHA-256")
        .digest("payload".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertThat(HEX.formatHex(MailboxIds.formReportId(new SecretBytes(key), payload)))
        .isEqualTo("5c2755a3223899f2fb581dff07462acd");
    assertThat(HEX.formatHex(MailboxIds.formReportId(new SecretBytes(other), payload)))
        .isEqualTo("9de0dade31ac6e3e14abb96f3625fa05");
    byte[] changed = payload.clone();
    changed[31] ^= 1;
    assertThat(MailboxIds.formReportId(new SecretBytes(key), changed)).hasSize(16)
        .isNotEqualTo(MailboxIds.formReportId(new SecretBytes(key), payload));
    assertThatThrownBy(() -> MailboxIds.formReportId(new SecretBytes(new byte[31]), payload))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MailboxIds.formReportId(new SecretBytes(key), new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
