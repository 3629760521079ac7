package org.testigo.server.review;

/**
 * A reviewer request is not authentic (401). Carries no detail: the client learns only that
 * the request was refused, never which check failed.
 */
public final class UnauthorizedException extends RuntimeException {
  public UnauthorizedException() {
    super("unauthorized", null, false, false);
  }
}
