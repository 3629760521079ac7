package org.testigo.server.backup;

/**
 * A backup operation refused or failed. The message is one English sentence that says what
 * went wrong and what to do; {@link #exitCode()} is the documented exit code of
 * {@code backup} (docs/spec/retention-and-erasure.md §7.4).
 */
public final class BackupFailure extends Exception {
  /** Anything else: bad arguments, unreadable or unwritable files, a bad key directory. */
  public static final int GENERAL = 1;
  /** The backup's period key was destroyed on schedule: the backup is crypto-shredded. */
  public static final int SHREDDED = 3;
  /** No key (nor record of its destruction) in the key directory matches the backup. */
  public static final int NO_KEY = 4;
  /** The file is not a sealed backup, or it was altered, truncated or damaged. */
  public static final int DAMAGED = 5;

  private final int exitCode;

  public BackupFailure(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
