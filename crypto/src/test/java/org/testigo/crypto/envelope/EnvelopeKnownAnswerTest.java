package org.testigo.crypto.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.key.RecipientPrivateKey;

/** Pins envelope v1 byte for byte against the committed golden files. */
class EnvelopeKnownAnswerTest {
  private static final String DIR = "/golden/envelope-v1/";
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = EnvelopeKnownAnswerTest.class.getResourceAsStream(DIR + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  private static List<byte[]> hexLines(String name) throws IOException {
    return new String(resource(name), StandardCharsets.US_ASCII).lines()
        .filter(l -> !l.isBlank()).map(l -> HEX.parseHex(l.strip())).toList();
  }

  private static Map<String, String> keySchedule() throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    new String(resource("key-schedule.txt"), StandardCharsets.US_ASCII).lines()
        .filter(l -> l.contains("=")).forEach(l -> {
          int i = l.indexOf('=');
          m.put(l.substring(0, i), l.substring(i + 1).strip());
        });
    return m;
  }

  @Test
  void goldenEnvelope_opensToKnownPlaintextForEachRecipient() throws Exception {
    byte[] envelope = resource("envelope.bin");
    byte[] plaintext = resource("plaintext.bin");
    assertThat(plaintext).isEqualTo(GoldenEnvelopeWriter.plaintext());
    for (byte[] seed : hexLines("recipient-seeds.hex")) {
      RecipientPrivateKey key = RecipientPrivateKey.fromSeed(seed);
      assertThat(Envelope.open(envelope, key, Envelope.CONTEXT_REPORT)).isEqualTo(plaintext);
    }
  }

  @Test
  void deterministicSeal_reproducesGoldenEnvelopeByteForByte() throws Exception {
    byte[] actual = GoldenEnvelopeWriter.deterministicEnvelope(hexLines("recipient-seeds.hex"),
        hexLines("file-key.hex").get(0), hexLines("payload-salt.hex").get(0),
        hexLines("hpke-eseeds.hex"), resource("plaintext.bin"));
    assertThat(HEX.formatHex(actual)).isEqualTo(HEX.formatHex(resource("envelope.bin")));
  }

  @Test
  void keySchedule_matchesPinnedValues() throws Exception {
    Map<String, String> ks = keySchedule();
    FileKey fileKey = new FileKey(hexLines("file-key.hex").get(0));
    byte[] salt = hexLines("payload-salt.hex").get(0);
    String context = ks.get("context");
    assertThat(HEX.formatHex(EnvelopeKdf.macKey(fileKey))).isEqualTo(ks.get("mac-key"));
    assertThat(HEX.formatHex(EnvelopeKdf.payloadKey(fileKey, salt, context)))
        .isEqualTo(ks.get("payload-key"));
    assertThat(HEX.formatHex(EnvelopeKdf.hpkeInfo(context))).isEqualTo(ks.get("hpke-info"));
    assertThat(ks.get("mac-key"))
        .isEqualTo("781f1107dcd7d7c67f808e93ffff6c0231f866d433ceba3241c1fc0adf62a714");
    assertThat(ks.get("payload-key"))
        .isEqualTo("47e5297c7321605e678c31321b31d033eb6774a86a8cf14518813612bae653c2");
  }

  @Test
  void goldenEnvelope_hasTheSpecifiedLayout() throws Exception {
    byte[] envelope = resource("envelope.bin");
    Map<String, String> ks = keySchedule();
    int headerLength = Integer.parseInt(ks.get("header-length"));
    assertThat(envelope).hasSize(Integer.parseInt(ks.get("envelope-length")));
    assertThat(HEX.formatHex(envelope, 0, 14)).isEqualTo("545354470101100672657" + "06f7274");
    assertThat(java.util.Arrays.copyOfRange(envelope, 14, 46))
        .isEqualTo(hexLines("payload-salt.hex").get(0));
    assertThat(envelope[46]).isEqualTo((byte) 2);
    List<byte[]> seeds = hexLines("recipient-seeds.hex");
    for (int i = 0; i < 2; i++) {
      int s = 47 + i * EnvelopeHeader.STANZA_LENGTH;
      assertThat(envelope[s]).isEqualTo((byte) 1);
      assertThat(java.util.Arrays.copyOfRange(envelope, s + 1, s + 33)).isEqualTo(
          RecipientPrivateKey.fromSeed(seeds.get(i)).publicKey().fingerprint().toBytes());
    }
    long padded = Long.parseLong(ks.get("padded-length"));
    assertThat(padded).isEqualTo(Padme.padme(GoldenEnvelopeWriter.PLAINTEXT_LENGTH + 1L));
    assertThat((long) envelope.length).isEqualTo(headerLength + padded + 2 * 16);

    EnvelopeInfo info = Envelope.inspect(new ByteArrayInputStream(envelope),
        new ByteArrayOutputStream());
    assertThat(info.headerLength()).isEqualTo(headerLength);
    assertThat(info.totalLength()).isEqualTo(envelope.length);
    assertThat(info.recipients()).containsExactly(
        RecipientPrivateKey.fromSeed(seeds.get(0)).publicKey().fingerprint(),
        RecipientPrivateKey.fromSeed(seeds.get(1)).publicKey().fingerprint());
  }
}
