package org.testigo.crypto.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.testigo.crypto.envelope.EnvelopeFixtures.*;

import org.junit.jupiter.api.Test;

/** Flipping any single bit anywhere in an envelope makes it fail to open, for every byte. */
class EnvelopeBitFlipPropertyTest {

  @Test
  void open_failsForASingleBitFlipInEveryByte() throws Exception {
    byte[] plaintext = data(3 * 1024, 42);
    byte[] envelope = seal(plaintext, ALICE, BOB);
    assertThat(Envelope.open(envelope, ALICE, CONTEXT)).isEqualTo(plaintext);
    assertThat(envelope.length).isGreaterThan(headerLength(CONTEXT, 2) + 3 * 1024);
    for (int i = 0; i < envelope.length; i++) {
      // Bit position cycles with the byte index and shifts every 8 bytes, so every bit
      // position is tried in every field at several alignments.
      int bit = (i + i / 8) % 8;
      assertDoesNotOpen(flipBit(envelope, i, bit), i % 2 == 0 ? ALICE : BOB);
    }
  }
}
