package org.testigo.server.storage;

import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.extension.ExtensionFactory;
import org.jdbi.v3.core.extension.Extensions;
import org.jdbi.v3.sqlobject.SqlObjectFactory;

/**
 * Every SqlObject interface of the server, and the one-time work that keeps {@code
 * Handle.attach} cheap.
 *
 * <p>JDBI 3.51 keeps the metadata of an extension type (its handlers, built by reflection over
 * every method) in a cache that each {@code Handle} copies from the {@code Jdbi} and never
 * writes back (jdbi/jdbi#2991, fixed in releases that do not resolve with dropwizard-jdbi3
 * 5.0.1). A server that only uses {@code handle.attach} therefore rebuilt the metadata on every
 * attach: about a fifth of its CPU per submission in a profile, most of it in
 * {@code NoSuchMethodException}s thrown by the reflective lookups. {@link #cacheMetadata} builds
 * it once, in the {@code Jdbi}'s own configuration, which every handle then copies.
 */
public final class Daos {
  /** All of them; {@code DaosTest} checks that no interface with SQL annotations is missing. */
  public static final List<Class<?>> ALL = List.of(EnvelopeDao.class, EnvelopeWrites.class, MailboxDao.class,
      ReviewerDao.class, CaseEventDao.class, ChallengeDao.class, RewrapDao.class, LogDao.class,
      PendingLeafDao.class, ErasureDao.class);

  /**
   * Builds the metadata of every DAO in {@code jdbi}'s own configuration (the SqlObject plugin
   * must be installed); returns {@code jdbi}.
   */
  public static Jdbi cacheMetadata(Jdbi jdbi) {
    Extensions extensions = jdbi.getConfig(Extensions.class);
    ExtensionFactory sqlObjects = extensions.findFactory(SqlObjectFactory.class)
        .orElseThrow(() -> new IllegalStateException("the SqlObject plugin is not installed"));
    for (Class<?> dao : ALL) {
      extensions.findMetadata(dao, sqlObjects);
    }
    return jdbi;
  }

  private Daos() {}
}
