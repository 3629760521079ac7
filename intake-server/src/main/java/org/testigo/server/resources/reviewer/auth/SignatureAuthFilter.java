package org.testigo.server.resources.reviewer.auth;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.testigo.api.ApiPaths;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.httpsig.ReviewerRequestSignature;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.server.domain.KeyState;
import org.testigo.server.review.ReviewerPrincipal;
import org.testigo.server.review.VerifiedBody;
import org.testigo.server.storage.NonceStore;

/**
 * Authenticates every request that did not arrive on a source connector (deny by default: the
 * decision is by connector, as {@link ReviewerPortFilter} marked it, never by path): an RFC 9421
 * signature in the Testigo profile ({@link ReviewerRequestSignature}), each of its three fields
 * given once, naming one of this server's own {@link ReviewerAuthorities names} as its authority,
 * by a signing key listed and valid now in the current key manifest, with a nonce
 * never seen before. Anything else is aborted with the one generic 401 before a resource runs.
 *
 * <p>A request's nonce is spent (a {@code reviewer_nonces} row) exactly when its signature
 * verifies against a reviewer valid now, whatever the answer then is (a 400, 403, 404 or 405
 * from the resource included): a signed request is single-use. A request refused before that
 * (a non-canonical path, an unknown, removed or expired key, a bad signature) writes nothing.
 * For requests with a body the entity stream is replaced by a {@link VerifiedBody} that the
 * resource must {@link VerifiedBody#finish() finish} before committing.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class SignatureAuthFilter implements ContainerRequestFilter {
  public static final String PRINCIPAL = ReviewerPrincipal.PROPERTY;
  public static final String BODY = "testigo.reviewer.body";
  public static final String PATH_PREFIX = ApiPaths.relative(ApiPaths.REVIEWER);

  private final KeyState keys;
  private final NonceStore nonces;
  private final ReviewerAuthorities authorities;
  private final long maxBodyBytes;
  private final Clock clock;

  public SignatureAuthFilter(KeyState keys, NonceStore nonces, ReviewerAuthorities authorities, long maxBodyBytes,
      Clock clock) {
    this.keys = keys;
    this.nonces = nonces;
    this.authorities = authorities;
    this.maxBodyBytes = maxBodyBytes;
    this.clock = clock;
  }

  /** True for the reviewer API's raw paths ({@code /api/v1/reviewer} and below). */
  public static boolean isReviewerPath(String rawPath) {
    String p = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
    return p.equals(PATH_PREFIX) || p.startsWith(PATH_PREFIX + "/");
  }

  @Override
  public void filter(ContainerRequestContext ctx) {
    if (ReviewerPortFilter.SOURCE.equals(ctx.getProperty(ReviewerPortFilter.CONNECTOR))) {
      return;
    }
    for (String field : SIGNED_FIELDS) {
      List<String> lines = ctx.getHeaders().get(field);
      if (lines != null && lines.size() > 1) {
        ctx.abortWith(UnauthorizedExceptionMapper.unauthorized());
        return;
      }
    }
    if (!authorities.accepts(ctx.getHeaderString("Host"))) {
      ctx.abortWith(UnauthorizedExceptionMapper.unauthorized());
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

  private static final List<String> SIGNED_FIELDS = List.of(ReviewerRequestSignature.SIGNATURE_INPUT,
      ReviewerRequestSignature.SIGNATURE, ReviewerRequestSignature.CONTENT_DIGEST);

  private Optional<ReviewerEntry> reviewer(Fingerprint signingKeyFingerprint, Instant at) {
    return keys.manifest().reviewers().stream()
        .filter(e -> e.signingKey().fingerprint().equals(signingKeyFingerprint))
        .filter(e -> e.isValidAt(at))
        .findFirst();
  }
}
