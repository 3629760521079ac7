package org.testigo.server.domain;

import java.util.Optional;

/**
 * What the source's status page says about keeping reports: the retention policy of the key
 * manifest in force (docs/spec/retention-and-erasure.md §1), or empty when it carries none
 * (then nothing may be erased, and the page neither states a time nor offers an early erasure
 * request).
 */
@FunctionalInterface
public interface RetentionInForce {
  /** The two periods a source is told about, in days after the case is closed. */
  record Terms(int closedDays, int referralDays) {
    public Terms {
      if (closedDays < 1 || referralDays < closedDays) {
        throw new IllegalArgumentException("retention terms: 1 <= closedDays <= referralDays");
      }
    }
  }

  /** The terms now, read from the manifest in force at the time of the call. */
  Optional<Terms> now();
}
