package org.testigo.server.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.envelope.EnvelopeInfo;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.receipt.Receipt;
import org.testigo.crypto.receipt.ReceiptKeys;
import org.testigo.crypto.receipt.ReceiptParams;
import org.testigo.server.intake.strip.MetadataStripper;
import org.testigo.server.intake.strip.TestImages;

/**
 * The browser bundle (the exact bytes the server serves) against the Java implementation,
 * both ways: envelopes sealed by the bundle open with {@link Envelope#open}, Java envelopes
 * open in the bundle, metadata stripping gives identical bytes, receipt keys are identical.
 */
class JsInteropTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final HexFormat HEX = HexFormat.of();
  @TempDir static Path dir;
  static NodeRunner node;

  @BeforeAll
  static void bundle() throws Exception {
    node = new NodeRunner(dir);
  }

  @Test
  void envelopeSealedInTheBrowserBundle_opensWithJavaForEveryRecipientAndPassesInspection() throws Exception {
    RecipientPrivateKey a = RecipientPrivateKey.generate(RANDOM);
    RecipientPrivateKey b = RecipientPrivateKey.generate(RANDOM);
    byte[] plain = new byte[200_003];
    RANDOM.nextBytes(plain);
    Path in = dir.resolve("plain.bin");
    Path out = dir.resolve("js.tgenv");
    Files.write(in, plain);
    node.run("seal", "report", in.toString(), out.toString(), HEX.formatHex(a.publicKey().toBytes()),
        HEX.formatHex(b.publicKey().toBytes()));
    byte[] sealed = Files.readAllBytes(out);
    assertThat(Envelope.open(sealed, a, Envelope.CONTEXT_REPORT)).isEqualTo(plain);
    assertThat(Envelope.open(sealed, b, Envelope.CONTEXT_REPORT)).isEqualTo(plain);
    EnvelopeInfo info = Envelope.inspect(new ByteArrayInputStream(sealed), new ByteArrayOutputStream());
    assertThat(info.recipients()).containsExactly(a.publicKey().fingerprint(), b.publicKey().fingerprint());
    assertThatThrownBy(() -> Envelope.open(sealed, a, Envelope.CONTEXT_REPLY)).isInstanceOf(CryptoException.class);
    sealed[sealed.length - 5] ^= 1;
    assertThatThrownBy(() -> Envelope.open(sealed, a, Envelope.CONTEXT_REPORT)).isInstanceOf(CryptoException.class);
  }

  @Test
  void envelopeSealedByJava_opensInTheBrowserBundle() throws Exception {
    RecipientPrivateKey key = RecipientPrivateKey.generate(RANDOM);
    byte[] plain = new byte[131_072];
    RANDOM.nextBytes(plain);
    ByteArrayOutputStream sealed = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream(plain), sealed, List.of(key.publicKey()), Envelope.CONTEXT_REPLY, RANDOM);
    Path in = dir.resolve("java.tgenv");
    Path out = dir.resolve("java.plain");
    Files.write(in, sealed.toByteArray());
    node.run("open", "reply", in.toString(), out.toString(), HEX.formatHex(key.exposeSecret()));
    assertThat(Files.readAllBytes(out)).isEqualTo(plain);
  }

  @Test
  void metadataStripping_givesTheSameBytesInTheBundleAndInJava() throws Exception {
    byte[] jpeg = TestImages.jpegWithGps("GPSMARKER");
    Path in = dir.resolve("photo.jpg");
    Path out = dir.resolve("photo.clean.jpg");
    Files.write(in, jpeg);
    String removed = node.run("strip", in.toString(), out.toString());
    ByteArrayOutputStream java = new ByteArrayOutputStream();
    try (MetadataStripper s = new MetadataStripper(java)) {
      s.write(jpeg);
    }
    assertThat(Files.readAllBytes(out)).isEqualTo(java.toByteArray());
    assertThat(removed).isEqualTo("[\"camera\",\"comment\",\"exif\",\"location\",\"trailer\",\"xmp\"]");
  }

  @Test
  void receiptKeysDerivedInTheBundle_equalJavaReceiptKeys() throws Exception {
    Receipt receipt = Receipt.generate(RANDOM);
    byte[] salt = new byte[32];
    RANDOM.nextBytes(salt);
    ReceiptParams p = new ReceiptParams(1024, 2, 1);
    JsonNode js = new ObjectMapper().readTree(node.run("derive", HEX.formatHex(receipt.exposeSecret()),
        HEX.formatHex(salt), "1024", "2", "1"));
    ReceiptKeys keys = ReceiptKeys.derive(receipt, p, salt);
    assertThat(js.get("lookup").asText()).isEqualTo(HEX.formatHex(keys.mailboxLookupKey().exposeSecret()));
    assertThat(js.get("seed").asText()).isEqualTo(HEX.formatHex(keys.replyKey().exposeSecret()));
    assertThat(js.get("pk").asText()).isEqualTo(HEX.formatHex(keys.replyKey().publicKey().toBytes()));
  }
}
