package org.testigo.server.tor;

import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testigo.crypto.manifest.KeyManifest;

/**
 * Publishes the SOURCE and REVIEWER v3 onion services through the local tor's control
 * port and keeps them published.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>The addresses never change: each service's Ed25519 key lives in the key directory
 *       ({@link OnionKeyStore}, 0600), created on first start and handed to tor with
 *       {@code ADD_ONION ED25519-V3:...} on every (re)connection. Tor's own data directory
 *       holds no state the addresses depend on.</li>
 *   <li>The services are NOT detached: tor removes them as soon as this server's control
 *       connection closes, so a dead server is never represented by a live onion service
 *       (and no other local process that grabs the target port can receive sources'
 *       connections through our address). The price — the connection must stay open —
 *       is paid anyway by the watchdog.</li>
 *   <li>The reviewer service is published only with client authorisation
 *       ({@code Flags=V3Auth}, one {@code ClientAuthV3=} per reviewer key) and not at all
 *       when no reviewer key is configured; tor's confirmation of every key is checked.</li>
 *   <li>A watchdog thread notices a dropped connection (tor stopped, restarted, or the
 *       socket was cut) at once, reconnects with exponential backoff bounded by
 *       {@code maxBackoff}, and re-creates both services; every {@code checkInterval} it
 *       also re-derives the reviewer onion's authorised clients ({@link ReviewerOnionClients}:
 *       the Tor keys of the manifest in force, valid now; the key file only while the manifest
 *       has none) and re-creates the reviewer service when the set of keys changed.</li>
 *   <li>{@code 550 Onion address collision}: if the address is held by a detached service
 *       (left by an operator or an older version) it is removed and re-created under this
 *       connection; if another live control connection holds it (a second server with the
 *       same keys), the service is reported absent with that explanation and retried.</li>
 *   <li>The proof-of-work defence ({@code PoWDefensesEnabled=1}) is requested when enabled
 *       and tor is 0.4.9.2 or later (the first version whose ADD_ONION takes it).</li>
 *   <li>Nothing about clients is requested from tor or logged; only our own (public)
 *       addresses and tor's state are logged.</li>
 * </ul>
 */
