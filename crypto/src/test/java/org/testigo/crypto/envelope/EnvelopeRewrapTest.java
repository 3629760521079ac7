package org.testigo.crypto.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.testigo.crypto.envelope.EnvelopeFixtures.*;

import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvelopeRewrapTest {
  private static final byte[] PLAINTEXT = data(140_000, 31);
  private static final byte[] ENVELOPE = seal(PLAINTEXT, ALICE, BOB);
  private static final int HEADER = headerLength(CONTEXT, 2);

  private static byte[] payload() {
    return Arrays.copyOfRange(ENVELOPE, HEADER, ENVELOPE.length);
  }

  @Test
  void rewrapHeader_producesEnvelopeThatOpensForNewRecipientsOnly() throws Exception {
    ByteArrayInputStream in = new ByteArrayInputStream(ENVELOPE);
    byte[] header = Envelope.rewrapHeader(in, BOB, CONTEXT,
        List.of(CAROL.publicKey(), BOB.publicKey()), RANDOM);
    assertThat(in.readAllBytes()).as("reads exactly the header").isEqualTo(payload());
    byte[] rewrapped = concat(header, payload());
    assertThat(Envelope.open(rewrapped, CAROL, CONTEXT)).isEqualTo(PLAINTEXT);
    assertThat(Envelope.open(rewrapped, BOB, CONTEXT)).isEqualTo(PLAINTEXT);
    assertDoesNotOpen(rewrapped, ALICE);
  }

  @Test
  void rewrapHeader_keepsContextAndSaltAndReplacesStanzasAndMac() throws Exception {
    byte[] header = Envelope.rewrapHeader(new ByteArrayInputStream(ENVELOPE), ALICE, CONTEXT,
        List.of(CAROL.publicKey()), RANDOM);
    assertThat(header).hasSize(headerLength(CONTEXT, 1));
    int saltEnd = stanzaCountOffset(CONTEXT);
    assertThat(Arrays.copyOf(header, saltEnd)).isEqualTo(Arrays.copyOf(ENVELOPE, saltEnd));
    assertThat(header[saltEnd]).isEqualTo((byte) 1);
    EnvelopeInfo info = Envelope.inspect(new ByteArrayInputStream(concat(header, payload())),
        java.io.OutputStream.nullOutputStream());
    assertThat(info.recipients()).containsExactly(CAROL.publicKey().fingerprint());
  }

  @Test
  void rewrapHeader_failsForKeyThatIsNotARecipient() {
    assertFailsGenerically(() -> Envelope.rewrapHeader(new ByteArrayInputStream(ENVELOPE),
        CAROL, CONTEXT, List.of(CAROL.publicKey()), RANDOM));
  }

  @Test
  void rewrapHeader_failsForWrongContext() {
    assertFailsGenerically(() -> Envelope.rewrapHeader(new ByteArrayInputStream(ENVELOPE),
        ALICE, Envelope.CONTEXT_REPLY, List.of(CAROL.publicKey()), RANDOM));
  }

  @Test
  void rewrapHeader_failsWhenHeaderIsModified() {
    for (int offset : new int[] {saltOffset(CONTEXT), stanzaOffset(CONTEXT, 1) + 40,
        macOffset(CONTEXT, 2) + 5}) {
      byte[] modified = flipBit(ENVELOPE, offset, 0);
      assertFailsGenerically(() -> Envelope.rewrapHeader(new ByteArrayInputStream(modified),
          ALICE, CONTEXT, List.of(CAROL.publicKey()), RANDOM));
    }
  }

  @Test
  void rewrapHeader_failsForTruncatedHeader() {
    byte[] truncated = Arrays.copyOf(ENVELOPE, HEADER - 1);
    assertFailsGenerically(() -> Envelope.rewrapHeader(new ByteArrayInputStream(truncated),
        ALICE, CONTEXT, List.of(CAROL.publicKey()), RANDOM));
  }

  @Test
  void rewrapHeader_rejectsInvalidNewRecipientLists() {
    assertThatThrownBy(() -> Envelope.rewrapHeader(new ByteArrayInputStream(ENVELOPE), ALICE,
        CONTEXT, List.of(), RANDOM)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Envelope.rewrapHeader(new ByteArrayInputStream(ENVELOPE), ALICE,
        CONTEXT, List.of(CAROL.publicKey(), CAROL.publicKey()), RANDOM))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
