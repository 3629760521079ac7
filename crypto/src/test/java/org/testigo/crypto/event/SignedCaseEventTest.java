package org.testigo.crypto.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.sign.SignatureDomain;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.crypto.sign.SigningPublicKey;

class SignedCaseEventTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final CaseId CASE = CaseId.fromHex("00112233445566778899aabbccddeeff");
  private static final Instant T = Instant.parse("2026-03-02T10:15:00Z");
  private static final byte[] CONTENT = "sealed".getBytes(StandardCharsets.US_ASCII);

  private static JsonNode golden() throws Exception {
    try (InputStream in = SignedCaseEventTest.class.getResourceAsStream(
        "/golden/case-event-v1.json")) {
      return new ObjectMapper().readTree(in);
    }
  }

  private static byte[] goldenEncoded() throws Exception {
    return HEX.parseHex(golden().get("encoded_hex").asText());
  }

  private static SigningPublicKey goldenAuthor() throws Exception {
    return SigningPublicKey.fromBytes(HEX.parseHex(golden().get("author_public_key_hex").asText()));
  }

  private static EventId id(String label) {
    return EventId.fromBytes(TestKeys.seed(label));
  }

  @Test
  void golden_parsesVerifiesAndReEncodesByteForByte() throws Exception {
    JsonNode g = golden();
    byte[] encoded = goldenEncoded();
    SignedCaseEvent e = SignedCaseEvent.parse(encoded);
    assertThat(e.verify(goldenAuthor())).isTrue();
    assertThat(e.version()).isEqualTo(1);
    assertThat(e.caseId().hex()).isEqualTo(g.get("case_id_hex").asText());
    assertThat(e.lamport()).isEqualTo(g.get("lamport").asLong());
    assertThat(e.createdAt().getEpochSecond()).isEqualTo(g.get("created_at").asLong());
    assertThat(e.parents()).extracting(EventId::hex).containsExactly(
        g.get("parents_hex").get(0).asText(), g.get("parents_hex").get(1).asText());
    assertThat(HEX.formatHex(e.contentSha256())).isEqualTo(g.get("content_sha256_hex").asText());
    assertThat(HEX.formatHex(e.body())).isEqualTo(g.get("body_hex").asText());
    assertThat(e.eventId().hex()).isEqualTo(g.get("event_id_hex").asText());
    assertThat(HEX.formatHex(e.signature())).isEqualTo(g.get("signature_hex").asText());
    assertThat(e.encoded()).isEqualTo(encoded);
    assertThat(e.matchesContent(g.get("content_ascii").asText().getBytes(StandardCharsets.US_ASCII)))
        .isTrue();
    SignedCaseEvent rebuilt = SignedCaseEvent.create(e.caseId(), e.author(), e.lamport(),
        e.parents(), e.createdAt(), e.contentSha256(), e.signature());
    assertThat(rebuilt).isEqualTo(e);
    assertThat(rebuilt.verify(goldenAuthor())).isTrue();
  }

  @Test
  void golden_isReproducedByteForByteFromItsInputs() throws Exception {
    assertThat(GoldenCaseEventWriter.build().encoded()).isEqualTo(goldenEncoded());
  }

  @Test
  void eventId_isSha256OfTheBody() throws Exception {
    SignedCaseEvent e = SignedCaseEvent.parse(goldenEncoded());
    assertThat(e.eventId().toBytes())
        .isEqualTo(MessageDigest.getInstance("SHA-256").digest(e.body()));
  }

  @Test
  void verify_failsForEveryFlippedBit() throws Exception {
    byte[] good = goldenEncoded();
    SigningPublicKey author = goldenAuthor();
    int parsedButRejected = 0;
    int parseErrors = 0;
    for (int i = 0; i < good.length * 8; i++) {
      byte[] bad = good.clone();
      bad[i / 8] ^= (byte) (1 << (i % 8));
      SignedCaseEvent e;
      try {
        e = SignedCaseEvent.parse(bad);
      } catch (CryptoException ex) {
        parseErrors++;
        continue;
      }
      assertThat(e.verify(author)).as("bit %d", i).isFalse();
      assertThat(e.verify(e.author())).as("bit %d under embedded key", i).isFalse();
      parsedButRejected++;
    }
    assertThat(parsedButRejected + parseErrors).isEqualTo(good.length * 8);
    assertThat(parsedButRejected).isPositive();
    assertThat(parseErrors).isPositive();
  }

  @Test
  void parse_rejectsTruncationExtensionAndGarbage() throws Exception {
    byte[] good = goldenEncoded();
    for (int n = 0; n < good.length; n++) {
      byte[] cut = Arrays.copyOf(good, n);
      assertThatThrownBy(() -> SignedCaseEvent.parse(cut)).as("length %d", n)
          .isInstanceOf(CryptoException.class);
    }
    for (int extra = 1; extra <= 64; extra++) {
      byte[] longer = Arrays.copyOf(good, good.length + extra);
      assertThatThrownBy(() -> SignedCaseEvent.parse(longer)).isInstanceOf(CryptoException.class);
    }
    assertThatThrownBy(() -> SignedCaseEvent.parse(null)).isInstanceOf(CryptoException.class);
    Random r = new Random(7);
    for (int i = 0; i < 2000; i++) {
      byte[] junk = new byte[r.nextInt(SignedCaseEvent.MAX_ENCODED_LENGTH + 40)];
      r.nextBytes(junk);
      if (junk.length > 0 && r.nextBoolean()) {
        junk[0] = 1;
      }
      try {
        SignedCaseEvent e = SignedCaseEvent.parse(junk);
        assertThat(e.verify(e.author())).isFalse();
      } catch (CryptoException expected) {
        // the generic exception is the only allowed failure
      }
    }
  }

  @Test
  void parse_rejectsOutOfRangeFields() throws Exception {
    byte[] good = goldenEncoded();
    int lamportAt = 1 + 16 + 32;
    int timeAt = lamportAt + 8;
    int countAt = SignedCaseEvent.FIXED_BODY_LENGTH - 1;
    assertThatThrownBy(() -> SignedCaseEvent.parse(with(good, 0, (byte) 2)))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> SignedCaseEvent.parse(withLong(good, lamportAt, 0)))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> SignedCaseEvent.parse(withLong(good, lamportAt, -1)))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> SignedCaseEvent.parse(withLong(good, timeAt, -1)))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> SignedCaseEvent.parse(
        withLong(good, timeAt, SignedCaseEvent.MAX_CREATED_AT + 1)))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> SignedCaseEvent.parse(with(good, countAt, (byte) 1)))
        .isInstanceOf(CryptoException.class);
    assertThatThrownBy(() -> SignedCaseEvent.parse(with(good, countAt, (byte) 17)))
        .isInstanceOf(CryptoException.class);
    byte[] identityPoint = good.clone();
    Arrays.fill(identityPoint, 17, 49, (byte) 0);
    identityPoint[17] = 1;
    assertThatThrownBy(() -> SignedCaseEvent.parse(identityPoint))
        .isInstanceOf(CryptoException.class);
  }

  @Test
  void parse_rejectsUnsortedOrDuplicateParentsEvenWhenValidlySigned() {
    SigningPrivateKey k = TestKeys.signing("luis");
    EventId a = id("a");
    EventId b = id("b");
    EventId low = a.compareTo(b) < 0 ? a : b;
    EventId high = a.compareTo(b) < 0 ? b : a;
    for (List<EventId> order : List.of(List.of(high, low), List.of(low, low))) {
      ByteBuffer body = ByteBuffer.allocate(SignedCaseEvent.FIXED_BODY_LENGTH + 64);
      body.put((byte) 1).put(CASE.toBytes()).put(k.publicKey().toBytes()).putLong(2)
          .putLong(T.getEpochSecond()).put(SignedCaseEvent.contentHash(CONTENT)).put((byte) 2)
          .put(order.get(0).toBytes()).put(order.get(1).toBytes());
      byte[] sig = k.sign(SignatureDomain.CASE_EVENT, body.array());
      byte[] enc = Arrays.copyOf(body.array(), body.capacity() + 64);
      System.arraycopy(sig, 0, enc, body.capacity(), 64);
      assertThat(k.publicKey().verify(SignatureDomain.CASE_EVENT, body.array(), sig)).isTrue();
      assertThatThrownBy(() -> SignedCaseEvent.parse(enc)).isInstanceOf(CryptoException.class);
    }
  }

  @Test
  void sign_sortsAndDeduplicatesParentsAndRoundTrips() throws Exception {
    SigningPrivateKey k = TestKeys.signing("luis");
    List<EventId> parents = new ArrayList<>();
    for (int i = 16; i > 0; i--) {
      parents.add(id("p" + i));
    }
    parents.add(id("p3"));
    SignedCaseEvent e = SignedCaseEvent.sign(k, CASE, 9, parents, T.plusMillis(999), CONTENT);
    assertThat(e.parents()).hasSize(16).isSorted();
    assertThat(e.createdAt()).isEqualTo(T);
    assertThat(e.encoded()).hasSize(SignedCaseEvent.MAX_ENCODED_LENGTH);
    SignedCaseEvent back = SignedCaseEvent.parse(e.encoded());
    assertThat(back).isEqualTo(e);
    assertThat(back.eventId()).isEqualTo(e.eventId());
    assertThat(back.verify(k.publicKey())).isTrue();
    SignedCaseEvent root = SignedCaseEvent.sign(k, CASE, 1, List.of(), T, CONTENT);
    assertThat(root.encoded()).hasSize(SignedCaseEvent.MIN_ENCODED_LENGTH);
    assertThat(SignedCaseEvent.parse(root.encoded()).verify(k.publicKey())).isTrue();
  }

  @Test
  void sign_refusesOutOfRangeFields() {
    SigningPrivateKey k = TestKeys.signing("luis");
    List<EventId> seventeen = new ArrayList<>();
    for (int i = 0; i < 17; i++) {
      seventeen.add(id("q" + i));
    }
    assertThatThrownBy(() -> SignedCaseEvent.sign(k, CASE, 1, seventeen, T, CONTENT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SignedCaseEvent.sign(k, CASE, 0, List.of(), T, CONTENT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SignedCaseEvent.sign(k, CASE, 1, List.of(),
        Instant.ofEpochSecond(-1), CONTENT)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SignedCaseEvent.signHash(k, CASE, 1, List.of(), T, new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SignedCaseEvent.create(CASE, k.publicKey(), 1, List.of(), T,
        new byte[32], new byte[63])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void verify_failsForAnotherKeyAndMatchesContentOnlyForTheSignedEnvelope() throws Exception {
    SigningPrivateKey luis = TestKeys.signing("luis");
    SignedCaseEvent e = SignedCaseEvent.sign(luis, CASE, 1, List.of(), T, CONTENT);
    assertThat(e.verify(luis.publicKey())).isTrue();
    assertThat(e.verify(TestKeys.signing("maria").publicKey())).isFalse();
    assertThat(e.verify(null)).isFalse();
    assertThatThrownBy(() -> e.verifyOrThrow(TestKeys.signing("maria").publicKey()))
        .isInstanceOf(CryptoException.class);
    assertThat(e.matchesContent(CONTENT)).isTrue();
    byte[] other = CONTENT.clone();
    other[0] ^= 1;
    assertThat(e.matchesContent(other)).isFalse();
    assertThat(e.matchesContent(null)).isFalse();
    SignedCaseEvent forged = SignedCaseEvent.create(CASE, luis.publicKey(), 1, List.of(), T,
        SignedCaseEvent.contentHash(other), e.signature());
    assertThat(forged.verify(luis.publicKey())).isFalse();
  }

  @Test
  void eventId_changesWithEveryField() {
    SigningPrivateKey k = TestKeys.signing("luis");
    List<EventId> ids = List.of(
        SignedCaseEvent.sign(k, CASE, 1, List.of(), T, CONTENT).eventId(),
        SignedCaseEvent.sign(k, CaseId.fromHex("00112233445566778899aabbccddeef0"), 1, List.of(),
            T, CONTENT).eventId(),
        SignedCaseEvent.sign(TestKeys.signing("maria"), CASE, 1, List.of(), T, CONTENT).eventId(),
        SignedCaseEvent.sign(k, CASE, 2, List.of(), T, CONTENT).eventId(),
        SignedCaseEvent.sign(k, CASE, 1, List.of(id("x")), T, CONTENT).eventId(),
        SignedCaseEvent.sign(k, CASE, 1, List.of(), T.plusSeconds(1), CONTENT).eventId(),
        SignedCaseEvent.sign(k, CASE, 1, List.of(), T, new byte[1]).eventId());
    assertThat(ids).doesNotHaveDuplicates();
  }

  @Test
  void ids_parseHexAndRejectWrongLengths() {
    assertThat(CaseId.fromHex(CASE.hex().toUpperCase())).isEqualTo(CASE);
    assertThatThrownBy(() -> CaseId.fromBytes(new byte[15]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CaseId.fromHex("00")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EventId.fromBytes(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class);
    EventId e = id("z");
    assertThat(EventId.fromHex(e.hex())).isEqualTo(e);
    byte[] copy = e.toBytes();
    copy[0] ^= 1;
    assertThat(e.toBytes()).isNotEqualTo(copy);
  }

  private static byte[] with(byte[] b, int at, byte v) {
    byte[] c = b.clone();
    c[at] = v;
    return c;
  }

  private static byte[] withLong(byte[] b, int at, long v) {
    byte[] c = b.clone();
    ByteBuffer.wrap(c).putLong(at, v);
    return c;
  }
}
