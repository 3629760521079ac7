package org.testigo.crypto.envelope;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.internal.XWingHpke;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.key.RecipientPublicKey;

/**
 * Sealed envelopes, format v1 (specified byte by byte in SECURITY.md, "Envelope v1").
 *
 * <p>An envelope encrypts a stream of any length to 1..64 X-Wing recipient keys. It
 * guarantees, to the holder of one recipient private key and an expected context:
 * confidentiality (hybrid post-quantum HPKE wraps a random file key; AES-256-GCM encrypts
 * the payload), integrity of the whole envelope (header MAC, per-chunk tags, a last-chunk
 * flag against truncation and extension), binding to the context (an envelope sealed as a
 * {@code "reply"} does not open as a {@code "report"}), and constant memory for any size.
 * The plaintext length is hidden up to Padmé padding (at most about 12% overhead).
 *
 * <p>It does NOT authenticate the sender: anyone with a recipient's public key can seal,
 * and any recipient of an envelope can forge another envelope to the same or other keys
 * with the same file key (see {@link #rewrapHeader}). Authenticity, where needed, comes
 * from signatures outside the envelope.
 *
 * <p>Every failure to open is the one generic {@link CryptoException}, without detail.
 */
public final class Envelope {
  public static final String CONTEXT_REPORT = "report";
  public static final String CONTEXT_REPLY = "reply";
  public static final String CONTEXT_CASE_EVENT = "case-event";
  public static final String CONTEXT_FOLLOW_UP = "follow-up";
  /** A possession challenge's nonce, sealed by an auditor to one reviewer (docs/spec/merkle-log-and-proofs.md §5.1). */
  public static final String CONTEXT_CHALLENGE = "possession-challenge";
  /**
   * A server backup archive, sealed by the server host to the backup key of its period
   * (docs/spec/retention-and-erasure.md §7). Never accepted from a source or a reviewer.
   */
  public static final String CONTEXT_BACKUP = "backup";
  /** The only format version this class writes and reads. */
  public static final int VERSION = EnvelopeHeader.VERSION;
  /** Most recipients one envelope can name. */
  public static final int MAX_RECIPIENTS = EnvelopeHeader.MAX_STANZAS;

  private Envelope() {}

  /**
   * Returns a stream that seals everything written to it into {@code out}. The header is
   * written at once; {@link OutputStream#close()} pads, seals the final chunk and closes
   * {@code out}. An envelope whose sealing stream was not closed does not open.
   *
   * @param recipients 1..64 distinct keys
   * @param context 1..64 characters of {@code [a-z0-9-]}, e.g. {@link #CONTEXT_REPORT}
   * @throws IllegalArgumentException for an invalid recipient list or context
   */
  public static OutputStream sealing(OutputStream out, List<RecipientPublicKey> recipients,
      String context, SecureRandom random) throws IOException {
    Objects.requireNonNull(random, "random");
    return sealing(out, recipients, context, random, null, null, null, true);
  }

  /**
   * Seals all of {@code in} into {@code out} (which is flushed, not closed).
   *
   * @throws IllegalArgumentException for an invalid recipient list or context
   */
  public static void seal(InputStream in, OutputStream out, List<RecipientPublicKey> recipients,
      String context, SecureRandom random) throws IOException {
    Objects.requireNonNull(random, "random");
    try (SealingOutputStream sealing =
        sealing(out, recipients, context, random, null, null, null, false)) {
      sealing.transferFrom(in);
    }
  }

  /**
   * Opens an envelope, writing the plaintext to {@code out} as it is authenticated, chunk by
   * chunk, in constant memory. Reads {@code in} to its end: bytes after the envelope make it
   * fail.
   *
   * <p>WARNING: on {@link CryptoException} some plaintext may already have been written (each
   * piece authenticated, but the whole not yet): the caller MUST discard everything written.
   *
   * @throws CryptoException if the envelope is malformed, modified, truncated, extended, of
   *     another context, or not addressed to {@code key}
   */
  public static void open(InputStream in, OutputStream out, RecipientPrivateKey key,
      String expectedContext) throws CryptoException, IOException {
    EnvelopeHeader.checkContext(expectedContext);
    EnvelopeHeader header = EnvelopeHeader.read(in);
    FileKey fileKey = unlock(header, key, expectedContext);
    byte[] payloadKey = EnvelopeKdf.payloadKey(fileKey, header.salt(), header.context());
    fileKey.destroy();
    try {
      ChunkCipher cipher = ChunkCipher.forOpening(payloadKey);
      ChunkReader reader = new ChunkReader(in, null);
      Unpadder unpadder = new Unpadder(out);
      byte[] plain = new byte[EnvelopeHeader.CHUNK_SIZE];
      long counter = 0;
      int n;
      while ((n = reader.next()) >= 0) {
        int m = cipher.open(counter++, reader.isLast(), reader.buffer(), n, plain);
        unpadder.accept(plain, m);
      }
      unpadder.finish();
      Arrays.fill(plain, (byte) 0);
    } finally {
      Arrays.fill(payloadKey, (byte) 0);
    }
  }

