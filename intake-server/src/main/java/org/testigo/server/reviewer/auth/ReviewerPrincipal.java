package org.testigo.server.reviewer.auth;

import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.manifest.ReviewerEntry;

/**
 * The reviewer whose signature a request carried, as listed in the current key manifest.
 * Reviewers are not anonymous: the server may record who did what.
 */
public record ReviewerPrincipal(Fingerprint signingKeyFingerprint, ReviewerEntry entry) {
  /** Reviewers and admins may write (case events, replies); auditors only read. */
  public boolean mayWrite() {
    return entry.receivesReports();
  }
}