public final class OnionServices implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(OnionServices.class);
  private static final Pattern PROGRESS = Pattern.compile("PROGRESS=(\\d+)");
  private static final Pattern SUMMARY = Pattern.compile("SUMMARY=\"([^\"]*)\"");

  private final TorSettings settings;
  private final OnionKeyStore keyStore;
  private final Object lock = new Object();
  private final ReviewerOnionClients clients;
  private ReviewerOnionClients.Source clientSource;

  private OnionServiceKey sourceKey;
  private OnionServiceKey reviewerKey;
  private OnionAddress sourceAddress;
  private volatile OnionAddress reviewerAddress;

  private TorControl control;
  private List<ClientAuthPublicKey> publishedReviewerKeys = List.of();
  private boolean reviewerPublished;
  private boolean powAccepted;
  private String torVersion;
  private volatile TorStatus status = TorStatus.initial();
  private volatile boolean running;
  private Thread watchdog;

  public OnionServices(TorSettings settings) {
    this(settings, null, new SecureRandom());
  }

  /**
   * Services whose reviewer onion admits the Tor client-auth keys of the manifest in force
   * ({@code manifest}, read at every check; see {@link ReviewerOnionClients}).
   */
  public OnionServices(TorSettings settings, Supplier<KeyManifest> manifest) {
    this(settings, manifest, new SecureRandom());
  }

  OnionServices(TorSettings settings, SecureRandom random) {
    this(settings, null, random);
  }

  OnionServices(TorSettings settings, Supplier<KeyManifest> manifest, SecureRandom random) {
    this.settings = settings;
    this.keyStore = new OnionKeyStore(settings.getKeyDirectory(), random);
    this.clients = new ReviewerOnionClients(manifest, settings, Clock.systemUTC());
  }

  /**
   * Loads (or creates) the keys, publishes both services if tor is reachable, and starts
   * the watchdog. Fails only on a configuration error — unreadable keys, a rejected
   * cookie or password, a malformed reviewer key file; an unreachable tor is retried by the
   * watchdog and reported by the health check.
   */
  @Override
  public void start() throws IOException {
    synchronized (lock) {
      if (!sourceInTorrc()) {
        sourceKey = keyStore.loadOrCreate("source");
        sourceAddress = sourceKey.address();
        LOG.info("source onion service address: {}", sourceAddress.hostname());
      } else {
        LOG.info("source onion service: configured in torrc (HiddenServiceExportCircuitID haproxy);"
            + " not published through the control port");
      }
      reviewerKey = keyStore.loadOrCreate("reviewer");
      reviewerAddress = reviewerKey.address();
      ReviewerOnionClients.Derived d = clients.current();
      clientSource = d.source();
      if (d.source() == ReviewerOnionClients.Source.MANIFEST) {
        LOG.info("reviewer onion clients: the Tor keys of the manifest in force ({} now valid)",
            d.keys().size());
        if (clients.settingsNameKeys()) {
          LOG.warn("tor.reviewerClientKeys/reviewerClientKeysFile are ignored: the manifest in force"
              + " lists Tor client-auth keys (the manifest is the one list; remove the file)");
        }
      } else {
        LOG.info("reviewer onion clients: {} key(s) from tor.reviewerClientKeys/reviewerClientKeysFile"
            + " (migration path: the manifest in force lists no Tor client-auth key)", d.keys().size());
      }
      running = true;
      try {
        connectAndPublish();
      } catch (TorAuthenticationException e) {
        running = false;
        throw e;
      } catch (TorControlException e) {
        LOG.warn("tor is not reachable yet, will retry: {}", e.getMessage());
        status = status.disconnected(e.getMessage());
      }
      watchdog = new Thread(this::watch, "tor-watchdog");
      watchdog.setDaemon(true);
      watchdog.start();
    }
  }

  /** Stops the watchdog and closes the control connection; tor then drops both services. */
  @Override
  public void stop() throws InterruptedException {
    running = false;
    Thread w = watchdog;
    if (w != null) {
      w.interrupt();
      w.join(settings.getCommandTimeout().toMilliseconds() + 1000);
    }
    synchronized (lock) {
      closeControl();
      status = status.disconnected("stopped");
      if (sourceKey != null) {
        sourceKey.destroy();
      }
      if (reviewerKey != null) {
        reviewerKey.destroy();
      }
    }
  }

  private boolean sourceInTorrc() {
    return settings.getSource() != null && settings.getSource().isConfiguredInTorrc();
  }

  /**
   * The source service's address (known from the key, whether or not tor is up); null when
   * the source service is configured in torrc.
   */
  public OnionAddress sourceAddress() {
    return sourceAddress;
  }

  /** The reviewer service's address. */
  public OnionAddress reviewerAddress() {
    return reviewerAddress;
  }

  /** The latest snapshot; never blocks. */
  public TorStatus status() {
    return status;
  }

  private void watch() {
    long initialBackoff = Math.min(1000, settings.getCheckInterval().toMilliseconds());
    long backoff = initialBackoff;
    while (running) {
      TorControl c;
      synchronized (lock) {
        c = control;
      }
      try {
        if (c == null || !c.isAlive()) {
          synchronized (lock) {
            if (c != null) {
              LOG.warn("control connection to tor lost; reconnecting");
              closeControl();
              status = status.disconnected("control connection lost");
            }
            connectAndPublish();
          }
          backoff = initialBackoff;
        } else {
          synchronized (lock) {
            check();
          }
        }
        c = control;
        if (c != null) {
          c.awaitClosed(settings.getCheckInterval().toMilliseconds());
        }
      } catch (TorControlException e) {
        String previous = status.problem();
        status = status.connected() && control != null && control.isAlive()
            ? withProblem(e.getMessage()) : status.disconnected(e.getMessage());
        if (!e.getMessage().equals(previous)) {
          LOG.warn("tor: {}", e.getMessage());
        }
        sleep(backoff);
        backoff = Math.min(backoff * 2, settings.getMaxBackoff().toMilliseconds());
      } catch (RuntimeException e) {
        LOG.error("tor watchdog error", e);
        status = withProblem("internal error in tor watchdog");
        sleep(backoff);
        backoff = Math.min(backoff * 2, settings.getMaxBackoff().toMilliseconds());
      }
    }
  }

  private void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      if (!running) {
        return;
      }
      Thread.currentThread().interrupt();
    }
  }

  /** Caller holds {@code lock}. */
  private void connectAndPublish() throws TorControlException {
    if (!running) {
      return;
    }
    TorControl c = TorControl.open(settings.getControlHost(), settings.getControlPort(),
        settings.getCommandTimeout().toMilliseconds());
    try {
      c.authenticate(settings);
      torVersion = c.version();
      control = c;
      reviewerPublished = false;
      publishedReviewerKeys = List.of();
      if (!sourceInTorrc()) {
        publish(c, "source", sourceKey, settings.getSource(), List.of());
        LOG.info("connected to tor {}; source onion service published", torVersion);
      } else {
        LOG.info("connected to tor {}", torVersion);
      }
      check();
    } catch (TorControlException | RuntimeException e) {
      if (control == c) {
        control = null;
      }
      c.close();
      throw e;
    }
  }

  /** Refreshes the status, re-creating whatever is missing. Caller holds {@code lock}. */
  private void check() throws TorControlException {
    TorControl c = control;
    List<String> current = c.onions("onions/current");
    String problem = null;
    if (!sourceInTorrc() && !current.contains(sourceAddress.serviceId())) {
      publish(c, "source", sourceKey, settings.getSource(), List.of());
      current = c.onions("onions/current");
    }
    List<ClientAuthPublicKey> wanted;
    try {
      ReviewerOnionClients.Derived d = clients.current();
      if (d.source() != clientSource) {
        LOG.info("reviewer onion clients now come from {}", d.source() == ReviewerOnionClients.Source.MANIFEST
            ? "the manifest in force (tor.reviewerClientKeys/reviewerClientKeysFile ignored from now on)"
            : "tor.reviewerClientKeys/reviewerClientKeysFile");
        clientSource = d.source();
      }
      wanted = d.keys();
    } catch (IOException | IllegalArgumentException e) {
      wanted = publishedReviewerKeys;
      problem = "reviewer client keys not re-read: " + e.getMessage();
    }
    boolean reviewerLive = current.contains(reviewerAddress.serviceId());
    if (reviewerLive && !wanted.equals(publishedReviewerKeys)) {
      c.command("DEL_ONION " + reviewerAddress.serviceId());
      reviewerLive = false;
      reviewerPublished = false;
      LOG.info("reviewer client keys changed; re-creating the reviewer onion service");
    }
    if (!reviewerLive && !wanted.isEmpty()) {
      publish(c, "reviewer", reviewerKey, settings.getReviewer(), wanted);
      reviewerLive = true;
    }
    publishedReviewerKeys = reviewerLive ? wanted : List.of();
    reviewerPublished = reviewerLive;
    String phase = c.getInfo("status/bootstrap-phase");
    Matcher p = PROGRESS.matcher(phase);
    Matcher s = SUMMARY.matcher(phase);
    current = c.onions("onions/current");
    status = new TorStatus(true, torVersion, p.find() ? Integer.parseInt(p.group(1)) : -1,
        s.find() ? s.group(1) : "unknown", sourceInTorrc() || current.contains(sourceAddress.serviceId()),
        reviewerPublished && current.contains(reviewerAddress.serviceId()),
        wanted.size(), powAccepted, problem, Instant.now());
  }

  private void publish(TorControl c, String name, OnionServiceKey key,
      TorSettings.ServicePort port, List<ClientAuthPublicKey> clientKeys) throws TorControlException {
    boolean pow = settings.isProofOfWorkDefence() && supportsAddOnionPow(torVersion);
    StringBuilder options = new StringBuilder();
    if (!clientKeys.isEmpty()) {
      options.append(" Flags=V3Auth");
      clientKeys.forEach(k -> options.append(" ClientAuthV3=").append(k.base32()));
    }
    List<TorControl.Reply> reply;
    try {
      reply = addOnion(c, key, options, port, pow);
    } catch (TorReplyException e) {
      if (pow && e.getMessage().contains("PoW")) {
        LOG.warn("tor {} refused the proof-of-work defence ({}); publishing without it",
            torVersion, e.getMessage());
        pow = false;
        reply = addOnion(c, key, options, port, false);
      } else {
        throw e;
      }
    }
    powAccepted = pow;
    String serviceId = null;
    int confirmed = 0;
    for (TorControl.Reply r : reply) {
      String msg = r.msg() == null ? "" : r.msg();
      if (msg.startsWith("ServiceID=")) {
        serviceId = msg.substring("ServiceID=".length()).strip();
      } else if (msg.startsWith("ClientAuthV3=")) {
        confirmed++;
      }
    }
    if (!key.address().serviceId().equals(serviceId)) {
      throw new TorControlException("tor published the " + name + " service under an unexpected"
          + " address; refusing to continue");
    }
    if (confirmed != clientKeys.size()) {
      c.command("DEL_ONION " + serviceId);
      throw new TorControlException("tor confirmed " + confirmed + " of " + clientKeys.size()
          + " client-auth keys for the " + name + " service; service removed");
    }
  }

  private List<TorControl.Reply> addOnion(TorControl c, OnionServiceKey key, CharSequence options,
      TorSettings.ServicePort port, boolean pow) throws TorControlException {
    String command = "ADD_ONION " + key.addOnionKeyArgument() + options
        + (pow ? " PoWDefensesEnabled=1" : "") + " " + port.portArgument();
    try {
      return c.command(command);
    } catch (TorReplyException e) {
      if (!e.getMessage().toLowerCase(Locale.ROOT).contains("collision")) {
        throw e;
      }
      String id = key.address().serviceId();
      if (c.onions("onions/detached").contains(id)) {
        LOG.warn("onion address {} was held by a detached service; taking it over", id);
        c.command("DEL_ONION " + id);
        return c.command(command);
      }
      throw new TorControlException("onion address " + id + " is already published by another"
          + " control connection of this tor (another intake-server with the same key"
          + " directory?); will retry");
    }
  }

  /** ADD_ONION accepts PoWDefensesEnabled from tor 0.4.9.2-alpha on (tor ChangeLog). */
  static boolean supportsAddOnionPow(String version) {
    if (version == null) {
      return false;
    }
    Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+)").matcher(version);
    if (!m.find()) {
      return false;
    }
    int[] v = new int[4];
    for (int i = 0; i < 4; i++) {
      v[i] = Integer.parseInt(m.group(i + 1));
    }
    int[] min = {0, 4, 9, 2};
    for (int i = 0; i < 4; i++) {
      if (v[i] != min[i]) {
        return v[i] > min[i];
      }
    }
    return true;
  }

  private TorStatus withProblem(String problem) {
    TorStatus s = status;
    return new TorStatus(s.connected(), s.torVersion(), s.bootstrapProgress(), s.bootstrapSummary(),
        s.sourcePublished(), s.reviewerPublished(), s.reviewerClients(), s.proofOfWork(), problem,
        Instant.now());
  }

  private void closeControl() {
    if (control != null) {
      control.close();
      control = null;
    }
    reviewerPublished = false;
    publishedReviewerKeys = List.of();
  }
}
