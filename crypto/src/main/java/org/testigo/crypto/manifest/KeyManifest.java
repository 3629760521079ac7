package org.testigo.crypto.manifest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.identity.TorClientAuthKey;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.sign.SigningPublicKey;

/**
 * The content of a key manifest (v1, v2 with Tor client-auth keys, v3 with a retention
 * policy): who holds which keys, as declared by the
 * organisation's root key. Values are validated and canonical on construction: reviewers
 * are sorted by fingerprint (unsigned bytewise) and may not repeat a fingerprint, an alias,
 * an X-Wing key or an Ed25519 key; the root key, the log key and the reviewers' signing
 * keys are pairwise distinct; {@code previousHash} is null exactly when {@code sequence} is
 * 0; times are whole seconds.
 *
 * <p>A KeyManifest says nothing by itself: only a {@link SignedManifest} verified against a
 * pinned root fingerprint, within a {@link ManifestChain}, is trustworthy.
 */
public record KeyManifest(long sequence, Fingerprint previousHash, String organisation,
    SigningPublicKey rootKey, SigningPublicKey logKey, List<ReviewerEntry> reviewers,
    Instant issuedAt, RetentionPolicy retention) {
  public static final int MAX_ORGANISATION_BYTES = 255;
  public static final int MAX_REVIEWERS = 1000;
  /** {@code Fingerprint.of("testigo-root-v1", rootPk)} is what clients pin. */
  public static final String ROOT_FINGERPRINT_DOMAIN = "testigo-root-v1";

  /** A manifest without a retention policy (encoded as v1 or v2; nothing may be erased). */
  public KeyManifest(long sequence, Fingerprint previousHash, String organisation,
      SigningPublicKey rootKey, SigningPublicKey logKey, List<ReviewerEntry> reviewers,
      Instant issuedAt) {
    this(sequence, previousHash, organisation, rootKey, logKey, reviewers, issuedAt, null);
  }

  public KeyManifest {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must not be negative");
    }
    if ((sequence == 0) != (previousHash == null)) {
      throw new IllegalArgumentException(
          "the first manifest (sequence 0) has no previous hash; every later one has one");
    }
    checkOrganisation(organisation);
    if (rootKey == null || logKey == null || reviewers == null || issuedAt == null) {
      throw new IllegalArgumentException("root key, log key, reviewers and issuedAt are required");
    }
    if (rootKey.equals(logKey)) {
      throw new IllegalArgumentException("the root key and the log key must differ");
    }
    if (reviewers.size() > MAX_REVIEWERS) {
      throw new IllegalArgumentException("too many reviewers");
    }
    issuedAt = issuedAt.truncatedTo(ChronoUnit.SECONDS);
    List<ReviewerEntry> sorted = new ArrayList<>(reviewers);
    sorted.sort(Comparator.comparing(e -> e.fingerprint().toBytes(), Arrays::compareUnsigned));
    Set<Object> seen = new HashSet<>();
    seen.add(rootKey);
    seen.add(logKey);
    for (ReviewerEntry e : sorted) {
      if (!seen.add(e.fingerprint()) || !seen.add("alias:" + e.alias())
          || !seen.add(e.encryptionKey()) || !seen.add(e.signingKey())
          || e.torKey() != null && !seen.add(e.torKey())) {
        throw new IllegalArgumentException(
            "duplicate reviewer, alias or key (reviewer keys must also differ from root and log keys)");
      }
    }
    reviewers = List.copyOf(sorted);
  }

  /** This manifest with {@code policy} as its retention policy (null: none). */
  public KeyManifest withRetention(RetentionPolicy policy) {
    return new KeyManifest(sequence, previousHash, organisation, rootKey, logKey, reviewers,
        issuedAt, policy);
  }

  /** The retention policy, if the manifest carries one (a manifest v3). */
  public Optional<RetentionPolicy> retentionPolicy() {
    return Optional.ofNullable(retention);
  }

  /** The fingerprint clients pin for a root key. */
  public static Fingerprint rootFingerprint(SigningPublicKey rootKey) {
    return Fingerprint.of(ROOT_FINGERPRINT_DOMAIN, rootKey.toBytes());
  }

  public Fingerprint rootFingerprint() {
    return rootFingerprint(rootKey);
  }

  /**
   * X-Wing keys of every reviewer and admin, ignoring validity times (auditors are never
   * recipients). Prefer {@link #recipients(Instant)} when sealing.
   */
  public List<RecipientPublicKey> recipients() {
    return reviewers.stream().filter(ReviewerEntry::receivesReports)
        .map(ReviewerEntry::encryptionKey).toList();
  }

  /** X-Wing keys of reviewers and admins whose validity window contains {@code at}. */
  public List<RecipientPublicKey> recipients(Instant at) {
    return reviewers.stream().filter(e -> e.receivesReports() && e.isValidAt(at))
        .map(ReviewerEntry::encryptionKey).toList();
  }

  /**
   * The Tor client-auth keys of the entries valid at {@code at} that carry one (manifest v2):
   * the reviewer onion's authorised clients. An entry without one (every entry of a v1
   * manifest) has no onion access.
   */
  public List<TorClientAuthKey> torClientAuthKeys(Instant at) {
    return reviewers.stream().filter(e -> e.torKey() != null && e.isValidAt(at))
        .map(ReviewerEntry::torKey).toList();
  }

  /** True if any entry carries a Tor client-auth key (the manifest is encoded as v2). */
  public boolean hasTorClientAuthKeys() {
    return reviewers.stream().anyMatch(e -> e.torKey() != null);
  }

  /** The entry with this signing key that is valid at {@code at}, if any. */
  public Optional<ReviewerEntry> reviewerBySigningKey(SigningPublicKey key, Instant at) {
    return reviewers.stream().filter(e -> e.signingKey().equals(key) && e.isValidAt(at))
        .findFirst();
  }

  static void checkOrganisation(String organisation) {
    if (organisation == null || organisation.isBlank()
        || !organisation.strip().equals(organisation)) {
      throw new IllegalArgumentException("organisation must be non-blank without outer spaces");
    }
    if (organisation.getBytes(StandardCharsets.UTF_8).length > MAX_ORGANISATION_BYTES) {
      throw new IllegalArgumentException("organisation is longer than 255 UTF-8 bytes");
    }
    if (!java.text.Normalizer.isNormalized(organisation, java.text.Normalizer.Form.NFC)) {
      throw new IllegalArgumentException("organisation must be in Unicode NFC");
    }
    for (int i = 0; i < organisation.length(); i++) {
      char c = organisation.charAt(i);
      if (Character.isISOControl(c) || Character.isSurrogate(c)
          && !(Character.isHighSurrogate(c) && i + 1 < organisation.length()
              && Character.isLowSurrogate(organisation.charAt(++i)))) {
        throw new IllegalArgumentException("organisation contains control or invalid characters");
      }
    }
  }
}