  /** Opens a small envelope held in memory; see {@link #open(InputStream, OutputStream,
   * RecipientPrivateKey, String)}. On failure no plaintext is returned. */
  public static byte[] open(byte[] envelope, RecipientPrivateKey key, String expectedContext)
      throws CryptoException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      open(new ByteArrayInputStream(envelope), out, key, expectedContext);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Checks the structure of an envelope without any key and copies it to {@code copyTo}:
   * the header parses strictly, the payload splits into chunks of valid lengths, and the
   * padded plaintext length is a valid Padmé length. It cannot check the MAC or tags:
   * an envelope that passes may still fail to open.
   *
   * @throws CryptoException on any structural defect (bytes already copied must be discarded)
   */
  public static EnvelopeInfo inspect(InputStream in, OutputStream copyTo)
      throws CryptoException, IOException {
    Objects.requireNonNull(copyTo, "copyTo");
    EnvelopeHeader header = EnvelopeHeader.read(in);
    copyTo.write(header.encoded());
    ChunkReader reader = new ChunkReader(in, copyTo);
    long padded = 0;
    int n;
    while ((n = reader.next()) >= 0) {
      padded += n - ChunkCipher.TAG_LENGTH;
    }
    if (!Padme.isPaddedLength(padded)) {
      throw new CryptoException();
    }
    List<Fingerprint> recipients = new ArrayList<>();
    for (EnvelopeHeader.Stanza s : header.stanzas()) {
      recipients.add(s.fingerprint());
    }
    return new EnvelopeInfo(VERSION, header.context(), recipients, header.length(),
        header.length() + reader.bytesRead());
  }

  /**
   * Parses only the header of an envelope (strictly, as {@link #inspect} does) and reads
   * nothing after it. For auditors who are shown the header without the payload: the
   * returned {@link EnvelopeInfo#totalLength()} is the header length, since the payload was
   * not seen. Says nothing about whether the header's MAC is valid.
   *
   * @throws CryptoException if the header is malformed or truncated
   */
  public static EnvelopeInfo inspectHeader(InputStream in) throws CryptoException, IOException {
    EnvelopeHeader header = EnvelopeHeader.read(in);
    List<Fingerprint> recipients = new ArrayList<>();
    for (EnvelopeHeader.Stanza s : header.stanzas()) {
      recipients.add(s.fingerprint());
    }
    return new EnvelopeInfo(VERSION, header.context(), recipients, header.length(),
        header.length());
  }

  /**
   * Reads exactly one header from {@code envelopeHead} (nothing after it), opens it with
   * {@code key}, and returns a new header with the same context, salt and file key, sealed to
   * {@code newRecipients}, with a new MAC. Prepended to the unchanged payload bytes of the old
   * envelope, it forms an envelope that opens for the new recipients.
   *
   * <p>WARNING: the file key does not change, so rewrapping does not revoke: anyone who could
   * open the old envelope can still open the payload.
   *
   * @throws CryptoException if the header does not open with {@code key} in {@code context}
   * @throws IllegalArgumentException for an invalid new recipient list or context
   */
  public static byte[] rewrapHeader(InputStream envelopeHead, RecipientPrivateKey key,
      String context, List<RecipientPublicKey> newRecipients, SecureRandom random)
      throws CryptoException, IOException {
    EnvelopeHeader.checkContext(context);
    checkRecipients(newRecipients);
    Objects.requireNonNull(random, "random");
    EnvelopeHeader header = EnvelopeHeader.read(envelopeHead);
    FileKey fileKey = unlock(header, key, context);
    try {
      return buildHeader(newRecipients, context, header.salt(), fileKey, random, null)
          .encoded();
    } finally {
      fileKey.destroy();
    }
  }

  /**
   * Checks without any key that {@code newHeader} can stand in front of the payload that
   * follows {@code oldHeader}: each is exactly one strictly parsed v1 header (no byte missing
   * or left over), with the same context and the same payload salt. Together with the file
   * key these are all the payload key depends on (SECURITY.md, "Keys"), so this is everything
   * that can be checked about a rewrap without a recipient key.
   *
   * <p>WARNING: it cannot check that the new stanzas wrap the same file key, nor the new MAC:
   * a header that passes may still not open the payload. Only a recipient of the new header
   * can find out, by opening the envelope.
   */
  public static boolean isRewrapOf(byte[] oldHeader, byte[] newHeader) {
    try {
      EnvelopeHeader a = readWhole(oldHeader);
      EnvelopeHeader b = readWhole(newHeader);
      return a.context().equals(b.context())
          && java.security.MessageDigest.isEqual(a.salt(), b.salt());
    } catch (CryptoException | IOException e) {
      return false;
    }
  }

  private static EnvelopeHeader readWhole(byte[] header) throws CryptoException, IOException {
    Objects.requireNonNull(header, "header");
    ByteArrayInputStream in = new ByteArrayInputStream(header);
    EnvelopeHeader h = EnvelopeHeader.read(in);
    if (in.available() != 0) {
      throw new CryptoException();
    }
    return h;
  }

