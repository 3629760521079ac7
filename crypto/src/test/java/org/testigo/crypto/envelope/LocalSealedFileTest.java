package org.testigo.crypto.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.key.RecipientPrivateKey;

class LocalSealedFileTest {
  private static final RecipientPrivateKey OWNER = TestKeys.recipient("maria");
  private static final SecureRandom RANDOM = new SecureRandom();

  private static byte[] open(byte[] sealed, RecipientPrivateKey key, String purpose) throws IOException {
    try (InputStream in = LocalSealedFile.opening(new ByteArrayInputStream(sealed), key, purpose)) {
      return in.readAllBytes();
    }
  }

  private static byte[] plaintext(int n) {
    byte[] p = new byte[n];
    for (int i = 0; i < n; i++) {
      p[i] = (byte) (i * 31 + 7);
    }
    return p;
  }

  @Test
  void roundTrip_atChunkBoundariesAndEmpty() throws IOException {
    for (int n : new int[] {0, 1, 65535, 65536, 65537, 3 * 65536, 200_000}) {
      byte[] p = plaintext(n);
      byte[] sealed = LocalSealedFile.seal(p, OWNER, "index default", RANDOM);
      assertThat(sealed.length).isEqualTo(8 + 32 + n + 16 * Math.max(1, (n + 65535) / 65536));
      assertThat(open(sealed, OWNER, "index default")).as("n=" + n).isEqualTo(p);
    }
  }

  @Test
  void open_failsWithAnyModifiedByte() throws IOException {
    byte[] sealed = LocalSealedFile.seal(plaintext(70_000), OWNER, "index", RANDOM);
    for (int i = 0; i < sealed.length; i += 997) {
      byte[] bad = sealed.clone();
      bad[i] ^= 0x01;
      assertThatThrownBy(() -> open(bad, OWNER, "index")).as("byte " + i)
          .isInstanceOf(LocalSealedFile.TamperedException.class);
    }
  }

  @Test
  void open_failsWhenTruncatedAtAChunkBoundaryOrExtended() throws IOException {
    byte[] sealed = LocalSealedFile.seal(plaintext(3 * 65536), OWNER, "index", RANDOM);
    int oneChunk = 40 + 65536 + 16;
    assertThatThrownBy(() -> open(Arrays.copyOf(sealed, oneChunk), OWNER, "index"))
        .isInstanceOf(LocalSealedFile.TamperedException.class);
    assertThatThrownBy(() -> open(Arrays.copyOf(sealed, sealed.length + 1), OWNER, "index"))
        .isInstanceOf(LocalSealedFile.TamperedException.class);
    assertThatThrownBy(() -> open(new byte[10], OWNER, "index"))
        .isInstanceOf(LocalSealedFile.TamperedException.class);
  }

  @Test
  void open_failsUnderAnotherKeyOrPurpose() throws IOException {
    byte[] sealed = LocalSealedFile.seal(plaintext(100), OWNER, "index a", RANDOM);
    assertThatThrownBy(() -> open(sealed, TestKeys.recipient("pedro"), "index a"))
        .isInstanceOf(LocalSealedFile.TamperedException.class);
    assertThatThrownBy(() -> open(sealed, OWNER, "index b"))
        .isInstanceOf(LocalSealedFile.TamperedException.class);
  }

  @Test
  void seal_usesAFreshSaltEachTime() throws IOException {
    byte[] a = LocalSealedFile.seal(plaintext(10), OWNER, "index", RANDOM);
    byte[] b = LocalSealedFile.seal(plaintext(10), OWNER, "index", RANDOM);
    assertThat(Arrays.copyOfRange(a, 8, 40)).isNotEqualTo(Arrays.copyOfRange(b, 8, 40));
    assertThat(Arrays.copyOfRange(a, 40, a.length)).isNotEqualTo(Arrays.copyOfRange(b, 40, b.length));
  }
}
