package org.testigo.server.tor;

import org.testigo.crypto.Base32;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A reviewer's x25519 client-authorisation public key for the reviewer onion service
 * (rend-spec-v3 client authorisation): what tor's {@code ClientAuthV3=} and an
 * {@code authorized_clients/*.auth} file carry, as 52 base32 characters.
 *
 * <p>Accepted spellings: the bare 52 characters (either case), or the line of an
 * {@code .auth} file, {@code descriptor:x25519:<base32>}. Anything else is rejected with a
 * message that does not echo the input.
 *
 * @param base32 the 52 uppercase base32 characters of the 32-byte key
 */
public record ClientAuthPublicKey(String base32) {
  private static final String AUTH_FILE_PREFIX = "descriptor:x25519:";

  public ClientAuthPublicKey {
    byte[] raw;
    try {
      raw = base32 == null || base32.length() != 52 ? null : Base32.decode(base32);
    } catch (IllegalArgumentException e) {
      raw = null;
    }
    if (raw == null || raw.length != 32) {
      throw new IllegalArgumentException(
          "not an x25519 client-auth public key (52 base32 characters expected)");
    }
    base32 = base32.toUpperCase(Locale.ROOT);
  }

  /** Parses a bare key or a {@code descriptor:x25519:<key>} line. */
  public static ClientAuthPublicKey parse(String text) {
    String t = text.strip();
    if (t.regionMatches(true, 0, AUTH_FILE_PREFIX, 0, AUTH_FILE_PREFIX.length())) {
      t = t.substring(AUTH_FILE_PREFIX.length());
    }
    return new ClientAuthPublicKey(t);
  }

  /** The key for its 32 raw bytes. */
  public static ClientAuthPublicKey fromBytes(byte[] raw) {
    if (raw.length != 32) {
      throw new IllegalArgumentException("an x25519 public key has 32 bytes");
    }
    return new ClientAuthPublicKey(Base32.encodeUpper(raw));
  }

  /**
   * Reads a file of keys: one per line, bare or {@code descriptor:x25519:...}; blank lines
   * and lines starting with {@code #} are ignored. A bad line is reported by line number.
   */
  public static List<ClientAuthPublicKey> readFile(Path file) throws IOException {
    List<ClientAuthPublicKey> keys = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        keys.add(parse(line));
      } catch (IllegalArgumentException e) {
        throw new IOException(file + " line " + (i + 1) + ": " + e.getMessage());
      }
    }
    return keys;
  }

  /** The line of a tor {@code authorized_clients/<name>.auth} file. */
  public String authFileLine() {
    return AUTH_FILE_PREFIX + base32;
  }

  @Override
  public String toString() {
    return base32;
  }
}
