package org.testigo.crypto.event;

import org.testigo.crypto.HexId;

/**
 * The identifier of a case: the 16-byte public id of the report (submission envelope) the
 * case is about. Immutable; compares bytes; {@link #hex()} is 32 lowercase hex characters.
 */
public final class CaseId extends HexId<CaseId> {
  public static final int LENGTH = 16;

  private CaseId(byte[] bytes) {
    super(bytes);
  }

  /** @throws IllegalArgumentException if not exactly 16 bytes */
  public static CaseId fromBytes(byte[] bytes) {
    return fromBytes(bytes, LENGTH, "a case id is 16 bytes", CaseId::new);
  }

  /** @throws IllegalArgumentException unless 32 hex characters */
  public static CaseId fromHex(String hex) {
    return fromHex(hex, LENGTH, "a case id is 32 hex characters", CaseId::new);
  }
}
