package org.testigo.crypto.event;

import org.testigo.crypto.HexId;

/**
 * The identifier of a case event: SHA-256 of its signed body (see {@link SignedCaseEvent}),
 * 32 bytes. Immutable; orders by unsigned bytes (the tie-breaker of case replay);
 * {@link #hex()} is 64 lowercase hex characters.
 */
public final class EventId extends HexId<EventId> {
  public static final int LENGTH = 32;

  private EventId(byte[] bytes) {
    super(bytes);
  }

  /** @throws IllegalArgumentException if not exactly 32 bytes */
  public static EventId fromBytes(byte[] bytes) {
    return fromBytes(bytes, LENGTH, "an event id is 32 bytes", EventId::new);
  }

  /** @throws IllegalArgumentException unless 64 hex characters */
  public static EventId fromHex(String hex) {
    return fromHex(hex, LENGTH, "an event id is 64 hex characters", EventId::new);
  }
}
