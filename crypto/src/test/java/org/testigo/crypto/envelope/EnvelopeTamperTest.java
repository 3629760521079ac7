package org.testigo.crypto.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.testigo.crypto.envelope.EnvelopeFixtures.*;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every modification of a valid envelope must fail with the one generic exception. */
class EnvelopeTamperTest {
  /** 3 chunks: 2 full, 1 partial (200,000 bytes pad to 200,704). */
  private static final byte[] PLAINTEXT = data(200_000, 11);
  private static final byte[] ENVELOPE = seal(PLAINTEXT, ALICE, BOB);
  private static final int HEADER = headerLength(CONTEXT, 2);
  private static final int CHUNKS = 4;

  private static int chunkOffset(int i) {
    return HEADER + i * CT_CHUNK;
  }

  private static byte[] chunk(byte[] env, int i) {
    int start = chunkOffset(i);
    return Arrays.copyOfRange(env, start, Math.min(env.length, start + CT_CHUNK));
  }

  @Test
  void fixture_opensAndHasTheExpectedLayout() throws Exception {
    assertThat(Envelope.open(ENVELOPE, ALICE, CONTEXT)).isEqualTo(PLAINTEXT);
    long padded = Padme.padme(PLAINTEXT.length + 1L);
    assertThat(padded).isEqualTo(200_704);
    assertThat(ENVELOPE.length).isEqualTo(HEADER + 200_704 + CHUNKS * 16);
  }

  private static void assertFlipFails(int offset) {
    for (int bit = 0; bit < 8; bit++) {
      assertDoesNotOpen(flipBit(ENVELOPE, offset, bit), ALICE);
    }
  }

  @Test
  void open_failsWhenMagicIsModified() {
    for (int i = 0; i < 4; i++) {
      assertFlipFails(i);
    }
  }

  @Test
  void open_failsWhenVersionIsModified() {
    assertFlipFails(4);
  }

  @Test
  void open_failsWhenAeadIdIsModified() {
    assertFlipFails(5);
  }

  @Test
  void open_failsWhenChunkSizeIsModified() {
    assertFlipFails(6);
  }

  @Test
  void open_failsWhenContextLengthIsModified() {
    assertFlipFails(7);
  }

  @Test
  void open_failsWhenContextIsModified() {
    for (int i = 0; i < CONTEXT.length(); i++) {
      assertFlipFails(contextOffset() + i);
    }
  }

  @Test
  void open_failsWhenPayloadSaltIsModified() {
    assertFlipFails(saltOffset(CONTEXT));
    assertFlipFails(saltOffset(CONTEXT) + 31);
  }

  @Test
  void open_failsWhenStanzaCountIsModified() {
    assertFlipFails(stanzaCountOffset(CONTEXT));
  }

  @Test
  void open_failsWhenStanzaTypeIsModified() {
    assertFlipFails(stanzaOffset(CONTEXT, 0));
    assertFlipFails(stanzaOffset(CONTEXT, 1));
  }

  @Test
  void open_failsWhenStanzaFingerprintIsModified() {
    assertFlipFails(stanzaOffset(CONTEXT, 0) + 1);
    assertFlipFails(stanzaOffset(CONTEXT, 0) + 32);
  }

  @Test
  void open_failsWhenOtherRecipientsStanzaIsModified() {
    int bob = stanzaOffset(CONTEXT, 1);
    for (int off : new int[] {bob + 1, bob + 33, bob + 1152, bob + 1153, bob + 1200}) {
      assertFlipFails(off);
    }
  }

  @Test
  void open_failsWhenStanzaEncapsulationIsModified() {
    int s = stanzaOffset(CONTEXT, 0);
    for (int off : new int[] {s + 33, s + 33 + 500, s + 33 + 1087, s + 33 + 1088, s + 1152}) {
      assertFlipFails(off);
    }
  }

  @Test
  void open_failsWhenWrappedFileKeyIsModified() {
    int s = stanzaOffset(CONTEXT, 0);
    for (int off : new int[] {s + 1153, s + 1153 + 31, s + 1153 + 32, s + 1200}) {
      assertFlipFails(off);
    }
  }

  @Test
  void open_failsWhenHeaderMacIsModified() {
    int mac = macOffset(CONTEXT, 2);
    for (int i = 0; i < 32; i++) {
      assertFlipFails(mac + i);
    }
  }