  /**
   * Deterministic sealing for known-answer tests only: fixed file key, payload salt and one
   * 64-byte HPKE encapsulation seed per recipient. Reusing any of them breaks the envelope.
   */
  static OutputStream sealingDeterministic(OutputStream out, List<RecipientPublicKey> recipients,
      String context, byte[] fileKey, byte[] salt, List<byte[]> eseeds) throws IOException {
    if (eseeds.size() != recipients.size() || salt.length != EnvelopeHeader.SALT_LENGTH) {
      throw new IllegalArgumentException("one eseed per recipient and a 32-byte salt");
    }
    return sealing(out, recipients, context, null, new FileKey(fileKey), salt, eseeds, true);
  }

  private static SealingOutputStream sealing(OutputStream out,
      List<RecipientPublicKey> recipients, String context, SecureRandom random,
      FileKey fixedFileKey, byte[] fixedSalt,
      List<byte[]> eseeds, boolean closeUnderlying) throws IOException {
    Objects.requireNonNull(out, "out");
    EnvelopeHeader.checkContext(context);
    checkRecipients(recipients);
    FileKey fileKey = fixedFileKey != null ? fixedFileKey : FileKey.generate(random);
    byte[] salt;
    if (fixedSalt != null) {
      salt = fixedSalt.clone();
    } else {
      salt = new byte[EnvelopeHeader.SALT_LENGTH];
      random.nextBytes(salt);
    }
    byte[] payloadKey = EnvelopeKdf.payloadKey(fileKey, salt, context);
    try {
      EnvelopeHeader header = buildHeader(recipients, context, salt, fileKey, random, eseeds);
      ChunkCipher cipher = ChunkCipher.forSealing(payloadKey);
      out.write(header.encoded());
      return new SealingOutputStream(out, cipher, closeUnderlying);
    } finally {
      fileKey.destroy();
      Arrays.fill(payloadKey, (byte) 0);
    }
  }

  private static EnvelopeHeader buildHeader(List<RecipientPublicKey> recipients, String context,
      byte[] salt, FileKey fileKey, SecureRandom random, List<byte[]> eseeds) {
    byte[] info = EnvelopeKdf.hpkeInfo(context);
    List<EnvelopeHeader.Stanza> stanzas = new ArrayList<>(recipients.size());
    for (int i = 0; i < recipients.size(); i++) {
      RecipientPublicKey pk = recipients.get(i);
      byte[] fp = pk.fingerprint().toBytes();
      XWingHpke.Sealed sealed = eseeds == null
          ? XWingHpke.seal(pk.toBytes(), info, fp, fileKey.exposeSecret(), random)
          : XWingHpke.sealDeterministic(pk.toBytes(), info, fp, fileKey.exposeSecret(),
              eseeds.get(i));
      stanzas.add(new EnvelopeHeader.Stanza(pk.fingerprint(), sealed.enc(), sealed.ciphertext()));
    }
    byte[] macKey = EnvelopeKdf.macKey(fileKey);
    try {
      return EnvelopeHeader.build(context, salt, stanzas, macKey);
    } finally {
      Arrays.fill(macKey, (byte) 0);
    }
  }

  /** Finds this key's stanza, unwraps the file key and verifies the header MAC. */
  private static FileKey unlock(EnvelopeHeader header, RecipientPrivateKey key,
      String expectedContext) throws CryptoException {
    if (!header.context().equals(expectedContext)) {
      throw new CryptoException();
    }
    Fingerprint mine = key.publicKey().fingerprint();
    EnvelopeHeader.Stanza stanza = null;
    for (EnvelopeHeader.Stanza s : header.stanzas()) {
      if (s.fingerprint().equals(mine)) {
        stanza = s;
      }
    }
    if (stanza == null) {
      throw new CryptoException();
    }
    byte[] raw = key.openHpke(stanza.enc(), EnvelopeKdf.hpkeInfo(header.context()),
        mine.toBytes(), stanza.wrappedKey());
    FileKey fileKey;
    try {
      if (raw.length != FileKey.LENGTH) {
        throw new CryptoException();
      }
      fileKey = new FileKey(raw);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
    byte[] macKey = EnvelopeKdf.macKey(fileKey);
    try {
      if (!header.macMatches(macKey)) {
        fileKey.destroy();
        throw new CryptoException();
      }
    } finally {
      Arrays.fill(macKey, (byte) 0);
    }
    return fileKey;
  }

  private static void checkRecipients(List<RecipientPublicKey> recipients) {
    Objects.requireNonNull(recipients, "recipients");
    if (recipients.isEmpty() || recipients.size() > MAX_RECIPIENTS) {
      throw new IllegalArgumentException("an envelope has 1..64 recipients");
    }
    Set<Fingerprint> seen = new HashSet<>();
    for (RecipientPublicKey pk : recipients) {
      if (!seen.add(Objects.requireNonNull(pk, "recipient").fingerprint())) {
        throw new IllegalArgumentException("duplicate recipient");
      }
    }
  }
}
