package org.testigo.server.storage;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * What an auditor without any key may read besides the log itself (docs/spec/merkle-log-and-proofs.md §5.1): the
 * signed case events without their sealed content, and the possession challenges with their
 * answers, each after a cursor. Nothing here is secret: the auditor checks it against the
 * log's leaves and the manifest chain.
 */
public final class AuditFeeds {
  /** One page: items, the cursor to continue after, and whether there are more. */
  public record Page<T>(List<T> items, long next, boolean more) {}

  private final Jdbi jdbi;

  public AuditFeeds(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public Page<CaseEventDao.SignedRow> caseEvents(long after, int limit) {
    List<CaseEventDao.SignedRow> rows = jdbi.withExtension(CaseEventDao.class, d -> d.signedAfter(after, limit + 1));
    List<CaseEventDao.SignedRow> items = rows.stream().limit(limit).toList();
    return new Page<>(items, items.isEmpty() ? after : items.get(items.size() - 1).seq(), rows.size() > limit);
  }

  public Page<ChallengeDao.Row> challenges(long after, int limit) {
    List<ChallengeDao.Row> rows = jdbi.withExtension(ChallengeDao.class, d -> d.after(after, limit + 1));
    List<ChallengeDao.Row> items = rows.stream().limit(limit).toList();
    return new Page<>(items, items.isEmpty() ? after : items.get(items.size() - 1).seq(), rows.size() > limit);
  }
}
