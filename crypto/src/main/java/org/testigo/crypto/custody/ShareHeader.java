package org.testigo.crypto.custody;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.identity.Alias;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.sign.SigningPublicKey;

/**
 * The public facts about one share of the organisation root key: which ceremony (share
 * set) it belongs to, when that ceremony was held, the threshold {@code m} of {@code n},
 * this share's number (1..n), the custodian who holds it, and the root public key the
 * shares rebuild. Nothing here is secret.
 *
 * <p>Validated on construction: {@code 2 <= threshold <= total <= 255},
 * {@code 1 <= index <= total}, the custodian name follows the reviewer alias rules, the
 * ceremony id is 32 lowercase hex characters (16 bytes), times are whole seconds.
 *
 * <p>Binary form (docs/spec/manifest-and-custody.md, "share header v1"), shared by the share file and
 * the printable share:
 * {@code ceremony_id (16) || created_at (int64 BE, epoch s) || m (u8) || n (u8) ||
 * index (u8) || custodian_len (u8) || custodian (ASCII) || root_pk (32)}.
 */
public record ShareHeader(String ceremonyId, Instant createdAt, int threshold, int total,
    int index, String custodian, SigningPublicKey rootKey) {
  public static final int CEREMONY_ID_LENGTH = 16;
  public static final int MAX_SHARES = 255;

  public ShareHeader {
    if (ceremonyId == null || !ceremonyId.matches("[0-9a-f]{32}")) {
      throw new IllegalArgumentException("a ceremony id is 32 lowercase hex characters");
    }
    if (createdAt == null || createdAt.isBefore(Instant.EPOCH)) {
      throw new IllegalArgumentException("invalid ceremony time");
    }
    createdAt = createdAt.truncatedTo(ChronoUnit.SECONDS);
    if (threshold < 2 || threshold > total || total > MAX_SHARES) {
      throw new IllegalArgumentException("need 2 <= m <= n <= 255");
    }
    if (index < 1 || index > total) {
      throw new IllegalArgumentException("share number outside 1..n");
    }
    Alias.check(custodian);
    if (rootKey == null) {
      throw new IllegalArgumentException("the root public key is required");
    }
  }

  /** {@code Fingerprint.of("testigo-root-v1", rootPk)}: what clients pin. */
  public Fingerprint rootFingerprint() {
    return KeyManifest.rootFingerprint(rootKey);
  }

  /** The same ceremony: same id, time, threshold, total and root key. */
  public boolean sameCeremonyAs(ShareHeader o) {
    return ceremonyId.equals(o.ceremonyId) && createdAt.equals(o.createdAt)
        && threshold == o.threshold && total == o.total && rootKey.equals(o.rootKey);
  }

  byte[] encode() {
    byte[] c = custodian.getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(CEREMONY_ID_LENGTH + 8 + 4 + c.length + SigningPublicKey.LENGTH)
        .put(HexFormat.of().parseHex(ceremonyId)).putLong(createdAt.getEpochSecond())
        .put((byte) threshold).put((byte) total).put((byte) index).put((byte) c.length).put(c)
        .put(rootKey.toBytes()).array();
  }

  /**
   * Reads a header at the buffer's position.
   *
   * @throws IllegalArgumentException or {@link java.nio.BufferUnderflowException} on any
   *     defect
   */
  static ShareHeader decode(ByteBuffer b) {
    byte[] id = new byte[CEREMONY_ID_LENGTH];
    b.get(id);
    long created = b.getLong();
    int m = b.get() & 0xff;
    int n = b.get() & 0xff;
    int index = b.get() & 0xff;
    byte[] c = new byte[b.get() & 0xff];
    b.get(c);
    byte[] pk = new byte[SigningPublicKey.LENGTH];
    b.get(pk);
    if (created < 0 || created > Instant.MAX.getEpochSecond()) {
      throw new IllegalArgumentException("invalid ceremony time");
    }
    return new ShareHeader(HexFormat.of().formatHex(id), Instant.ofEpochSecond(created), m, n,
        index, new String(c, StandardCharsets.US_ASCII), SigningPublicKey.fromBytes(pk));
  }

  /** "share 2 of 5 (any 3 rebuild the root key), custodian ana". */
  public String describe() {
    return String.format(Locale.ROOT, "share %d of %d (any %d rebuild the root key),"
        + " custodian %s", index, total, threshold, custodian);
  }
}
