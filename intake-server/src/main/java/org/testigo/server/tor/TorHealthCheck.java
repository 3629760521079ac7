package org.testigo.server.tor;

import com.codahale.metrics.health.HealthCheck;

/**
 * Reports the onion services' state from the last watchdog check (never blocks on tor).
 * Healthy when the control connection is up, the source service is published, the
 * reviewer service is published with at least one client key (or deliberately absent
 * because no reviewer key is configured), and — unless disabled for offline tests — tor
 * has bootstrapped to 100 %.
 */
public final class TorHealthCheck extends HealthCheck {
  private final OnionServices services;
  private final boolean requireBootstrap;

  public TorHealthCheck(OnionServices services, boolean requireBootstrap) {
    this.services = services;
    this.requireBootstrap = requireBootstrap;
  }

  @Override
  protected Result check() {
    TorStatus s = services.status();
    ResultBuilder b = Result.builder()
        .withDetail("connected", s.connected())
        .withDetail("torVersion", String.valueOf(s.torVersion()))
        .withDetail("bootstrapProgress", s.bootstrapProgress())
        .withDetail("bootstrapSummary", String.valueOf(s.bootstrapSummary()))
        .withDetail("sourceService", !s.sourcePublished() ? "absent"
            : services.sourceAddress() == null ? "configured in torrc" : services.sourceAddress().hostname())
        .withDetail("reviewerService", s.reviewerPublished() ? "published" : "absent")
        .withDetail("reviewerClientKeys", s.reviewerClients())
        .withDetail("proofOfWorkDefence", s.proofOfWork())
        .withDetail("checkedAt", s.checkedAt().toString());
    if (!s.connected()) {
      return b.unhealthy().withMessage("no control connection to tor: " + s.problem()).build();
    }
    if (!s.sourcePublished()) {
      return b.unhealthy().withMessage("source onion service not published: " + s.problem()).build();
    }
    if (!s.reviewerPublished() && s.reviewerClients() > 0) {
      return b.unhealthy().withMessage("reviewer onion service not published: " + s.problem()).build();
    }
    if (requireBootstrap && s.bootstrapProgress() < 100) {
      return b.unhealthy().withMessage("tor has not bootstrapped: " + s.bootstrapProgress() + "% "
          + s.bootstrapSummary()).build();
    }
    String note = s.reviewerPublished() ? "onion services published"
        : "source service published; reviewer service not published (no reviewer client keys)";
    if (s.problem() != null) {
      note += "; " + s.problem();
    }
    return b.healthy().withMessage(note).build();
  }
}
