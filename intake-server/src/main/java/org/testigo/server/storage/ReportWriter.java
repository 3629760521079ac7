package org.testigo.server.storage;

/**
 * The write path of an envelope held whole in memory (a report, a follow-up, a reply): one
 * transaction per envelope ({@link TransactionWriter}) or a group commit shared with concurrent
 * requests ({@link GroupCommit}), chosen once at start by the application from the
 * configuration ({@code database.groupCommitWriters}). An envelope larger than the replay buffer
 * is never held whole: {@link EnvelopeStore} streams it into a transaction of its own as it
 * arrives, whichever writer is configured.
 *
 * <p>A writer returns only after the commit, with what it stored (or found stored under the
 * same id); it never calls back into its caller.
 */
public interface ReportWriter {
  /**
   * Stores {@code envelope}, its transparency-log leaf and its mailbox link in one
   * transaction; idempotent by the envelope's id (see {@link EnvelopeStore#store}).
   *
   * @throws org.testigo.server.domain.SubmissionIdConflictException if the id is stored with
   *     other bytes or context
   */
  EnvelopeStore.Stored write(HeldEnvelope envelope);
}
