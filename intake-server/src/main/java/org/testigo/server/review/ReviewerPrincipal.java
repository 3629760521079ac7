package org.testigo.server.review;

import jakarta.ws.rs.container.ContainerRequestContext;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.manifest.ReviewerEntry;

/**
 * The reviewer whose signature a request carried, as listed in the current key manifest.
 * Reviewers are not anonymous: the server may record who did what.
 */
public record ReviewerPrincipal(Fingerprint signingKeyFingerprint, ReviewerEntry entry) {
  /** The request property that carries the principal, set by the reviewer API's signature filter. */
  public static final String PROPERTY = "testigo.reviewer.principal";

  /**
   * The principal the signature filter ({@code SignatureAuthFilter}) put on this request. Every reviewer resource method
   * calls this first; a request without one reached a resource past the filter, which is a bug
   * (500), never an anonymous answer.
   */
  public static ReviewerPrincipal require(ContainerRequestContext ctx) {
    if (ctx.getProperty(PROPERTY) instanceof ReviewerPrincipal p) {
      return p;
    }
    throw new IllegalStateException("a reviewer resource was reached without an authenticated principal");
  }

  /** Reviewers and admins may write (case events, replies); auditors only read. */
  public boolean mayWrite() {
    return entry.receivesReports();
  }
}