  @Test
  void open_failsWhenAnyChunkIsModified() {
    for (int i = 0; i < CHUNKS; i++) {
      int start = chunkOffset(i);
      int end = Math.min(ENVELOPE.length, start + CT_CHUNK);
      assertFlipFails(start);
      assertFlipFails((start + end) / 2);
      assertFlipFails(end - 17);
      assertFlipFails(end - 16);
      assertFlipFails(end - 1);
    }
  }

  @Test
  void open_failsWhenTruncatedAnywhere() {
    int[] cuts = {0, 1, 3, 4, 7, 8, 13, 14, 46, 47, 48, stanzaOffset(CONTEXT, 1),
        HEADER - 32, HEADER - 1, HEADER, HEADER + 1, HEADER + 16, chunkOffset(1) - 1,
        chunkOffset(1), chunkOffset(1) + 17, chunkOffset(2), chunkOffset(3), chunkOffset(3) + 16,
        chunkOffset(3) + 17, ENVELOPE.length - 1};
    for (int cut : cuts) {
      assertDoesNotOpen(Arrays.copyOf(ENVELOPE, cut), ALICE);
    }
  }

  @Test
  void open_failsWhenFinalChunkIsRemoved() {
    assertDoesNotOpen(Arrays.copyOf(ENVELOPE, chunkOffset(CHUNKS - 1)), ALICE);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 15, 16, 17, 4096})
  void open_failsWhenBytesAreAppended(int extra) {
    assertDoesNotOpen(concat(ENVELOPE, new byte[extra]), ALICE);
    assertDoesNotOpen(concat(ENVELOPE, data(extra, extra)), ALICE);
  }

  @Test
  void open_failsWhenFinalChunkIsDuplicated() {
    assertDoesNotOpen(concat(ENVELOPE, chunk(ENVELOPE, CHUNKS - 1)), ALICE);
  }

  @Test
  void open_failsWhenChunksAreReordered() {
    byte[] header = Arrays.copyOf(ENVELOPE, HEADER);
    assertDoesNotOpen(concat(header, chunk(ENVELOPE, 1), chunk(ENVELOPE, 0),
        chunk(ENVELOPE, 2), chunk(ENVELOPE, 3)), ALICE);
    assertDoesNotOpen(concat(header, chunk(ENVELOPE, 0), chunk(ENVELOPE, 2),
        chunk(ENVELOPE, 1), chunk(ENVELOPE, 3)), ALICE);
  }

  @Test
  void open_failsWhenAChunkIsDropped() {
    byte[] header = Arrays.copyOf(ENVELOPE, HEADER);
    assertDoesNotOpen(concat(header, chunk(ENVELOPE, 0), chunk(ENVELOPE, 2),
        chunk(ENVELOPE, 3)), ALICE);
    assertDoesNotOpen(concat(header, chunk(ENVELOPE, 1), chunk(ENVELOPE, 2),
        chunk(ENVELOPE, 3)), ALICE);
  }

  @Test
  void open_failsWhenAChunkIsDuplicated() {
    byte[] header = Arrays.copyOf(ENVELOPE, HEADER);
    assertDoesNotOpen(concat(header, chunk(ENVELOPE, 0), chunk(ENVELOPE, 0),
        chunk(ENVELOPE, 1), chunk(ENVELOPE, 2), chunk(ENVELOPE, 3)), ALICE);
  }

  @Test
  void open_failsWhenPayloadComesFromAnotherEnvelope() {
    byte[] other = seal(PLAINTEXT, ALICE, BOB);
    assertDoesNotOpen(concat(Arrays.copyOf(ENVELOPE, HEADER),
        Arrays.copyOfRange(other, HEADER, other.length)), ALICE);
  }

  @Test
  void open_failsWhenStanzaIsSwappedFromAnotherEnvelope() {
    byte[] other = seal(data(10, 1), ALICE, BOB);
    byte[] swapped = ENVELOPE.clone();
    int s = stanzaOffset(CONTEXT, 0);
    System.arraycopy(other, s, swapped, s, STANZA);
    assertDoesNotOpen(swapped, ALICE);
    byte[] swappedBob = ENVELOPE.clone();
    int b = stanzaOffset(CONTEXT, 1);
    System.arraycopy(other, b, swappedBob, b, STANZA);
    assertDoesNotOpen(swappedBob, ALICE);
  }

  @Test
  void open_failsWhenAStanzaIsRemoved() {
    byte[] removed = concat(Arrays.copyOf(ENVELOPE, stanzaOffset(CONTEXT, 1)),
        Arrays.copyOfRange(ENVELOPE, stanzaOffset(CONTEXT, 2), ENVELOPE.length));
    removed[stanzaCountOffset(CONTEXT)] = 1;
    assertDoesNotOpen(removed, ALICE);
    byte[] removedFirst = concat(Arrays.copyOf(ENVELOPE, stanzaOffset(CONTEXT, 0)),
        Arrays.copyOfRange(ENVELOPE, stanzaOffset(CONTEXT, 1), ENVELOPE.length));
    removedFirst[stanzaCountOffset(CONTEXT)] = 1;
    assertFailsGenerically(() -> Envelope.open(removedFirst, BOB, CONTEXT));
  }

  @Test
  void open_failsWhenAStanzaIsAdded() {
    byte[] other = seal(data(10, 1), CAROL);
    byte[] added = concat(Arrays.copyOf(ENVELOPE, stanzaOffset(CONTEXT, 2)),
        Arrays.copyOfRange(other, stanzaOffset(CONTEXT, 0), stanzaOffset(CONTEXT, 1)),
        Arrays.copyOfRange(ENVELOPE, stanzaOffset(CONTEXT, 2), ENVELOPE.length));
    added[stanzaCountOffset(CONTEXT)] = 3;
    assertDoesNotOpen(added, ALICE);
  }

  @Test
  void open_failsWhenStanzaCountIsZero() {
    byte[] none = concat(Arrays.copyOf(ENVELOPE, stanzaOffset(CONTEXT, 0)),
        Arrays.copyOfRange(ENVELOPE, macOffset(CONTEXT, 2), ENVELOPE.length));
    none[stanzaCountOffset(CONTEXT)] = 0;
    assertDoesNotOpen(none, ALICE);
  }

  @Test
  void open_failsWhenAFingerprintIsDuplicated() {
    byte[] dup = ENVELOPE.clone();
    System.arraycopy(ENVELOPE, stanzaOffset(CONTEXT, 0) + 1, dup, stanzaOffset(CONTEXT, 1) + 1,
        32);
    assertDoesNotOpen(dup, ALICE);
    byte[] dupStanza = ENVELOPE.clone();
    System.arraycopy(ENVELOPE, stanzaOffset(CONTEXT, 0), dupStanza, stanzaOffset(CONTEXT, 1),
        STANZA);
    assertDoesNotOpen(dupStanza, ALICE);
  }

  @Test
  void open_failsForUnknownVersion() {
    for (int v : new int[] {0, 2, 0x81, 0xff}) {
      byte[] e = ENVELOPE.clone();
      e[4] = (byte) v;
      assertDoesNotOpen(e, ALICE);
    }
  }

  @Test
  void open_failsForUnknownAeadOrChunkSize() {
    for (int v : new int[] {0, 2, 3}) {
      byte[] e = ENVELOPE.clone();
      e[5] = (byte) v;
      assertDoesNotOpen(e, ALICE);
    }
    for (int v : new int[] {0, 0x0c, 0x0f, 0x11, 0x14}) {
      byte[] e = ENVELOPE.clone();
      e[6] = (byte) v;
      assertDoesNotOpen(e, ALICE);
    }
  }

  @Test
  void open_failsForWrongContext() {
    assertFailsGenerically(() -> Envelope.open(ENVELOPE, ALICE, Envelope.CONTEXT_REPLY));
    byte[] reply = seal(data(10, 2), Envelope.CONTEXT_REPLY, ALICE);
    assertDoesNotOpen(reply, ALICE);
  }

  @Test
  void open_failsWhenContextIsRelabelled() {
    // Same length, so only the binding (HPKE info, MAC, payload key) can catch it.
    byte[] e = ENVELOPE.clone();
    byte[] other = "rxport".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    System.arraycopy(other, 0, e, contextOffset(), other.length);
    assertFailsGenerically(() -> Envelope.open(e, ALICE, "rxport"));
  }

  @Test
  void open_failsForWrongKey() {
    assertDoesNotOpen(ENVELOPE, CAROL);
  }

  @Test
  void open_failsWhenAnotherRecipientsFingerprintIsReplacedByMine() {
    byte[] e = ENVELOPE.clone();
    System.arraycopy(CAROL.publicKey().fingerprint().toBytes(), 0, e,
        stanzaOffset(CONTEXT, 1) + 1, 32);
    assertFailsGenerically(() -> Envelope.open(e, CAROL, CONTEXT));
  }

  @Test
  void open_failsForLowOrderX25519Share() {
    String[] lowOrder = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"};
    int share = stanzaOffset(CONTEXT, 0) + 33 + 1088;
    for (String hex : lowOrder) {
      byte[] e = ENVELOPE.clone();
      System.arraycopy(HexFormat.of().parseHex(hex), 0, e, share, 32);
      assertDoesNotOpen(e, ALICE);
    }
  }

  @Test
  void open_failsForGarbage() {
    assertDoesNotOpen(new byte[0], ALICE);
    assertDoesNotOpen(data(5000, 99), ALICE);
    assertDoesNotOpen(concat("TSTG".getBytes(), data(5000, 98)), ALICE);
  }

  // --- authentic payloads that break the framing or padding rules (need the file key) ---

  private static final byte[] FILE_KEY = data(32, 501);
  private static final byte[] SALT = data(32, 502);

  private static byte[] craft(byte[]... chunks) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OutputStream s = Envelope.sealingDeterministic(out, List.of(ALICE.publicKey()), CONTEXT,
        FILE_KEY, SALT, List.of(data(64, 503)));
    int header = out.size();
    byte[] headerBytes = out.toByteArray();
    assertThat(header).isEqualTo(headerLength(CONTEXT, 1));
    ChunkCipher c = ChunkCipher.forSealing(
        EnvelopeKdf.payloadKey(new FileKey(FILE_KEY), SALT, CONTEXT));
    ByteArrayOutputStream env = new ByteArrayOutputStream();
    env.writeBytes(headerBytes);
    byte[] ct = new byte[CT_CHUNK];
    for (int i = 0; i < chunks.length; i++) {
      int n = c.seal(i, i == chunks.length - 1, chunks[i], chunks[i].length, ct);
      env.write(ct, 0, n);
    }
    return env.toByteArray();
  }

  private static byte[] padded(byte[] data, int total) {
    byte[] p = Arrays.copyOf(data, total);
    p[data.length] = (byte) 0x80;
    return p;
  }

  @Test
  void craft_producesAnEnvelopeThatOpensWhenTheRulesAreKept() throws Exception {
    byte[] ok = craft(padded(new byte[] {1, 2, 3}, 4));
    assertThat(Envelope.open(ok, ALICE, CONTEXT)).containsExactly(1, 2, 3);
    assertThat(Padme.padme(65537)).isEqualTo(65536 + 2048);
    byte[] big = craft(data(65536, 1), padded(new byte[0], 2048));
    assertThat(Envelope.open(big, ALICE, CONTEXT)).isEqualTo(data(65536, 1));
  }

  @Test
  void open_failsWhenFinalChunkIsEmptyEvenIfAuthentic() throws Exception {
    byte[] full = padded(data(65535, 2), 65536);
    assertThat(Padme.isPaddedLength(65536)).isTrue();
    assertDoesNotOpen(craft(full, new byte[0]), ALICE);
  }

  @Test
  void open_failsWhenNonFinalChunkIsShortEvenIfAuthentic() throws Exception {
    assertDoesNotOpen(craft(new byte[100], padded(new byte[10], 12)), ALICE);
  }

  @Test
  void open_failsWhenPaddingMarkerIsMissing() throws Exception {
    assertDoesNotOpen(craft(new byte[] {1, 2, 3, 4}), ALICE);
    assertDoesNotOpen(craft(new byte[] {1, 2, (byte) 0x81, 0}), ALICE);
    assertDoesNotOpen(craft(new byte[64]), ALICE);
  }

  @Test
  void open_failsWhenPaddedLengthIsNotAPadmeLength() throws Exception {
    assertThat(Padme.isPaddedLength(65537)).isFalse();
    assertDoesNotOpen(craft(padded(data(65535, 3), 65536), new byte[1]), ALICE);
    assertDoesNotOpen(craft(padded(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 11)), ALICE);
  }
}
