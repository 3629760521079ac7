package org.testigo.crypto.sign;

import java.nio.charset.StandardCharsets;

/**
 * The purpose a signature is made for. Every Testigo signature covers
 * {@code "testigo-sig-v1" || 0x00 || label || 0x00 || message}, so a signature made for one
 * domain (say, an HTTP request) never verifies as another (say, a key manifest).
 *
 * <p>Labels are ASCII {@code [a-z0-9-]}, contain no 0x00, and are never reused for a
 * different meaning; a changed format gets a new label ({@code -v2}).
 */
public enum SignatureDomain {
  /** Key manifests signed by the organisation's root key. */
  MANIFEST("manifest-v1"),
  /** Transparency-log signed tree heads, signed by the server's log key. */
  TREE_HEAD("tree-head-v1"),
  /** Case events signed by the reviewer who made them. */
  CASE_EVENT("case-event-v1"),
  /** Reviewer API requests signed by a reviewer. */
  HTTP_REQUEST("http-request-v1"),
  /** Answers to possession challenges ({@code ChallengeAnswer} v1), signed by the reviewer. */
  CHALLENGE("challenge-v1"),
  /**
   * A shelter's attestation, inside a report it filed on a migrant's behalf, over the hashes
   * of the questionnaire and attachments (testigo-shelter; docs/spec/shelter-outbox.md).
   */
  SHELTER_ATTESTATION("shelter-attestation-v1"),
  /**
   * A reviewer's binding of their Tor client-auth x25519 public key to their identity, inside
   * a public bundle v2 (docs/spec/keystore-and-bundle.md §5), signed by the reviewer.
   */
  TOR_CLIENT_AUTH("tor-client-auth-v1"),
  /**
   * An erasure decision v1 (docs/spec/retention-and-erasure.md §2), signed by each reviewer who
   * decides it.
   */
  ERASURE("erasure-v1");

  /** The prefix of every signed byte string. */
  public static final String PREFIX = "testigo-sig-v1";

  private final String label;

  SignatureDomain(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The exact bytes that Ed25519 signs for {@code message} in this domain. */
  public byte[] toBeSigned(byte[] message) {
    byte[] prefix = PREFIX.getBytes(StandardCharsets.US_ASCII);
    byte[] lab = label.getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[prefix.length + 1 + lab.length + 1 + message.length];
    int o = 0;
    System.arraycopy(prefix, 0, out, o, prefix.length);
    o += prefix.length + 1;
    System.arraycopy(lab, 0, out, o, lab.length);
    o += lab.length + 1;
    System.arraycopy(message, 0, out, o, message.length);
    return out;
  }
}
