package org.testigo.crypto.envelope;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.key.RecipientPublicKey;

/** Keys, sealing helpers and the byte offsets of envelope v1 fields, shared by the tests. */
final class EnvelopeFixtures {
  static final SecureRandom RANDOM = new SecureRandom();
  static final RecipientPrivateKey ALICE = key(1);
  static final RecipientPrivateKey BOB = key(2);
  static final RecipientPrivateKey CAROL = key(3);
  static final String CONTEXT = Envelope.CONTEXT_REPORT;

  static final int CHUNK = EnvelopeHeader.CHUNK_SIZE;
  static final int CT_CHUNK = CHUNK + 16;
  static final int STANZA = EnvelopeHeader.STANZA_LENGTH;

  private EnvelopeFixtures() {}

  static RecipientPrivateKey key(int n) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) n);
    return RecipientPrivateKey.fromSeed(seed);
  }

  static byte[] data(int length, long seed) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }

  static byte[] seal(byte[] plaintext, String context, RecipientPrivateKey... recipients) {
    List<RecipientPublicKey> pks = Arrays.stream(recipients).map(RecipientPrivateKey::publicKey)
        .toList();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      Envelope.seal(new ByteArrayInputStream(plaintext), out, pks, context, RANDOM);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] seal(byte[] plaintext, RecipientPrivateKey... recipients) {
    return seal(plaintext, CONTEXT, recipients);
  }

  static int contextOffset() {
    return 8;
  }

  static int saltOffset(String context) {
    return 8 + context.length();
  }

  static int stanzaCountOffset(String context) {
    return saltOffset(context) + 32;
  }

  static int stanzaOffset(String context, int i) {
    return stanzaCountOffset(context) + 1 + i * STANZA;
  }

  static int headerLength(String context, int stanzas) {
    return stanzaOffset(context, stanzas) + 32;
  }

  static int macOffset(String context, int stanzas) {
    return stanzaOffset(context, stanzas);
  }

  static byte[] flipBit(byte[] b, int index, int bit) {
    byte[] c = b.clone();
    c[index] ^= (byte) (1 << bit);
    return c;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static void assertFailsGenerically(ThrowingCallable call) {
    assertThatThrownBy(call).isExactlyInstanceOf(CryptoException.class)
        .hasMessage(CryptoException.GENERIC).hasNoCause();
  }

  static void assertDoesNotOpen(byte[] envelope, RecipientPrivateKey key) {
    assertFailsGenerically(() -> Envelope.open(envelope, key, CONTEXT));
  }
}
