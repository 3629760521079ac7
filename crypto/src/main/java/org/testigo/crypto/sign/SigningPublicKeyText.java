package org.testigo.crypto.sign;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.testigo.crypto.Fingerprint;

/**
 * Text file v1 for a bare Ed25519 public key: the server's log key, or the organisation's
 * root key. Survives email and copy-paste; the checksum only catches accidents (typing,
 * truncation); authenticity comes from a signed manifest (log key) or from the published
 * root fingerprint (root key).
 *
 * <pre>
 * -----BEGIN TESTIGO LOG PUBLIC KEY-----      (or ROOT)
 * fingerprint: &lt;64 hex&gt;
 * key: &lt;base64 of the 32-byte key, 44 characters&gt;
 * checksum: &lt;8 hex: first 4 bytes of SHA-256(kind || 0x00 || key)&gt;
 * -----END TESTIGO LOG PUBLIC KEY-----
 * </pre>
 *
 * The fingerprint line is {@link SigningPublicKey#fingerprint()} for a log key and the
 * pinned root fingerprint {@code SHA-256("testigo-root-v1" || 0x00 || pk)} for a root key.
 */
public final class SigningPublicKeyText {
  /** What the key is for; part of the armor and of the checksum. */
  public enum Kind {
    LOG("LOG"), ROOT("ROOT");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    String begin() {
      return "-----BEGIN TESTIGO " + label + " PUBLIC KEY-----";
    }

    String end() {
      return "-----END TESTIGO " + label + " PUBLIC KEY-----";
    }
  }

  public static final String ROOT_FINGERPRINT_DOMAIN = "testigo-root-v1";

  private SigningPublicKeyText() {}

  /** The fingerprint printed for {@code key} of this kind. */
  public static Fingerprint fingerprint(Kind kind, SigningPublicKey key) {
    return kind == Kind.ROOT ? Fingerprint.of(ROOT_FINGERPRINT_DOMAIN, key.toBytes())
        : key.fingerprint();
  }

  public static String toText(Kind kind, SigningPublicKey key) {
    byte[] pk = key.toBytes();
    return kind.begin() + "\n"
        + "fingerprint: " + fingerprint(kind, key).hex() + "\n"
        + "key: " + Base64.getEncoder().encodeToString(pk) + "\n"
        + "checksum: " + checksum(kind, pk) + "\n"
        + kind.end() + "\n";
  }

  /**
   * Parses the text of a key of {@code kind}; tolerant of CRLF, outer whitespace and text
   * around the block.
   *
   * @throws IllegalArgumentException with a clear message on any defect, including a key
   *     of the other kind
   */
  public static SigningPublicKey parse(Kind kind, String text) {
    if (text == null) {
      throw new IllegalArgumentException("no key text");
    }
    List<String> body = new ArrayList<>();
    boolean inside = false;
    boolean done = false;
    for (String raw : text.split("\r\n|\r|\n", -1)) {
      String l = raw.strip();
      if (l.equals(kind.begin()) && !inside && !done) {
        inside = true;
      } else if (l.equals(kind.end()) && inside) {
        inside = false;
        done = true;
      } else if (inside && !l.isEmpty()) {
        body.add(l);
      } else if (l.startsWith("-----BEGIN TESTIGO") && !done) {
        throw new IllegalArgumentException("this is not a " + kind.label.toLowerCase(Locale.ROOT)
            + " public key file");
      }
    }
    if (!done) {
      throw new IllegalArgumentException("no complete '" + kind.begin() + "' block");
    }
    if (body.size() != 3) {
      throw new IllegalArgumentException("a public key block has exactly 3 lines");
    }
    String fp = field(body.get(0), "fingerprint");
    String b64 = field(body.get(1), "key");
    String sum = field(body.get(2), "checksum");
    byte[] pk;
    try {
      pk = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the key is not valid base64: a character was"
          + " altered");
    }
    if (pk.length != SigningPublicKey.LENGTH || !checksum(kind, pk).equalsIgnoreCase(sum)) {
      throw new IllegalArgumentException("checksum mismatch: the key text was altered or"
          + " mistyped");
    }
    SigningPublicKey key = SigningPublicKey.fromBytes(pk);
    if (!fingerprint(kind, key).hex().equalsIgnoreCase(fp)) {
      throw new IllegalArgumentException("the fingerprint line does not match the key");
    }
    return key;
  }

  private static String field(String line, String name) {
    if (!line.startsWith(name + ":")) {
      throw new IllegalArgumentException("expected a '" + name + ":' line");
    }
    return line.substring(name.length() + 1).strip();
  }

  static String checksum(Kind kind, byte[] pk) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(kind.label.getBytes(StandardCharsets.US_ASCII));
      md.update((byte) 0);
      md.update(pk);
      return HexFormat.of().formatHex(md.digest(), 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}
