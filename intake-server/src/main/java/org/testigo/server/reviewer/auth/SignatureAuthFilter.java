package org.testigo.server.reviewer.auth;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.httpsig.ReviewerRequestSignature;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.server.core.KeyState;

/**
 * Authenticates every request under {@code /api/v1/reviewer}: an RFC 9421 signature in the
 * Testigo profile ({@link ReviewerRequestSignature}) by a signing key listed and valid now in
 * the current key manifest, with a nonce never seen before. Anything else is aborted with the
 * one generic 401 before a resource runs, and records nothing. For requests with a body the
 * entity stream is replaced by a {@link VerifiedBody} that the resource must
 * {@link VerifiedBody#finish() finish} before committing.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class SignatureAuthFilter implements ContainerRequestFilter {
  public static final String PRINCIPAL = "testigo.reviewer.principal";
  public static final String BODY = "testigo.reviewer.body";
  public static final String PATH_PREFIX = "api/v1/reviewer";

  private final KeyState keys;
  private final NonceStore nonces;
  private final long maxBodyBytes;
  private final Clock clock;

  public SignatureAuthFilter(KeyState keys, NonceStore nonces, long maxBodyBytes, Clock clock) {
    this.keys = keys;
    this.nonces = nonces;
    this.maxBodyBytes = maxBodyBytes;
    this.clock = clock;
  }

  /** True for the reviewer API's paths (decoded, relative to the application root). */
  public static boolean isReviewerPath(String relativePath) {
    String p = relativePath.startsWith("/") ? relativePath.substring(1) : relativePath;
    return p.equals(PATH_PREFIX) || p.startsWith(PATH_PREFIX + "/");
  }

  @Override
  public void filter(ContainerRequestContext ctx) {
    if (!isReviewerPath(ctx.getUriInfo().getPath())) {
      return;
    }
    Instant now = clock.instant();
    URI uri = ctx.getUriInfo().getRequestUri();
    ReviewerRequestSignature.Request request = new ReviewerRequestSignature.Request(ctx.getMethod(),
        ctx.getHeaderString("Host"), uri.getRawPath(), uri.getRawQuery(),
        ctx.getHeaderString(ReviewerRequestSignature.CONTENT_DIGEST),
        ctx.getHeaderString(ReviewerRequestSignature.SIGNATURE_INPUT),
        ctx.getHeaderString(ReviewerRequestSignature.SIGNATURE));
    ReviewerRequestSignature.Verified verified;
    try {
      verified = ReviewerRequestSignature.verify(request,
          (fp, at) -> reviewer(fp, at).map(ReviewerEntry::signingKey), now);
    } catch (CryptoException e) {
      ctx.abortWith(UnauthorizedExceptionMapper.unauthorized());
      return;
    }
    Optional<ReviewerEntry> entry = reviewer(verified.keyFingerprint(), now);
    if (entry.isEmpty() || !nonces.recordFirstUse(verified)) {
      ctx.abortWith(UnauthorizedExceptionMapper.unauthorized());
      return;
    }
    ctx.setProperty(PRINCIPAL, new ReviewerPrincipal(verified.keyFingerprint(), entry.get()));
    if (verified.contentSha256() != null) {
      VerifiedBody body = new VerifiedBody(ctx.getEntityStream(), verified.contentSha256(), maxBodyBytes);
      ctx.setProperty(BODY, body);
      ctx.setEntityStream(body);
    }
  }

  private Optional<ReviewerEntry> reviewer(Fingerprint signingKeyFingerprint, Instant at) {
    return keys.manifest().reviewers().stream()
        .filter(e -> e.signingKey().fingerprint().equals(signingKeyFingerprint))
        .filter(e -> e.isValidAt(at))
        .findFirst();
  }
}
