package org.testigo.crypto.manifest;

import java.time.LocalDate;

/**
 * How long a case's data is kept, as the organisation's root key declared it in a key
 * manifest v3 (docs/spec/retention-and-erasure.md §1). All periods are whole days, 1..3650.
 *
 * @param closedDays kept after the case is closed
 * @param referralDays kept after the case is closed while a referral is still open;
 *     at least {@code closedDays}
 * @param spamDays kept after receipt for a case labelled spam, or a malformed report
 * @param earlySignatures distinct reviewers who must sign an erasure before the policy date
 *     (or at a source's request), 1..8
 */
public record RetentionPolicy(int closedDays, int referralDays, int spamDays,
    int earlySignatures) {
  public static final int MAX_DAYS = 3650;
  public static final int MAX_SIGNATURES = 8;
  /** What a new organisation is offered: 12 months, 5 years with an open referral, 30 days. */
  public static final RetentionPolicy DEFAULT = new RetentionPolicy(365, 1825, 30, 2);
  /** Encoded size of the policy block at the end of a manifest v3 body. */
  public static final int ENCODED_LENGTH = 7;

  public RetentionPolicy {
    checkDays("closed-days", closedDays);
    checkDays("referral-days", referralDays);
    checkDays("spam-days", spamDays);
    if (referralDays < closedDays) {
      throw new IllegalArgumentException("referral-days (" + referralDays
          + ") must be at least closed-days (" + closedDays + "): an open referral keeps a case"
          + " longer, never shorter");
    }
    if (earlySignatures < 1 || earlySignatures > MAX_SIGNATURES) {
      throw new IllegalArgumentException("early-signatures must be 1.." + MAX_SIGNATURES);
    }
  }

  /** The day a closed case becomes due for erasure. */
  public LocalDate dueAfterClose(LocalDate closedDay, boolean referralOpen) {
    return closedDay.plusDays(referralOpen ? referralDays : closedDays);
  }

  /** The day a case labelled spam (or a malformed report) becomes due. */
  public LocalDate dueAsSpam(LocalDate receivedDay) {
    return receivedDay.plusDays(spamDays);
  }

  /** The longest any case is kept after it is closed: what backups must outlive, no more. */
  public int longestDays() {
    return Math.max(referralDays, spamDays);
  }

  byte[] encode() {
    return new byte[] {(byte) (closedDays >>> 8), (byte) closedDays,
        (byte) (referralDays >>> 8), (byte) referralDays, (byte) (spamDays >>> 8),
        (byte) spamDays, (byte) earlySignatures};
  }

  /** Decodes the 7-byte policy block; {@link IllegalArgumentException} if out of range. */
  public static RetentionPolicy decode(byte[] b) {
    if (b.length != ENCODED_LENGTH) {
      throw new IllegalArgumentException("a retention policy block is 7 bytes");
    }
    return new RetentionPolicy(u16(b, 0), u16(b, 2), u16(b, 4), b[6] & 0xff);
  }

  /** The policy block as the manifest v3 encodes it. */
  public byte[] encoded() {
    return encode();
  }

  private static int u16(byte[] b, int o) {
    return (b[o] & 0xff) << 8 | b[o + 1] & 0xff;
  }

  private static void checkDays(String name, int days) {
    if (days < 1 || days > MAX_DAYS) {
      throw new IllegalArgumentException(name + " must be 1.." + MAX_DAYS + " days, not " + days);
    }
  }
}
