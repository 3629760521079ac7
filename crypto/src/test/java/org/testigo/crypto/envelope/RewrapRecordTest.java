package org.testigo.crypto.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.testigo.crypto.envelope.EnvelopeFixtures.*;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class RewrapRecordTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] ENVELOPE = seal(data(70_000, 5), ALICE, BOB);
  private static final int HEADER = headerLength(CONTEXT, 2);

  private static byte[] filled(int b) {
    byte[] a = new byte[32];
    Arrays.fill(a, (byte) b);
    return a;
  }

  @Test
  void hash_matchesTheKnownAnswerComputedIndependently() {
    // python3: sha256(b"testigo-rewrap-v1\0" + b"\1"*32 + b"\2"*32 + sha256(b"header"))
    RewrapRecord r = RewrapRecord.of(filled(1), filled(2), "header".getBytes(StandardCharsets.US_ASCII));
    assertThat(r.encoded()).hasSize(RewrapRecord.LENGTH).hasSize(114);
    assertThat(HEX.formatHex(r.hash()))
        .isEqualTo("4c5eba2fcb626497c4f482b65d4be40a204e115692e833971ccfee6f51ba33e6");
  }

  @Test
  void hash_changesWithEveryField() {
    byte[] base = RewrapRecord.of(filled(1), filled(2), new byte[] {3}).hash();
    assertThat(RewrapRecord.of(filled(9), filled(2), new byte[] {3}).hash()).isNotEqualTo(base);
    assertThat(RewrapRecord.of(filled(1), filled(9), new byte[] {3}).hash()).isNotEqualTo(base);
    assertThat(RewrapRecord.of(filled(1), filled(2), new byte[] {4}).hash()).isNotEqualTo(base);
  }

  @Test
  void constructor_refusesHashesOfTheWrongLength() {
    assertThatThrownBy(() -> new RewrapRecord(new byte[31], filled(1), filled(2)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RewrapRecord(filled(1), null, filled(2)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void isRewrapOf_acceptsARealRewrapAndTheSameHeader() throws Exception {
    byte[] old = Arrays.copyOf(ENVELOPE, HEADER);
    byte[] rewrapped = Envelope.rewrapHeader(new ByteArrayInputStream(ENVELOPE), ALICE, CONTEXT,
        List.of(CAROL.publicKey()), RANDOM);
    assertThat(Envelope.isRewrapOf(old, rewrapped)).isTrue();
    assertThat(Envelope.isRewrapOf(old, old)).isTrue();
  }

  @Test
  void isRewrapOf_refusesAHeaderOfAnotherPayloadOrContext() {
    byte[] old = Arrays.copyOf(ENVELOPE, HEADER);
    byte[] other = Arrays.copyOf(seal(data(70_000, 5), ALICE, BOB), HEADER);
    assertThat(Envelope.isRewrapOf(old, other)).as("other salt").isFalse();
    byte[] reply = seal(data(100, 1), Envelope.CONTEXT_REPLY, ALICE);
    byte[] replyHeader = Arrays.copyOf(reply, headerLength(Envelope.CONTEXT_REPLY, 1));
    assertThat(Envelope.isRewrapOf(old, replyHeader)).as("other context").isFalse();
  }

  @Test
  void isRewrapOf_refusesGarbageTruncatedOrTrailingBytes() {
    byte[] old = Arrays.copyOf(ENVELOPE, HEADER);
    assertThat(Envelope.isRewrapOf(old, new byte[0])).isFalse();
    assertThat(Envelope.isRewrapOf(old, data(HEADER, 7))).isFalse();
    assertThat(Envelope.isRewrapOf(old, Arrays.copyOf(old, HEADER - 1))).isFalse();
    assertThat(Envelope.isRewrapOf(old, Arrays.copyOf(ENVELOPE, HEADER + 1))).isFalse();
    assertThat(Envelope.isRewrapOf(data(HEADER, 8), old)).isFalse();
    byte[] flipped = old.clone();
    flipped[4] ^= 1; // version
    assertThat(Envelope.isRewrapOf(old, flipped)).isFalse();
  }
}
