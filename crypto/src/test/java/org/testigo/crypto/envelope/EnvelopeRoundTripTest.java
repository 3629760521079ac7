package org.testigo.crypto.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.testigo.crypto.envelope.EnvelopeFixtures.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.key.RecipientPublicKey;

class EnvelopeRoundTripTest {

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 7, 100, 1023, 65535, 65536, 65537, 3 * 65536, 5 * 65536 + 17,
      1_000_000})
  void open_returnsSealedPlaintext(int length) throws Exception {
    byte[] plaintext = data(length, length);
    byte[] envelope = seal(plaintext, ALICE);
    assertThat(Envelope.open(envelope, ALICE, CONTEXT)).isEqualTo(plaintext);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 65535, 65536, 65537, 4 * 65536})
  void seal_producesPadmePaddedChunkedPayload(int length) {
    byte[] envelope = seal(data(length, 7), ALICE);
    long padded = Padme.padme(length + 1L);
    long chunks = (padded + CHUNK - 1) / CHUNK;
    assertThat((long) envelope.length)
        .isEqualTo(headerLength(CONTEXT, 1) + padded + 16 * chunks);
  }

  @Test
  void open_worksForEveryRecipient() throws Exception {
    byte[] plaintext = data(200_000, 3);
    byte[] envelope = seal(plaintext, ALICE, BOB, CAROL);
    for (RecipientPrivateKey k : List.of(ALICE, BOB, CAROL)) {
      assertThat(Envelope.open(envelope, k, CONTEXT)).isEqualTo(plaintext);
    }
  }

  @Test
  void open_worksWithSixtyFourRecipients() throws Exception {
    List<RecipientPrivateKey> keys = IntStream.range(10, 74).mapToObj(EnvelopeFixtures::key)
        .toList();
    byte[] plaintext = data(5000, 4);
    byte[] envelope = seal(plaintext, CONTEXT, keys.toArray(new RecipientPrivateKey[0]));
    assertThat(Envelope.open(envelope, keys.get(0), CONTEXT)).isEqualTo(plaintext);
    assertThat(Envelope.open(envelope, keys.get(63), CONTEXT)).isEqualTo(plaintext);
  }

  @Test
  void sealing_streamsWritesOfAnySizeIncludingSingleBytes() throws Exception {
    byte[] plaintext = data(150_000, 5);
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream s = Envelope.sealing(sink, List.of(BOB.publicKey()), CONTEXT, RANDOM)) {
      s.write(plaintext, 0, 10);
      s.write(plaintext[10]);
      s.write(plaintext, 11, 65536);
      s.write(plaintext, 65547, plaintext.length - 65547);
    }
    assertThat(Envelope.open(sink.toByteArray(), BOB, CONTEXT)).isEqualTo(plaintext);
  }

  @ParameterizedTest
  @ValueSource(ints = {65537, 131072, 131073, 300_000})
  void sealing_handlesSingleLargeWritesThatSpanChunks(int length) throws Exception {
    byte[] plaintext = data(length, length + 1);
    for (int prefix : new int[] {0, 1, 65536}) {
      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      try (OutputStream s = Envelope.sealing(sink, List.of(BOB.publicKey()), CONTEXT, RANDOM)) {
        s.write(plaintext, 0, Math.min(prefix, length));
        s.write(plaintext, Math.min(prefix, length), length - Math.min(prefix, length));
      }
      assertThat(sink.size()).isEqualTo(seal(plaintext, BOB).length);
      assertThat(Envelope.open(sink.toByteArray(), BOB, CONTEXT)).isEqualTo(plaintext);
    }
  }

  @Test
  void open_streamsToOutputStream() throws Exception {
    byte[] plaintext = data(300_000, 6);
    byte[] envelope = seal(plaintext, ALICE);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Envelope.open(new ByteArrayInputStream(envelope), out, ALICE, CONTEXT);
    assertThat(out.toByteArray()).isEqualTo(plaintext);
  }

  @Test
  void open_preservesTrailingPaddingLikeBytesInData() throws Exception {
    byte[] plaintext = new byte[70_000];
    plaintext[0] = 1;
    plaintext[65535] = (byte) 0x80;
    plaintext[69_000] = (byte) 0x80;
    byte[] envelope = seal(plaintext, ALICE);
    assertThat(Envelope.open(envelope, ALICE, CONTEXT)).isEqualTo(plaintext);
    byte[] zeros = new byte[200_000];
    assertThat(Envelope.open(seal(zeros, ALICE), ALICE, CONTEXT)).isEqualTo(zeros);
  }

  @Test
  void seal_usesFreshKeysEachTime() {
    byte[] plaintext = data(100, 8);
    assertThat(seal(plaintext, ALICE)).isNotEqualTo(seal(plaintext, ALICE));
  }

  @Test
  void sealing_rejectsInvalidArguments() {
    List<RecipientPublicKey> one = List.of(ALICE.publicKey());
    OutputStream sink = OutputStream.nullOutputStream();
    assertThatThrownBy(() -> Envelope.sealing(sink, List.of(), CONTEXT, RANDOM))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Envelope.sealing(sink,
        List.of(ALICE.publicKey(), BOB.publicKey(), ALICE.publicKey()), CONTEXT, RANDOM))
        .isInstanceOf(IllegalArgumentException.class);
    List<RecipientPublicKey> many = Collections.nCopies(65, ALICE.publicKey());
    assertThatThrownBy(() -> Envelope.sealing(sink, many, CONTEXT, RANDOM))
        .isInstanceOf(IllegalArgumentException.class);
    for (String bad : new String[] {"", "Report", "re port", "rép", "a".repeat(65), "x_y"}) {
      assertThatThrownBy(() -> Envelope.sealing(sink, one, bad, RANDOM))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void sealing_acceptsEveryContextCharacterAndMaximumLength() throws Exception {
    String context = "abcdefghijklmnopqrstuvwxyz-0123456789-" + "z".repeat(26);
    assertThat(context).hasSize(64);
    byte[] envelope = seal(data(10, 1), context, ALICE);
    assertThat(Envelope.open(envelope, ALICE, context)).isEqualTo(data(10, 1));
  }

  @Test
  void sealing_rejectsWritesAfterClose() throws Exception {
    OutputStream s = Envelope.sealing(OutputStream.nullOutputStream(),
        List.of(ALICE.publicKey()), CONTEXT, RANDOM);
    s.close();
    s.close();
    assertThatThrownBy(() -> s.write(1)).isInstanceOf(java.io.IOException.class);
  }
}
