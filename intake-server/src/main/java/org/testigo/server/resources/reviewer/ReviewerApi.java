package org.testigo.server.resources.reviewer;

import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.core.setup.Environment;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.util.EnumSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testigo.server.config.ReviewerApiSettings;
import org.testigo.server.domain.KeyState;
import org.testigo.server.resources.reviewer.auth.ReviewerAuthorities;
import org.testigo.server.resources.reviewer.auth.ReviewerPortFilter;
import org.testigo.server.resources.reviewer.auth.SignatureAuthFilter;
import org.testigo.server.resources.reviewer.auth.UnauthorizedExceptionMapper;
import org.testigo.server.review.CaseEventService;
import org.testigo.server.review.ChallengeService;
import org.testigo.server.review.ErasureService;
import org.testigo.server.review.ReviewerService;
import org.testigo.server.storage.NonceStore;

/** Wires the reviewer API into the application: port separation, authentication, resources. */
public final class ReviewerApi {
  private static final Logger LOG = LoggerFactory.getLogger(ReviewerApi.class);

  private ReviewerApi() {}

  /** What other areas may need from the reviewer API once installed. */
  public record Installed(ReviewerPortFilter ports, ReviewerService service, NonceStore nonces) {}

  /**
   * Installs the reviewer API on the services the application built. The port filter is
   * installed even when the API is disabled, so reviewer paths then answer 404 everywhere.
   *
   * @throws IllegalStateException if enabled and the configured connector does not exist
   */
  public static Installed install(Environment env, ServerFactory server, ReviewerApiSettings settings,
      KeyState keys, ReviewerService service, CaseEventService events, ErasureService erasures,
      ChallengeService challenges,
      NonceStore nonces, long maxEnvelopeBytes, java.util.function.Supplier<String> reviewerOnionServiceId,
      Clock clock) {
    if (settings.isEnabled() && server instanceof DefaultServerFactory d
        && d.getApplicationConnectors().size() <= settings.getConnectorIndex()) {
      throw new IllegalStateException("reviewerApi.connectorIndex " + settings.getConnectorIndex()
          + " names no entry of server.applicationConnectors; add a connector for the reviewer API");
    }
    ReviewerPortFilter ports = new ReviewerPortFilter(settings.getConnectorIndex(), settings.isEnabled());
    env.servlets().addFilter("reviewer-port", ports)
        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
    env.lifecycle().addServerLifecycleListener(ports);
    if (!settings.isEnabled()) {
      return new Installed(ports, service, nonces);
    }
    long maxBody = Math.max(maxEnvelopeBytes, settings.getMaxEventBytes());
    ReviewerAuthorities authorities = ReviewerAuthorities.withOnion(settings.getAuthorities(), reviewerOnionServiceId,
        ports::reviewerPort);
    env.jersey().register(new SignatureAuthFilter(keys, nonces, authorities, maxBody, clock));
    env.jersey().register(new UnauthorizedExceptionMapper());
    env.jersey().register(new ReviewerSubmissionsResource(service, settings.getMaxPageSize()));
    env.jersey().register(new ReviewerManifestResource(keys));
    env.jersey().register(new ReviewerEventsResource(events, settings.getMaxPageSize()));
    env.jersey().register(new ReviewerErasuresResource(erasures, settings.getMaxPageSize()));
    env.jersey().register(new ReviewerErasuresResource.GoneMapper());
    env.jersey().register(new ReviewerErasuresResource.RefusedMapper());
    env.jersey().register(new ReviewerErasuresResource.MismatchMapper());
    env.jersey().register(new ReviewerChallengesResource(challenges));
    env.jersey().register(new ReviewerChallengesResource.AlreadyAnsweredMapper());
    ScheduledExecutorService purge = env.lifecycle().scheduledExecutorService("reviewer-nonce-purge").threads(1).build();
    purge.scheduleWithFixedDelay(() -> {
      try {
        nonces.purgeExpired();
      } catch (RuntimeException e) {
        LOG.warn("purging expired reviewer nonces failed: {}", e.getClass().getName());
      }
    }, settings.getNoncePurgeSeconds(), settings.getNoncePurgeSeconds(), TimeUnit.SECONDS);
    return new Installed(ports, service, nonces);
  }
}
