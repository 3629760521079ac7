package org.testigo.crypto.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.sign.SignatureDomain;
import org.testigo.crypto.sign.SigningPublicKey;

/**
 * A reviewer's public keys under an alias: what a reviewer sends to the organisation to be
 * added to a key manifest. Binary form {@link #toBytes()} and a text form {@link #toText()}
 * that survives being pasted into an email.
 *
 * <p>{@link #fingerprint()} is {@code SHA-256("testigo-reviewer-v1" || 0x00 || xwingPk ||
 * ed25519Pk)}: it covers both keys, not the alias. The text form's checksum only catches
 * typing and transmission errors; authenticity comes from comparing the fingerprint out of
 * band (read aloud with {@link Fingerprint#shortForm()}).
 *
 * <p>Version 2 adds the reviewer's Tor client-auth x25519 public key ({@code torKey}) and the
 * reviewer's Ed25519 signature over it ({@link SignatureDomain#TOR_CLIENT_AUTH}): the
 * fingerprint read aloud authenticates the signing key, and the signature binds the Tor key
 * to it. A bundle without a Tor key is written as version 1, byte for byte as before.
 */
public record ReviewerPublicBundle(String alias, RecipientPublicKey encryptionKey,
    SigningPublicKey signingKey, TorClientAuthKey torKey, byte[] torKeySignature) {
  public static final String FINGERPRINT_DOMAIN = "testigo-reviewer-v1";
  public static final int VERSION = 1;
  /** The version that carries a Tor client-auth key. */
  public static final int VERSION_TOR = 2;
  public static final String BEGIN = "-----BEGIN TESTIGO REVIEWER KEY-----";
  public static final String END = "-----END TESTIGO REVIEWER KEY-----";
  private static final int LINE = 64;

  public ReviewerPublicBundle {
    Alias.check(alias);
    if (encryptionKey == null || signingKey == null) {
      throw new IllegalArgumentException("a reviewer bundle needs both public keys");
    }
    if ((torKey == null) != (torKeySignature == null)) {
      throw new IllegalArgumentException("a Tor client-auth key needs its signature");
    }
    if (torKey != null) {
      torKeySignature = torKeySignature.clone();
      if (!signingKey.verify(SignatureDomain.TOR_CLIENT_AUTH, torKey.toBytes(), torKeySignature)) {
        throw new IllegalArgumentException(
            "the Tor client-auth key is not signed by this reviewer's signing key");
      }
    }
  }

  /** A bundle v1: no Tor client-auth key. */
  public ReviewerPublicBundle(String alias, RecipientPublicKey encryptionKey,
      SigningPublicKey signingKey) {
    this(alias, encryptionKey, signingKey, null, null);
  }

  /** The Tor client-auth key, if this is a v2 bundle. */
  public java.util.Optional<TorClientAuthKey> tor() {
    return java.util.Optional.ofNullable(torKey);
  }

  @Override
  public byte[] torKeySignature() {
    return torKeySignature == null ? null : torKeySignature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReviewerPublicBundle b && java.util.Arrays.equals(toBytes(), b.toBytes());
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(toBytes());
  }

  @Override
  public String toString() {
    return "ReviewerPublicBundle[" + alias + ", " + fingerprint().hex()
        + (torKey == null ? "" : ", tor " + torKey.base32()) + "]";
  }

  public Fingerprint fingerprint() {
    return fingerprint(encryptionKey, signingKey);
  }

  /** The reviewer fingerprint of a key pair, as used by bundles and manifests. */
  public static Fingerprint fingerprint(RecipientPublicKey encryptionKey,
      SigningPublicKey signingKey) {
    return Fingerprint.of(FINGERPRINT_DOMAIN, encryptionKey.toBytes(), signingKey.toBytes());
  }

  /**
   * {@code 0x01 || u8 aliasLength || alias || xwingPk (1216) || ed25519Pk (32)}; with a Tor
   * key, {@code 0x02 ||} the same {@code || x25519Pk (32) || signature (64)}.
   */
  public byte[] toBytes() {
    byte[] a = alias.getBytes(StandardCharsets.US_ASCII);
    byte[] x = encryptionKey.toBytes();
    byte[] e = signingKey.toBytes();
    int extra = torKey == null ? 0 : TorClientAuthKey.LENGTH + SigningPublicKey.SIGNATURE_LENGTH;
    byte[] out = new byte[2 + a.length + x.length + e.length + extra];
    out[0] = (byte) (torKey == null ? VERSION : VERSION_TOR);
    out[1] = (byte) a.length;
    System.arraycopy(a, 0, out, 2, a.length);
    System.arraycopy(x, 0, out, 2 + a.length, x.length);
    System.arraycopy(e, 0, out, 2 + a.length + x.length, e.length);
    if (torKey != null) {
      int o = 2 + a.length + x.length + e.length;
      System.arraycopy(torKey.toBytes(), 0, out, o, TorClientAuthKey.LENGTH);
      System.arraycopy(torKeySignature, 0, out, o + TorClientAuthKey.LENGTH,
          SigningPublicKey.SIGNATURE_LENGTH);
    }
    return out;
  }

  /**
   * Strict parse of {@link #toBytes()}.
   *
   * @throws IllegalArgumentException with a clear message on any defect
   */
  public static ReviewerPublicBundle fromBytes(byte[] b) {
    if (b.length < 2) {
      throw new IllegalArgumentException("reviewer key is truncated");
    }
    if (b[0] != VERSION && b[0] != VERSION_TOR) {
      throw new IllegalArgumentException("unsupported reviewer key version " + (b[0] & 0xff));
    }
    boolean tor = b[0] == VERSION_TOR;
    int aliasLength = b[1] & 0xff;
    int keysEnd = 2 + aliasLength + RecipientPublicKey.LENGTH + SigningPublicKey.LENGTH;
    int expected = keysEnd + (tor ? TorClientAuthKey.LENGTH + SigningPublicKey.SIGNATURE_LENGTH : 0);
    if (b.length != expected) {
      throw new IllegalArgumentException("reviewer key has the wrong length"
          + (tor ? " for version 2 (with a Tor client-auth key)" : ""));
    }
    String alias = new String(b, 2, aliasLength, StandardCharsets.US_ASCII);
    if (!Alias.isValid(alias)) {
      throw new IllegalArgumentException("reviewer key has an invalid alias");
    }
    int o = 2 + aliasLength;
    byte[] x = java.util.Arrays.copyOfRange(b, o, o + RecipientPublicKey.LENGTH);
    byte[] e = java.util.Arrays.copyOfRange(b, o + RecipientPublicKey.LENGTH, keysEnd);
    RecipientPublicKey xk;
    SigningPublicKey ek;
    try {
      xk = RecipientPublicKey.fromBytes(x);
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("reviewer key has an invalid encryption key");
    }
    try {
      ek = SigningPublicKey.fromBytes(e);
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("reviewer key has an invalid signing key");
    }
    if (!tor) {
      return new ReviewerPublicBundle(alias, xk, ek);
    }
    return new ReviewerPublicBundle(alias, xk, ek,
        TorClientAuthKey.fromBytes(java.util.Arrays.copyOfRange(b, keysEnd, keysEnd + TorClientAuthKey.LENGTH)),
        java.util.Arrays.copyOfRange(b, keysEnd + TorClientAuthKey.LENGTH, b.length));
  }

  /** The armored text form, lines ending in LF (specified in SECURITY.md). */
  public String toText() {
    byte[] raw = toBytes();
    String b64 = Base64.getEncoder().encodeToString(raw);
    StringBuilder sb = new StringBuilder();
    sb.append(BEGIN).append('\n');
    sb.append("alias: ").append(alias).append('\n');
    sb.append("fingerprint: ").append(fingerprint().shortForm()).append('\n');
    for (int i = 0; i < b64.length(); i += LINE) {
      sb.append(b64, i, Math.min(b64.length(), i + LINE)).append('\n');
    }
    sb.append("checksum: ").append(checksum(raw)).append('\n');
    sb.append(END).append('\n');
    return sb.toString();
  }

  /**
   * Parses the text form. Tolerant of what mail does to text: CR/LF/CRLF line ends, leading
   * and trailing whitespace, quoting prefixes ({@code "> "}, repeated), blank lines, text
   * before and after the block. Strict on content: exactly one block, the headers in order,
   * standard base64, a matching checksum, and headers that agree with the decoded keys.
   *
   * @throws IllegalArgumentException with a message that says what is wrong
   */
  public static ReviewerPublicBundle parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("no reviewer key text");
    }
    List<String> lines = new ArrayList<>();
    for (String raw : text.split("\r\n|\r|\n", -1)) {
      lines.add(unquote(raw));
    }
    int begin = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.equals(BEGIN)) {
        if (begin >= 0) {
          throw new IllegalArgumentException("more than one reviewer key block");
        }
        begin = i;
      } else if (l.equals(END)) {
        if (begin < 0 || end >= 0) {
          throw new IllegalArgumentException("misplaced END line");
        }
        end = i;
      }
    }
    if (begin < 0) {
      throw new IllegalArgumentException("no '" + BEGIN + "' line");
    }
    if (end < 0) {
      throw new IllegalArgumentException("no '" + END + "' line: the key text is cut short");
    }
    List<String> body = new ArrayList<>();
    for (String l : lines.subList(begin + 1, end)) {
      if (!l.isEmpty()) {
        body.add(l);
      }
    }
    if (body.size() < 4) {
      throw new IllegalArgumentException("reviewer key block is incomplete");
    }
    String aliasHeader = header(body.get(0), "alias");
    String fingerprintHeader = header(body.get(1), "fingerprint");
    String checksumHeader = header(body.get(body.size() - 1), "checksum");
    StringBuilder b64 = new StringBuilder();
    for (String l : body.subList(2, body.size() - 1)) {
      if (l.contains(":")) {
        throw new IllegalArgumentException("unexpected header line in the key data");
      }
      b64.append(l);
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(b64.toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "key data is not valid base64: a character was altered or mistyped");
    }
    if (!checksumHeader.equalsIgnoreCase(checksum(raw))) {
      throw new IllegalArgumentException(
          "checksum mismatch: the key text was altered or mistyped; ask for a fresh copy");
    }
    ReviewerPublicBundle bundle = fromBytes(raw);
    if (!bundle.alias().equals(aliasHeader)) {
      throw new IllegalArgumentException("the alias line does not match the key data");
    }
    if (!bundle.fingerprint().shortForm().equals(fingerprintHeader.replaceAll("\\s+", " "))) {
      throw new IllegalArgumentException("the fingerprint line does not match the key data");
    }
    return bundle;
  }

  private static String unquote(String line) {
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c == '>' || c == ' ' || c == '\t') {
        i++;
      } else {
        break;
      }
    }
    return line.substring(i).strip();
  }

  private static String header(String line, String name) {
    String prefix = name + ":";
    if (!line.startsWith(prefix)) {
      throw new IllegalArgumentException("expected a '" + prefix + "' line");
    }
    return line.substring(prefix.length()).strip();
  }

  /** First 4 bytes of SHA-256 over the decoded bytes, 8 lowercase hex characters. */
  static String checksum(byte[] raw) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(raw);
      return HexFormat.of().formatHex(h, 0, 4);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}
