package org.testigo.server.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.testigo.crypto.httpsig.ContentDigest;
import org.testigo.crypto.httpsig.ReviewerRequestSignature;
import org.testigo.server.domain.StorageUnavailableException;

/**
 * The replay store: every accepted (signing key, nonce) pair is inserted under a unique key
 * until its signature has expired (plus the clock skew); a second insert of the same pair
 * fails on the primary key, in the database, so it holds across server instances that share
 * it. Rows past their expiry are purged; a replay after the purge is refused by the time
 * window instead.
 */
public final class NonceStore {
  private final TransactionRunner transactions;
  private final Jdbi jdbi;
  private final Clock clock;

  public NonceStore(Jdbi jdbi, Clock clock) {
    this(TransactionRunner.singleAttempt(jdbi), clock);
  }

  /**
   * Galera: the insert is NOT idempotent (run again after a commit nobody saw, it would call
   * the request a replay), so only certification conflicts are retried; a lost connection
   * is a 503 and the reviewer signs the request again with a new nonce.
   */
  public NonceStore(TransactionRunner transactions, Clock clock) {
    this.transactions = transactions;
    this.jdbi = transactions.jdbi();
    this.clock = clock;
  }

  /** Records the nonce of a verified signature; false if it was seen before. */
  public boolean recordFirstUse(ReviewerRequestSignature.Verified v) {
    long expires = v.expires().plus(ReviewerRequestSignature.CLOCK_SKEW).getEpochSecond() + 1;
    byte[] hash = hash(v.keyFingerprint().hex(), v.nonce());
    try {
      transactions.inTransaction(TransactionRunner.Idempotence.NOT_IDEMPOTENT, h -> {
        h.attach(ReviewerDao.class).insertNonce(hash, expires);
        return null;
      });
      return true;
    } catch (JdbiException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof SQLException s && s.getSQLState() != null) {
          if (s.getSQLState().startsWith("23")) {
            return false;
          }
          if (s.getSQLState().startsWith("08")) {
            throw new StorageUnavailableException(e);
          }
        }
      }
      throw e;
    }
  }

  /** Deletes the rows whose signatures can no longer verify; returns how many. */
  public int purgeExpired() {
    long now = clock.instant().getEpochSecond();
    return jdbi.withExtension(ReviewerDao.class, dao -> dao.purgeNonces(now));
  }

  static byte[] hash(String keyid, String nonce) {
    MessageDigest d = ContentDigest.newDigest();
    d.update(("testigo-nonce-v1\0" + keyid + "\0" + nonce).getBytes(StandardCharsets.US_ASCII));
    return d.digest();
  }
}
