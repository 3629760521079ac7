package org.testigo.cli.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.key.RecipientPrivateKey;

/** {@link LocalCache#replaceHeader}: a rewrapped header goes in only when the result is the listed envelope. */
class LocalCacheRewrapTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final HexFormat HEX = HexFormat.of();
  static final String ID = "0123456789abcdef0123456789abcdef";
  static final RecipientPrivateKey ALICE = RecipientPrivateKey.generate(RANDOM);
  static final RecipientPrivateKey CAROL = RecipientPrivateKey.generate(RANDOM);
  @TempDir Path home;

  LocalCache cacheWith(byte[] envelope) throws Exception {
    LocalCache cache = LocalCache.open(home, "default");
    ObjectNode listing = new ObjectMapper().createObjectNode().put("seq", 1).put("id", ID).put("context", "report")
        .put("receivedDay", "2026-11-28").put("size", envelope.length).put("sha256", hex(envelope))
        .put("hasMailbox", false).put("caseId", ID);
    assertThat(cache.storeEnvelope(LocalCache.Submission.parse(listing), new ByteArrayInputStream(envelope))).isTrue();
    return cache;
  }

  static String hex(byte[] b) throws Exception {
    return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  static byte[] seal(byte[] plaintext) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream(plaintext), out, List.of(ALICE.publicKey()), Envelope.CONTEXT_REPORT, RANDOM);
    return out.toByteArray();
  }

  @Test
  void replaceHeader_keepsThePayloadAndRecordsTheGeneration() throws Exception {
    byte[] envelope = seal(new byte[100_000]);
    LocalCache cache = cacheWith(envelope);
    byte[] header = Envelope.rewrapHeader(new ByteArrayInputStream(envelope), ALICE, Envelope.CONTEXT_REPORT,
        List.of(CAROL.publicKey()), RANDOM);
    int old = (int) Envelope.inspectHeader(new ByteArrayInputStream(envelope)).headerLength();
    byte[] expected = concat(header, Arrays.copyOfRange(envelope, old, envelope.length));
    assertThat(cache.replaceHeader(ID, header, hex(expected), 1, CAROL)).isEqualTo(LocalCache.HeaderReplacement.REPLACED);
    assertThat(Files.readAllBytes(cache.envelope(ID))).isEqualTo(expected);
    assertThat(Envelope.open(expected, CAROL, Envelope.CONTEXT_REPORT)).hasSize(100_000);
    LocalCache.Submission s = cache.find(ID).orElseThrow();
    assertThat(s.rewraps()).isEqualTo(1);
    assertThat(s.currentSha256()).isEqualTo(hex(expected));
    assertThat(s.sha256()).as("the original hash stays").isEqualTo(hex(envelope));
  }

  @Test
  void replaceHeader_changesNothingWhenTheResultIsNotTheListedEnvelope() throws Exception {
    byte[] envelope = seal(new byte[1000]);
    LocalCache cache = cacheWith(envelope);
    byte[] header = Envelope.rewrapHeader(new ByteArrayInputStream(envelope), ALICE, Envelope.CONTEXT_REPORT,
        List.of(CAROL.publicKey()), RANDOM);
    byte[] json = Files.readAllBytes(home.resolve("cache/default/submissions/" + ID + ".json"));
    assertThat(cache.replaceHeader(ID, header, "00".repeat(32), 1, CAROL)).isEqualTo(LocalCache.HeaderReplacement.MISMATCH);
    assertThat(Files.readAllBytes(cache.envelope(ID))).isEqualTo(envelope);
    assertThat(Files.readAllBytes(home.resolve("cache/default/submissions/" + ID + ".json"))).isEqualTo(json);
    try (var files = Files.list(home.resolve("cache/default/submissions"))) {
      assertThat(files.count()).as("no temporary file left").isEqualTo(2);
    }
  }

  @Test
  void replaceHeader_refusesACachedFileWithoutAValidHeader() throws Exception {
    byte[] envelope = seal(new byte[10]);
    LocalCache cache = cacheWith(envelope);
    byte[] garbage = new byte[envelope.length];
    RANDOM.nextBytes(garbage);
    Files.write(cache.envelope(ID), garbage);
    assertThat(cache.replaceHeader(ID, Arrays.copyOf(envelope, 100), hex(envelope), 1, ALICE))
        .isEqualTo(LocalCache.HeaderReplacement.MISMATCH);
    assertThat(Files.readAllBytes(cache.envelope(ID))).isEqualTo(garbage);
  }

  /**
   * A seized server lists, as a "rewrap", another envelope's header over this one's payload and
   * its own hash of the result: the hash matches, but the result does not open, so the cached
   * copy keeps its header (it once replaced it, and the reviewer lost the report).
   */
  @Test
  void replaceHeader_keepsTheCachedCopyWhenTheResultDoesNotOpenWithTheReviewersKey() throws Exception {
    byte[] victim = seal(new byte[5000]);
    byte[] donor = seal(new byte[5000]);
    LocalCache cache = cacheWith(victim);
    byte[] json = Files.readAllBytes(home.resolve("cache/default/submissions/" + ID + ".json"));
    int donorHeader = (int) Envelope.inspectHeader(new ByteArrayInputStream(donor)).headerLength();
    int victimHeader = (int) Envelope.inspectHeader(new ByteArrayInputStream(victim)).headerLength();
    byte[] header = Arrays.copyOf(donor, donorHeader);
    byte[] forged = concat(header, Arrays.copyOfRange(victim, victimHeader, victim.length));
    assertThat(cache.replaceHeader(ID, header, hex(forged), 1, ALICE))
        .isEqualTo(LocalCache.HeaderReplacement.DOES_NOT_OPEN);
    assertThat(Files.readAllBytes(cache.envelope(ID))).isEqualTo(victim);
    assertThat(Files.readAllBytes(home.resolve("cache/default/submissions/" + ID + ".json"))).isEqualTo(json);
    // A true rewrap that leaves this reviewer out: their copy, which they can open, stays too.
    byte[] toCarol = Envelope.rewrapHeader(new ByteArrayInputStream(victim), ALICE, Envelope.CONTEXT_REPORT,
        List.of(CAROL.publicKey()), RANDOM);
    byte[] rewrapped = concat(toCarol, Arrays.copyOfRange(victim, victimHeader, victim.length));
    assertThat(cache.replaceHeader(ID, toCarol, hex(rewrapped), 1, ALICE))
        .isEqualTo(LocalCache.HeaderReplacement.DOES_NOT_OPEN);
    assertThat(Files.readAllBytes(cache.envelope(ID))).isEqualTo(victim);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
