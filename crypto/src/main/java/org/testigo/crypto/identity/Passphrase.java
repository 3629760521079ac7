package org.testigo.crypto.identity;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;

/**
 * A passphrase held as a {@code char[]}, never as a {@link String}: {@link #toString()}
 * prints {@code Passphrase[REDACTED]}, {@link #destroy()} overwrites the characters, and
 * the UTF-8 bytes handed to Argon2id exist only for the duration of one derivation.
 *
 * <p>The bytes derived are UTF-8 of the Unicode NFC normalisation, so that "é" typed as one
 * code point or as "e" plus a combining accent gives the same key. WARNING: for a
 * passphrase that is not already in NFC (rare: only decomposed input), the JDK's
 * {@link Normalizer} returns an immutable String that cannot be zeroed; it is dropped at
 * once but lives in the heap until collected. ASCII and already-NFC passphrases never
 * pass through a String.
 */
public final class Passphrase {
  private final char[] chars;
  private volatile boolean destroyed;

  private Passphrase(char[] chars) {
    this.chars = chars;
  }

  /** Copies {@code chars}; the caller should zero its own array. */
  public static Passphrase of(char[] chars) {
    return new Passphrase(chars.clone());
  }

  public int length() {
    return chars.length;
  }

  public boolean isEmpty() {
    return chars.length == 0;
  }

  /** Overwrites the characters with zeros. Idempotent. */
  public void destroy() {
    Arrays.fill(chars, '\0');
    destroyed = true;
  }

  public boolean isDestroyed() {
    return destroyed;
  }

  /**
   * UTF-8 of NFC(passphrase), in a fresh array the caller must zero after use.
   *
   * @throws IllegalArgumentException if the characters are not valid UTF-16 (lone surrogates)
   * @throws IllegalStateException if destroyed
   */
  byte[] toUtf8Nfc() {
    if (destroyed) {
      throw new IllegalStateException("passphrase was destroyed");
    }
    CharBuffer source = CharBuffer.wrap(chars);
    if (!isAscii(chars) && !Normalizer.isNormalized(source, Normalizer.Form.NFC)) {
      source = CharBuffer.wrap(Normalizer.normalize(source, Normalizer.Form.NFC));
    }
    CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer encoded;
    try {
      encoded = encoder.encode(source);
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("passphrase is not valid Unicode text");
    }
    byte[] out = new byte[encoded.remaining()];
    encoded.get(out);
    if (encoded.hasArray()) {
      Arrays.fill(encoded.array(), (byte) 0);
    }
    return out;
  }

  /**
   * Argon2id(UTF-8 of NFC(passphrase), salt, params) as a {@code length}-byte key, for
   * formats outside this package that protect a secret under a passphrase (custodian share
   * files). The passphrase bytes are zeroed before this returns; the caller zeroes the key.
   *
   * @throws IllegalArgumentException if the salt is shorter than 8 bytes or the passphrase
   *     is not valid Unicode text
   * @throws IllegalStateException if destroyed
   */
  public byte[] deriveKey(byte[] salt, KeystoreParams params, int length) {
    byte[] pw = toUtf8Nfc();
    try {
      return org.testigo.crypto.internal.Argon2id.hash(pw, salt, params.memoryKiB(),
          params.iterations(), params.parallelism(), length);
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
  }

  private static boolean isAscii(char[] cs) {
    for (char c : cs) {
      if (c > 0x7f) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "Passphrase[REDACTED]";
  }
}
