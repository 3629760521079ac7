package org.testigo.crypto.custody;

import com.codahale.shamir.Scheme;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.testigo.crypto.custody.CustodyException.Reason;
import org.testigo.crypto.identity.Alias;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.crypto.sign.SigningPublicKey;

/**
 * The organisation root key ceremonies: create a root Ed25519 key and split its seed m-of-n
 * among named custodians; rebuild it from at least m shares to sign, then forget it; and
 * re-issue shares of the same root to a new set of custodians.
 *
 * <p>Guarantees: the whole root key exists only in memory, inside these methods, and is
 * zeroed before they return (the seed array, the key object and the share copies handed to
 * the Shamir library). {@link #reconstruct} never returns a key that is not the recorded
 * root: the rebuilt seed's public key must equal the root public key in the shares, or it
 * fails with {@link Reason#SHARES_DO_NOT_REBUILD_ROOT}.
 *
 * <p>WARNING: com.codahale:shamir allocates its own intermediate arrays (polynomial
 * coefficients, the joined secret before it is returned) and does not zero them; the JVM
 * may also copy arrays during garbage collection. Run ceremonies on an offline machine
 * that is powered off afterwards (ops/runbooks/key-ceremony.md).
 */
public final class RootKeyCeremony {
  private RootKeyCeremony() {}

  /** The outcome of a ceremony: the root public key and one share per custodian, in order. */
  public record Result(SigningPublicKey rootKey, String ceremonyId, int threshold,
      List<RootShare> shares) {
    public Result {
      shares = List.copyOf(shares);
    }

    /** Destroys every share held by this result. */
    public void destroy() {
      shares.forEach(RootShare::destroy);
    }
  }

  /**
   * Generates a new root key and splits it {@code threshold}-of-{@code custodians.size()}.
   * Share {@code i} (1-based) goes to {@code custodians.get(i - 1)}. Before returning, the
   * shares are checked to rebuild the root.
   *
   * @throws IllegalArgumentException if names repeat or are invalid, or the threshold is
   *     outside 2..n, or n is over 255
   */
  public static Result create(List<String> custodians, int threshold, Instant now,
      SecureRandom random) {
    checkCustodians(custodians, threshold);
    SigningPrivateKey root = SigningPrivateKey.generate(random);
    try {
      return split(root, custodians, threshold, now, random);
    } finally {
      root.destroy();
    }
  }

  /**
   * Rebuilds the root from {@code shares} and splits it again, for a new set of custodians
   * and a new threshold, under a new ceremony id. The root key (and so the pinned
   * fingerprint and every manifest) stays the same; shares of the old set do not combine
   * with shares of the new one.
   */
  public static Result reshare(List<RootShare> shares, List<String> custodians, int threshold,
      Instant now, SecureRandom random) {
    checkCustodians(custodians, threshold);
    SigningPrivateKey root = reconstruct(shares);
    try {
      return split(root, custodians, threshold, now, random);
    } finally {
      root.destroy();
    }
  }

  /**
   * Rebuilds the root key from at least {@code threshold} shares of one ceremony. The
   * caller must {@link SigningPrivateKey#destroy()} it as soon as it has signed; prefer
   * {@link #withRootKey} or {@link #signManifest}, which do.
   *
   * @throws CustodyException with a reason and a message naming what is wrong
   */
  public static SigningPrivateKey reconstruct(List<RootShare> shares) {
    ShareHeader first = checkShares(shares);
    Map<Integer, byte[]> parts = new HashMap<>();
    byte[] seed = null;
    try {
      for (RootShare s : shares) {
        parts.put(s.header().index(), s.exposeSecret().clone());
      }
      seed = new Scheme(new SecureRandom(), first.total(), first.threshold()).join(parts);
      SigningPrivateKey key = SigningPrivateKey.fromSeed(seed);
      if (!key.publicKey().equals(first.rootKey())) {
        key.destroy();
        throw new CustodyException(Reason.SHARES_DO_NOT_REBUILD_ROOT,
            "the shares do not rebuild the root key " + first.rootFingerprint().shortForm()
                + ": at least one share is wrong or was altered");
      }
      return key;
    } finally {
      parts.values().forEach(v -> Arrays.fill(v, (byte) 0));
      if (seed != null) {
        Arrays.fill(seed, (byte) 0);
      }
    }
  }

  /** Rebuilds the root, applies {@code action} to it, and destroys it, even on failure. */
  public static <T> T withRootKey(List<RootShare> shares, Function<SigningPrivateKey, T> action) {
    SigningPrivateKey root = reconstruct(shares);
    try {
      return action.apply(root);
    } finally {
      root.destroy();
    }
  }

