package org.testigo.crypto.envelope;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.internal.XWingHpke;

/**
 * The header of an envelope v1, parsed strictly: every field has exactly one valid
 * encoding, so the bytes read are the bytes the MAC covers.
 */
final class EnvelopeHeader {
  static final byte[] MAGIC = {0x54, 0x53, 0x54, 0x47};
  static final int VERSION = 0x01;
  static final int AEAD_AES_256_GCM = 0x01;
  static final int CHUNK_LOG2 = 0x10;
  static final int CHUNK_SIZE = 1 << CHUNK_LOG2;
  static final int MAX_CONTEXT_LENGTH = 64;
  static final int SALT_LENGTH = 32;
  static final int MAX_STANZAS = 64;
  static final int STANZA_X_WING = 0x01;
  static final int ENC_LENGTH = XWingHpke.ENC_LENGTH;
  static final int WRAPPED_KEY_LENGTH = FileKey.LENGTH + XWingHpke.TAG_LENGTH;
  static final int STANZA_LENGTH = 1 + Fingerprint.LENGTH + ENC_LENGTH + WRAPPED_KEY_LENGTH;
  static final int MAC_LENGTH = 32;

  /** One recipient stanza: the recipient's fingerprint and the HPKE-wrapped file key. */
  record Stanza(Fingerprint fingerprint, byte[] enc, byte[] wrappedKey) {
    Stanza {
      if (enc.length != ENC_LENGTH || wrappedKey.length != WRAPPED_KEY_LENGTH) {
        throw new IllegalArgumentException("bad stanza field length");
      }
    }
  }

  private final String context;
  private final byte[] salt;
  private final List<Stanza> stanzas;
  private final byte[] encoded; // magic .. last stanza, then the 32-byte MAC

  private EnvelopeHeader(String context, byte[] salt, List<Stanza> stanzas, byte[] encoded) {
    this.context = context;
    this.salt = salt;
    this.stanzas = stanzas;
    this.encoded = encoded;
  }

  String context() {
    return context;
  }

  byte[] salt() {
    return salt.clone();
  }

  List<Stanza> stanzas() {
    return stanzas;
  }

  /** The whole header, MAC included. */
  byte[] encoded() {
    return encoded.clone();
  }

  int length() {
    return encoded.length;
  }

  /** Length of the part the MAC covers. */
  int macInputLength() {
    return encoded.length - MAC_LENGTH;
  }

  byte[] mac() {
    byte[] m = new byte[MAC_LENGTH];
    System.arraycopy(encoded, encoded.length - MAC_LENGTH, m, 0, MAC_LENGTH);
    return m;
  }

  /** Verifies the header MAC in constant time. */
  boolean macMatches(byte[] macKey) {
    return EnvelopeKdf.macEquals(
        EnvelopeKdf.headerMac(macKey, encoded, 0, macInputLength()), mac());
  }

  /** Builds a header and computes its MAC. Arguments must already be validated. */
  static EnvelopeHeader build(String context, byte[] salt, List<Stanza> stanzas, byte[] macKey) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(MAGIC);
    out.write(VERSION);
    out.write(AEAD_AES_256_GCM);
    out.write(CHUNK_LOG2);
    byte[] ctx = context.getBytes(StandardCharsets.US_ASCII);
    out.write(ctx.length);
    out.writeBytes(ctx);
    out.writeBytes(salt);
    out.write(stanzas.size());
    for (Stanza s : stanzas) {
      out.write(STANZA_X_WING);
      out.writeBytes(s.fingerprint().toBytes());
      out.writeBytes(s.enc());
      out.writeBytes(s.wrappedKey());
    }
    byte[] body = out.toByteArray();
    out.writeBytes(EnvelopeKdf.headerMac(macKey, body, 0, body.length));
    return new EnvelopeHeader(context, salt.clone(), List.copyOf(stanzas), out.toByteArray());
  }

  /**
   * Reads exactly one header (and nothing more) from {@code in}.
   *
   * @throws CryptoException if the header is malformed, truncated, of an unknown version,
   *     algorithm or chunk size, or names a recipient twice
   */
  static EnvelopeHeader read(InputStream in) throws CryptoException, IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream(2048);
    byte[] magic = readExactly(in, MAGIC.length, raw);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw new CryptoException();
    }
    if (readByte(in, raw) != VERSION
        || readByte(in, raw) != AEAD_AES_256_GCM
        || readByte(in, raw) != CHUNK_LOG2) {
      throw new CryptoException();
    }
    int contextLength = readByte(in, raw);
    if (contextLength < 1 || contextLength > MAX_CONTEXT_LENGTH) {
      throw new CryptoException();
    }
    byte[] ctx = readExactly(in, contextLength, raw);
    for (byte b : ctx) {
      if (!isContextChar(b)) {
        throw new CryptoException();
      }
    }
    byte[] salt = readExactly(in, SALT_LENGTH, raw);
    int count = readByte(in, raw);
    if (count < 1 || count > MAX_STANZAS) {
      throw new CryptoException();
    }
    List<Stanza> stanzas = new ArrayList<>(count);
    Set<Fingerprint> seen = new HashSet<>();
    for (int i = 0; i < count; i++) {
      if (readByte(in, raw) != STANZA_X_WING) {
        throw new CryptoException();
      }
      Fingerprint fp = Fingerprint.fromBytes(readExactly(in, Fingerprint.LENGTH, raw));
      if (!seen.add(fp)) {
        throw new CryptoException();
      }
      byte[] enc = readExactly(in, ENC_LENGTH, raw);
      byte[] wrapped = readExactly(in, WRAPPED_KEY_LENGTH, raw);
      stanzas.add(new Stanza(fp, enc, wrapped));
    }
    readExactly(in, MAC_LENGTH, raw);
    return new EnvelopeHeader(new String(ctx, StandardCharsets.US_ASCII), salt,
        List.copyOf(stanzas), raw.toByteArray());
  }

  /** Throws {@link IllegalArgumentException} unless {@code context} is 1..64 of [a-z0-9-]. */
  static void checkContext(String context) {
    if (context == null || context.isEmpty() || context.length() > MAX_CONTEXT_LENGTH) {
      throw new IllegalArgumentException("context must be 1..64 characters of [a-z0-9-]");
    }
    for (int i = 0; i < context.length(); i++) {
      char c = context.charAt(i);
      if (c > 0x7f || !isContextChar((byte) c)) {
        throw new IllegalArgumentException("context must be 1..64 characters of [a-z0-9-]");
      }
    }
  }

  private static boolean isContextChar(byte b) {
    return (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-';
  }

  private static int readByte(InputStream in, ByteArrayOutputStream raw)
      throws CryptoException, IOException {
    int b = in.read();
    if (b < 0) {
      throw new CryptoException();
    }
    raw.write(b);
    return b;
  }

  private static byte[] readExactly(InputStream in, int n, ByteArrayOutputStream raw)
      throws CryptoException, IOException {
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new CryptoException();
    }
    raw.writeBytes(b);
    return b;
  }
}
