package org.testigo.server.domain;

/**
 * A client-chosen submission id is already stored with different bytes (409). Says nothing
 * about what is stored.
 */
public final class SubmissionIdConflictException extends RuntimeException {
  public SubmissionIdConflictException() {
    super("submission id already used for another envelope");
  }
}