  /**
   * Signs {@code manifest} with the root rebuilt from {@code shares}.
   *
   * @throws IllegalArgumentException if the manifest names another root key
   * @throws CustodyException if the shares do not rebuild the root
   */
  public static SignedManifest signManifest(List<RootShare> shares, KeyManifest manifest) {
    return withRootKey(shares, root -> SignedManifest.sign(manifest, root));
  }

  /**
   * Checks, without combining them, that {@code shares} can be combined: at least one, all
   * of one ceremony, no share number twice, at least the threshold. Returns the common
   * header facts. Only {@link #reconstruct} proves the share values are right.
   *
   * @throws CustodyException as {@link #reconstruct}
   */
  public static ShareHeader checkShares(List<RootShare> shares) {
    if (shares == null || shares.isEmpty()) {
      throw new CustodyException(Reason.TOO_FEW_SHARES, "no shares were given");
    }
    ShareHeader first = shares.get(0).header();
    Map<Integer, String> byIndex = new HashMap<>();
    Set<String> names = new HashSet<>();
    for (RootShare s : shares) {
      ShareHeader h = s.header();
      if (!h.rootKey().equals(first.rootKey())) {
        throw new CustodyException(Reason.DIFFERENT_CEREMONIES,
            "the shares belong to different root keys (" + first.rootFingerprint().shortForm()
                + " and " + h.rootFingerprint().shortForm() + "): use shares of one"
                + " ceremony only");
      }
      if (!h.ceremonyId().equals(first.ceremonyId())) {
        throw new CustodyException(Reason.DIFFERENT_CEREMONIES,
            "the shares come from different share sets of the same root key (ceremonies "
                + first.ceremonyId().substring(0, 8) + " and "
                + h.ceremonyId().substring(0, 8) + "): after a re-share only the new"
                + " shares count");
      }
      if (!h.sameCeremonyAs(first)) {
        throw new CustodyException(Reason.INCONSISTENT_SHARES,
            "the shares disagree about their ceremony (time or m-of-n): a share file was"
                + " forged or corrupted");
      }
      String previous = byIndex.putIfAbsent(h.index(), h.custodian());
      if (previous != null) {
        throw new CustodyException(Reason.DUPLICATE_SHARE, "share " + h.index()
            + " was given twice (custodians " + previous + " and " + h.custodian() + ")");
      }
      if (!names.add(h.custodian())) {
        throw new CustodyException(Reason.INCONSISTENT_SHARES, "custodian " + h.custodian()
            + " appears on two different shares: a share file was forged or corrupted");
      }
    }
    if (shares.size() < first.threshold()) {
      throw new CustodyException(Reason.TOO_FEW_SHARES, first.threshold()
          + " shares are needed to rebuild the root key, " + shares.size()
          + (shares.size() == 1 ? " was" : " were") + " given");
    }
    return first;
  }

  private static Result split(SigningPrivateKey root, List<String> custodians, int threshold,
      Instant now, SecureRandom random) {
    byte[] id = new byte[ShareHeader.CEREMONY_ID_LENGTH];
    random.nextBytes(id);
    String ceremonyId = HexFormat.of().formatHex(id);
    int n = custodians.size();
    Map<Integer, byte[]> parts = new Scheme(random, n, threshold).split(root.exposeSecret());
    List<RootShare> shares = new ArrayList<>(n);
    try {
      for (int i = 1; i <= n; i++) {
        ShareHeader h = new ShareHeader(ceremonyId, now, threshold, n, i,
            custodians.get(i - 1), root.publicKey());
        shares.add(new RootShare(h, parts.get(i)));
      }
    } finally {
      parts.values().forEach(v -> Arrays.fill(v, (byte) 0));
    }
    reconstruct(shares.subList(0, threshold)).destroy();
    return new Result(root.publicKey(), ceremonyId, threshold, shares);
  }

  private static void checkCustodians(List<String> custodians, int threshold) {
    if (custodians == null || custodians.size() > ShareHeader.MAX_SHARES) {
      throw new IllegalArgumentException("at most 255 custodians");
    }
    if (threshold < 2 || threshold > custodians.size()) {
      throw new IllegalArgumentException("the threshold m must be between 2 and the number of"
          + " custodians (" + custodians.size() + ")");
    }
    Set<String> seen = new HashSet<>();
    for (String c : custodians) {
      if (!Alias.isValid(c)) {
        throw new IllegalArgumentException("invalid custodian name '" + c + "': 1 to 32"
            + " characters of a-z, 0-9, '.', '_' or '-'");
      }
      if (!seen.add(c)) {
        throw new IllegalArgumentException("custodian " + c + " is named twice");
      }
    }
  }
}
