package org.testigo.crypto.envelope;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.key.RecipientPublicKey;

/**
 * Writes the golden envelope v1 fixtures (not a test). Run once when the format is fixed;
 * the committed output is then checked by {@link EnvelopeKnownAnswerTest} in every build.
 * Never regenerate to make a failing known-answer test pass.
 *
 * <p>Usage: {@code java -cp <test classpath> org.testigo.crypto.envelope.GoldenEnvelopeWriter
 * crypto/src/test/resources/golden/envelope-v1}
 */
public final class GoldenEnvelopeWriter {
  static final String CONTEXT = Envelope.CONTEXT_REPORT;
  static final int PLAINTEXT_LENGTH = 70_000;

  private GoldenEnvelopeWriter() {}

  /** Deterministic inputs: byte i of each value is {@code (start + i) mod 256}. */
  static byte[] counting(int start, int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (start + i);
    }
    return b;
  }

  /** plaintext[i] = (7 * i + 3) mod 256, 70,000 bytes: two chunks after padding. */
  static byte[] plaintext() {
    byte[] p = new byte[PLAINTEXT_LENGTH];
    for (int i = 0; i < p.length; i++) {
      p[i] = (byte) (7 * i + 3);
    }
    return p;
  }

  static byte[] deterministicEnvelope(List<byte[]> seeds, byte[] fileKey, byte[] salt,
      List<byte[]> eseeds, byte[] plaintext) throws IOException {
    List<RecipientPublicKey> pks = new ArrayList<>();
    for (byte[] s : seeds) {
      pks.add(RecipientPrivateKey.fromSeed(s).publicKey());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream s = Envelope.sealingDeterministic(out, pks, CONTEXT, fileKey, salt,
        eseeds)) {
      s.write(plaintext);
    }
    return out.toByteArray();
  }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    HexFormat hex = HexFormat.of();
    List<byte[]> seeds = List.of(counting(0x00, 32), counting(0x20, 32));
    byte[] fileKey = counting(0x40, 32);
    byte[] salt = counting(0x60, 32);
    List<byte[]> eseeds = List.of(counting(0x80, 64), counting(0xc0, 64));
    byte[] plaintext = plaintext();
    byte[] envelope = deterministicEnvelope(seeds, fileKey, salt, eseeds, plaintext);
    Files.writeString(dir.resolve("recipient-seeds.hex"),
        hex.formatHex(seeds.get(0)) + "\n" + hex.formatHex(seeds.get(1)) + "\n");
    Files.writeString(dir.resolve("file-key.hex"), hex.formatHex(fileKey) + "\n");
    Files.writeString(dir.resolve("payload-salt.hex"), hex.formatHex(salt) + "\n");
    Files.writeString(dir.resolve("hpke-eseeds.hex"),
        hex.formatHex(eseeds.get(0)) + "\n" + hex.formatHex(eseeds.get(1)) + "\n");
    Files.write(dir.resolve("plaintext.bin"), plaintext);
    Files.write(dir.resolve("envelope.bin"), envelope);
    FileKey fk = new FileKey(fileKey);
    String keys = "context=" + CONTEXT + "\n"
        + "mac-key=" + hex.formatHex(EnvelopeKdf.macKey(fk)) + "\n"
        + "payload-key=" + hex.formatHex(EnvelopeKdf.payloadKey(fk, salt, CONTEXT)) + "\n"
        + "hpke-info=" + hex.formatHex(EnvelopeKdf.hpkeInfo(CONTEXT)) + "\n"
        + "header-length=" + EnvelopeFixtures.headerLength(CONTEXT, 2) + "\n"
        + "padded-length=" + Padme.padme(PLAINTEXT_LENGTH + 1L) + "\n"
        + "envelope-length=" + envelope.length + "\n";
    Files.writeString(dir.resolve("key-schedule.txt"), keys, StandardCharsets.US_ASCII);
  }
}
