package org.testigo.crypto.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.testigo.crypto.envelope.EnvelopeFixtures.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EnvelopeInspectTest {
  private static final byte[] PLAINTEXT = data(150_000, 21);
  private static final byte[] ENVELOPE = seal(PLAINTEXT, ALICE, BOB);
  private static final int HEADER = headerLength(CONTEXT, 2);

  private static EnvelopeInfo inspect(byte[] envelope) throws Exception {
    return Envelope.inspect(new ByteArrayInputStream(envelope), OutputStream.nullOutputStream());
  }

  private static void assertRejected(byte[] envelope) {
    assertFailsGenerically(() -> inspect(envelope));
  }

  @Test
  void inspect_acceptsValidEnvelopeAndCopiesItExactly() throws Exception {
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    EnvelopeInfo info = Envelope.inspect(new ByteArrayInputStream(ENVELOPE), copy);
    assertThat(copy.toByteArray()).isEqualTo(ENVELOPE);
    assertThat(info.version()).isEqualTo(1);
    assertThat(info.context()).isEqualTo(CONTEXT);
    assertThat(info.recipients()).containsExactly(ALICE.publicKey().fingerprint(),
        BOB.publicKey().fingerprint());
    assertThat(info.headerLength()).isEqualTo(HEADER);
    assertThat(info.totalLength()).isEqualTo(ENVELOPE.length);
  }

  @Test
  void inspectHeader_readsExactlyTheHeaderAndNothingAfterIt() throws Exception {
    ByteArrayInputStream in = new ByteArrayInputStream(ENVELOPE);
    EnvelopeInfo info = Envelope.inspectHeader(in);
    assertThat(info.context()).isEqualTo(CONTEXT);
    assertThat(info.recipients()).containsExactly(ALICE.publicKey().fingerprint(),
        BOB.publicKey().fingerprint());
    assertThat(info.headerLength()).isEqualTo(HEADER);
    assertThat(info.totalLength()).isEqualTo(HEADER);
    assertThat(in.available()).isEqualTo(ENVELOPE.length - HEADER);
    assertThat(Envelope.inspectHeader(new ByteArrayInputStream(Arrays.copyOf(ENVELOPE, HEADER)))
        .recipients()).hasSize(2);
  }

  @Test
  void inspectHeader_rejectsATruncatedOrAlteredHeader() {
    assertFailsGenerically(() -> Envelope.inspectHeader(
        new ByteArrayInputStream(Arrays.copyOf(ENVELOPE, HEADER - 1))));
    byte[] bad = ENVELOPE.clone();
    bad[4] ^= 1;
    assertFailsGenerically(() -> Envelope.inspectHeader(new ByteArrayInputStream(bad)));
  }

  @Test
  void inspect_acceptsEnvelopesOfEverySmallSize() throws Exception {
    for (int n : new int[] {0, 1, 65535, 65536, 65537}) {
      byte[] e = seal(data(n, n), CAROL);
      assertThat(inspect(e).totalLength()).isEqualTo(e.length);
    }
  }

  @Test
  void inspect_rejectsGarbage() {
    assertRejected(new byte[0]);
    assertRejected(data(100_000, 1));
    assertRejected(concat("TSTG".getBytes(), data(100_000, 2)));
  }

  @Test
  void inspect_rejectsUnknownVersionAeadOrChunkSize() {
    for (int index : new int[] {4, 5, 6}) {
      for (int v : new int[] {0, 2, 0xff}) {
        byte[] e = ENVELOPE.clone();
        e[index] = (byte) v;
        assertRejected(e);
      }
    }
  }

  @Test
  void inspect_rejectsMalformedHeaderFields() {
    byte[] badMagic = ENVELOPE.clone();
    badMagic[0] = 'X';
    assertRejected(badMagic);
    byte[] badContext = ENVELOPE.clone();
    badContext[contextOffset()] = 'R';
    assertRejected(badContext);
    byte[] zeroContext = ENVELOPE.clone();
    zeroContext[7] = 0;
    assertRejected(zeroContext);
    byte[] zeroStanzas = ENVELOPE.clone();
    zeroStanzas[stanzaCountOffset(CONTEXT)] = 0;
    assertRejected(zeroStanzas);
    byte[] badType = ENVELOPE.clone();
    badType[stanzaOffset(CONTEXT, 1)] = 2;
    assertRejected(badType);
    byte[] dupFingerprint = ENVELOPE.clone();
    System.arraycopy(ENVELOPE, stanzaOffset(CONTEXT, 0) + 1, dupFingerprint,
        stanzaOffset(CONTEXT, 1) + 1, 32);
    assertRejected(dupFingerprint);
  }

  @Test
  void inspect_rejectsTruncatedHeader() {
    for (int cut : new int[] {0, 3, 4, 7, 10, 46, 47, 500, HEADER - 1, HEADER}) {
      assertRejected(Arrays.copyOf(ENVELOPE, cut));
    }
  }

  @Test
  void inspect_rejectsFinalChunkShorterThanTagPlusOneByte() {
    for (int extra : new int[] {1, 16}) {
      assertRejected(Arrays.copyOf(ENVELOPE, HEADER + 2 * CT_CHUNK + extra));
    }
  }

  @Test
  void inspect_rejectsPayloadWhosePaddedLengthIsNotAPadmeLength() {
    // 150,000 bytes pad to 151,552 = 2 full chunks + 20,480 in a final chunk of 20,496 bytes.
    assertThat(Padme.padme(150_001)).isEqualTo(151_552);
    for (int delta : new int[] {-1, 1, -100, 4095}) {
      long padded = 151_552L + delta;
      assertThat(Padme.isPaddedLength(padded)).isFalse();
      byte[] e = delta < 0 ? Arrays.copyOf(ENVELOPE, ENVELOPE.length + delta)
          : concat(ENVELOPE, new byte[delta]);
      assertRejected(e);
    }
  }

  @Test
  void inspect_cannotDetectTruncationToAValidPaddedLengthButOpenDoes() throws Exception {
    // Documented limit: without a key, two full chunks (131,072 = valid Padmé length) look
    // like a complete envelope. Only open() sees that the last-chunk flag is wrong.
    assertThat(Padme.isPaddedLength(2L * CHUNK)).isTrue();
    byte[] truncated = Arrays.copyOf(ENVELOPE, HEADER + 2 * CT_CHUNK);
    assertThat(inspect(truncated).totalLength()).isEqualTo(truncated.length);
    assertDoesNotOpen(truncated, ALICE);
  }
}
