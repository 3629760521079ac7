package org.testigo.server.health;

import com.codahale.metrics.health.HealthCheck;
import java.time.Clock;
import org.testigo.server.domain.KeyState;

/** Healthy while the verified manifest lists at least one reviewer valid now. */
public final class ManifestHealthCheck extends HealthCheck {
  private final KeyState keys;
  private final Clock clock;

  public ManifestHealthCheck(KeyState keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  @Override
  protected Result check() {
    long valid = keys.manifest().reviewers().stream()
        .filter(r -> r.receivesReports() && r.isValidAt(clock.instant())).count();
    return valid > 0
        ? Result.healthy("manifest %d verified, %d reviewer(s) valid", keys.manifest().sequence(), valid)
        : Result.unhealthy("no reviewer in the manifest is valid now: issue a new manifest");
  }
}
