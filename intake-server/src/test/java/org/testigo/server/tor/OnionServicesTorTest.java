package org.testigo.server.tor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.util.Duration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OnionServices against a real, offline tor (see {@link TorProcess}). */
class OnionServicesTorTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path tmp;
  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private int port;
  private TorProcess tor;
  private final ClientAuthKeyPair alice = ClientAuthKeyPair.generate(RANDOM);
  private final ClientAuthKeyPair bob = ClientAuthKeyPair.generate(RANDOM);

  @BeforeEach
  void startTor() throws Exception {
    port = TorProcess.freePort();
    tor = startTor("tor1", null);
  }

  @AfterEach
  void stopAll() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  private TorProcess startTor(String dir, String hashedPassword, String... extra) throws Exception {
    TorProcess t = TorProcess.start(tmp.resolve(dir), port, hashedPassword, extra);
    cleanup.add(t);
    return t;
  }

  private TorSettings settings(Path cookie) {
    TorSettings s = new TorSettings();
    s.setControlPort(port);
    s.setCookieFile(cookie);
    s.setKeyDirectory(tmp.resolve("keys"));
    s.setSource(new TorSettings.ServicePort(80, 18080));
    s.setReviewer(new TorSettings.ServicePort(80, 18081));
    s.setReviewerClientKeys(List.of(alice.publicKey().base32(),
        bob.publicKey().authFileLine()));
    s.setRequireBootstrap(false);
    s.setCheckInterval(Duration.milliseconds(200));
    s.setMaxBackoff(Duration.seconds(1));
    s.setCommandTimeout(Duration.seconds(5));
    return s;
  }

  private OnionServices start(TorSettings s) throws Exception {
    OnionServices services = new OnionServices(s, RANDOM);
    services.start();
    cleanup.add(services::stop);
    return services;
  }

  private TorControl probe(TorProcess t) throws Exception {
    TorControl c = TorControl.open("127.0.0.1", t.controlPort(), 5000);
    cleanup.add(c);
    TorSettings s = new TorSettings();
    s.setCookieFile(t.cookieFile());
    c.authenticate(s);
    return c;
  }

  private OnionServiceKey storedKey(String name) throws Exception {
    return new OnionKeyStore(tmp.resolve("keys"), RANDOM).loadOrCreate(name);
  }

  /** True when tor refuses the key because an active service already uses it. */
  private boolean activeInTor(TorControl c, String name) throws Exception {
    try {
      c.command("ADD_ONION " + storedKey(name).addOnionKeyArgument() + " Port=80,127.0.0.1:9");
    } catch (TorReplyException e) {
      assertThat(e.getMessage()).contains("collision");
      return true;
    }
    c.command("DEL_ONION " + storedKey(name).address().serviceId());
    return false;
  }

  private static void await(String what, long millis, BooleanSupplier condition) throws Exception {
    long deadline = System.currentTimeMillis() + millis;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("not within " + millis + " ms: " + what);
      }
      Thread.sleep(50);
    }
  }

  private static boolean healthy(TorHealthCheck h) {
    return h.execute().isHealthy();
  }

  @Test
  void start_publishesBothServicesUnderTheAddressesOfItsKeys_withClientAuthAndPow() throws Exception {
    OnionServices services = start(settings(tor.cookieFile()));
    TorStatus s = services.status();
    assertThat(s.connected()).isTrue();
    assertThat(s.torVersion()).startsWith("0.4.");
    assertThat(s.sourcePublished()).isTrue();
    assertThat(s.reviewerPublished()).isTrue();
    assertThat(s.reviewerClients()).isEqualTo(2);
    assertThat(s.proofOfWork()).isEqualTo(OnionServices.supportsAddOnionPow(s.torVersion()));
    assertThat(services.sourceAddress()).isEqualTo(storedKey("source").address());
    assertThat(services.reviewerAddress()).isEqualTo(storedKey("reviewer").address());
    assertThat(services.sourceAddress()).isNotEqualTo(services.reviewerAddress());
    TorControl other = probe(tor);
    assertThat(activeInTor(other, "source")).isTrue();
    assertThat(activeInTor(other, "reviewer")).isTrue();
    assertThat(other.onions("onions/detached")).isEmpty();
    assertThat(Files.getPosixFilePermissions(tmp.resolve("keys/source.key")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(tmp.resolve("keys")))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    HealthCheck.Result r = new TorHealthCheck(services, false).execute();
    assertThat(r.isHealthy()).as(r.getMessage()).isTrue();
    assertThat(r.getDetails()).containsEntry("reviewerClientKeys", 2);
    // tor with DisableNetwork never bootstraps: the production check must say so.
    assertThat(new TorHealthCheck(services, true).execute().getMessage()).contains("bootstrapped");
  }

  @Test
  void aSourceServiceConfiguredInTorrc_isNotPublished_andOnlyTheReviewerServiceIs() throws Exception {
    TorSettings settings = settings(tor.cookieFile());
    TorSettings.ServicePort source = new TorSettings.ServicePort(80, 18080);
    source.setConfiguredInTorrc(true);
    settings.setSource(source);
    OnionServices services = start(settings);
    TorStatus s = services.status();
    assertThat(s.connected()).isTrue();
    assertThat(s.reviewerPublished()).isTrue();
    assertThat(s.sourcePublished()).as("tor serves it from its torrc").isTrue();
    assertThat(services.sourceAddress()).isNull();
    assertThat(Files.exists(tmp.resolve("keys/source.key"))).as("no source key made here").isFalse();
    TorControl other = probe(tor);
    assertThat(activeInTor(other, "reviewer")).isTrue();
    HealthCheck.Result r = new TorHealthCheck(services, false).execute();
    assertThat(r.isHealthy()).as(r.getMessage()).isTrue();
    assertThat(r.getDetails()).containsEntry("sourceService", "configured in torrc");
  }

  @Test
  void stop_removesTheServices_andARestartedServerPublishesTheSameAddresses() throws Exception {
    TorSettings s = settings(tor.cookieFile());
    OnionServices first = new OnionServices(s, RANDOM);
    first.start();
    OnionAddress source = first.sourceAddress();
    OnionAddress reviewer = first.reviewerAddress();
    first.stop();
    TorControl other = probe(tor);
    assertThat(activeInTor(other, "source")).as("not detached: gone with the server").isFalse();
    assertThat(activeInTor(other, "reviewer")).isFalse();
    OnionServices second = start(s);
    assertThat(second.sourceAddress()).isEqualTo(source);
    assertThat(second.reviewerAddress()).isEqualTo(reviewer);
    assertThat(second.status().sourcePublished()).isTrue();
    assertThat(activeInTor(other, "source")).isTrue();
  }

  @Test
  void torCrash_makesHealthUnhealthy_andARestartedTorWithANewDataDirGetsTheSameAddresses()
      throws Exception {
    TorSettings s = settings(tor.cookieFile());
    OnionServices services = start(s);
    TorHealthCheck health = new TorHealthCheck(services, false);
    OnionAddress source = services.sourceAddress();
    assertThat(healthy(health)).isTrue();
    long k0 = System.currentTimeMillis();
    tor.kill();
    await("health turns unhealthy after tor died", 5_000, () -> !healthy(health));
    long detect = System.currentTimeMillis() - k0;
    assertThat(health.execute().getMessage()).contains("no control connection");
    long t0 = System.currentTimeMillis();
    TorProcess tor2 = startTor("tor2", null);
    s.setCookieFile(tor2.cookieFile());
    await("services re-created after tor restart", 15_000, () -> healthy(health));
    long recovery = System.currentTimeMillis() - t0;
    assertThat(services.sourceAddress()).isEqualTo(source);
    TorControl other = probe(tor2);
    assertThat(activeInTor(other, "source")).isTrue();
    assertThat(activeInTor(other, "reviewer")).isTrue();
    System.out.println("recovery after tor restart: " + recovery + " ms; unhealthy after kill: " + detect + " ms");
  }

  @Test
  void torRestartWithTheSameDataDir_restoresServicesWithinBoundedTime() throws Exception {
    OnionServices services = start(settings(tor.cookieFile()));
    TorHealthCheck health = new TorHealthCheck(services, false);
    tor.close();
    await("unhealthy after tor stopped", 5_000, () -> !healthy(health));
    startTor("tor1", null);
    await("healthy again", 15_000, () -> healthy(health));
    assertThat(services.status().reviewerClients()).isEqualTo(2);
  }

  @Test
  void collisionWithADetachedLeftover_isTakenOver() throws Exception {
    TorControl other = probe(tor);
    other.command("ADD_ONION " + storedKey("source").addOnionKeyArgument()
        + " Flags=Detach Port=80,127.0.0.1:9");
    assertThat(other.onions("onions/detached")).contains(storedKey("source").address().serviceId());
    OnionServices services = start(settings(tor.cookieFile()));
    assertThat(services.status().sourcePublished()).isTrue();
    assertThat(other.onions("onions/detached")).isEmpty();
  }

  @Test
  void collisionWithAnotherLiveConnection_isReported_thenRecoveredWhenItCloses() throws Exception {
    TorControl other = probe(tor);
    other.command("ADD_ONION " + storedKey("source").addOnionKeyArgument() + " Port=80,127.0.0.1:9");
    OnionServices services = start(settings(tor.cookieFile()));
    TorHealthCheck health = new TorHealthCheck(services, false);
    assertThat(healthy(health)).isFalse();
    assertThat(health.execute().getMessage()).contains("another control connection");
    other.close();
    await("published once the other connection closed", 10_000, () -> healthy(health));
  }

  private static org.testigo.crypto.manifest.ReviewerEntry entry(String alias, boolean tor, java.time.Instant notAfter) {
    var who = org.testigo.crypto.TestKeys.identity(alias);
    return org.testigo.crypto.manifest.ReviewerEntry.of(tor ? who.publicBundleWithTorKey() : who.publicBundle(),
        org.testigo.crypto.manifest.ReviewerEntry.ROLE_REVIEWER, java.time.Instant.now().minusSeconds(3600), notAfter);
  }

  private static org.testigo.crypto.manifest.KeyManifest manifest(long sequence,
      org.testigo.crypto.manifest.ReviewerEntry... entries) {
    return new org.testigo.crypto.manifest.KeyManifest(sequence,
        sequence == 0 ? null : org.testigo.crypto.TestKeys.goldenChain().get(0).hash(), "Prueba",
        org.testigo.crypto.TestKeys.goldenRoot().publicKey(), org.testigo.crypto.TestKeys.signing("golden-log").publicKey(),
        List.of(entries), java.time.Instant.now().minusSeconds(60));
  }

  @Test
  void manifestUpdates_changeTheReviewerOnionsClients_theFileOnlyWhileTheManifestHasNoTorKey() throws Exception {
    Path file = tmp.resolve("reviewer-client-keys");
    Files.writeString(file, alice.publicKey().authFileLine() + "\n");
    TorSettings s = settings(tor.cookieFile());
    s.setReviewerClientKeys(List.of());
    s.setReviewerClientKeysFile(file);
    java.time.Instant later = java.time.Instant.now().plus(java.time.Duration.ofDays(30));
    var inForce = new java.util.concurrent.atomic.AtomicReference<>(manifest(0, entry("maria", false, later)));
    OnionServices services = new OnionServices(s, inForce::get, RANDOM);
    services.start();
    cleanup.add(services::stop);
    assertThat(services.status().reviewerClients()).as("v1 manifest: the file's one key").isEqualTo(1);

    inForce.set(manifest(1, entry("maria", true, later), entry("jose", true, later), entry("ana", false, later)));
    await("reviewer service re-created with the manifest's two Tor keys", 5_000,
        () -> services.status().reviewerClients() == 2 && services.status().reviewerPublished());
    assertThat(activeInTor(probe(tor), "reviewer")).isTrue();

    inForce.set(manifest(1, entry("maria", true, later), entry("ana", false, later)));
    await("jose removed from the manifest: one client left", 5_000,
        () -> services.status().reviewerClients() == 1 && services.status().reviewerPublished());

    inForce.set(manifest(1, entry("maria", true, java.time.Instant.now().minusSeconds(1800)), entry("ana", false, later)));
    await("maria revoked: no client left, service withdrawn (the file is not used again)", 5_000,
        () -> !services.status().reviewerPublished() && services.status().reviewerClients() == 0);
  }

  @Test
  void reviewerKeyFileChanges_recreateTheReviewerService() throws Exception {
    Path file = tmp.resolve("reviewer-client-keys");
    Files.writeString(file, "# reviewers\n" + alice.publicKey().authFileLine() + "\n");
    TorSettings s = settings(tor.cookieFile());
    s.setReviewerClientKeys(List.of());
    s.setReviewerClientKeysFile(file);
    OnionServices services = start(s);
    assertThat(services.status().reviewerClients()).isEqualTo(1);
    Files.writeString(file, bob.publicKey().base32() + "\n", java.nio.file.StandardOpenOption.APPEND);
    await("reviewer service re-created with two keys", 5_000,
        () -> services.status().reviewerClients() == 2 && services.status().reviewerPublished());
    Files.writeString(file, "# nobody\n");
    await("reviewer service withdrawn when no key is left", 5_000,
        () -> !services.status().reviewerPublished() && services.status().reviewerClients() == 0);
    assertThat(activeInTor(probe(tor), "reviewer")).isFalse();
    assertThat(new TorHealthCheck(services, false).execute().getMessage())
        .contains("reviewer service not published (no reviewer client keys)");
  }

  @Test
  void wrongPassword_failsStartWithAClearErrorThatDoesNotContainThePassword() throws Exception {
    tor.close();
    startTor("tor-pw", TorProcess.hashPassword("correct horse"), "CookieAuthentication 0");
    Path pw = tmp.resolve("password");
    Files.writeString(pw, "wrong battery\n");
    TorSettings s = settings(null);
    s.setPasswordFile(pw);
    OnionServices services = new OnionServices(s, RANDOM);
    assertThatThrownBy(services::start)
        .isInstanceOf(TorAuthenticationException.class)
        .hasMessageContaining("rejected the control-port credentials from the password file " + pw)
        .hasMessageNotContaining("wrong battery");
    Files.writeString(pw, "correct horse\n");
    OnionServices ok = start(s);
    assertThat(ok.status().sourcePublished()).isTrue();
  }

  @Test
  void wrongOrMissingCookie_failsStartWithAClearError() throws Exception {
    Path fake = tmp.resolve("fake-cookie");
    byte[] junk = new byte[32];
    RANDOM.nextBytes(junk);
    Files.write(fake, junk);
    assertThatThrownBy(() -> new OnionServices(settings(fake), RANDOM).start())
        .isInstanceOf(TorAuthenticationException.class)
        .hasMessageContaining("is not the cookie of the tor listening on this control port");
    Path missing = tmp.resolve("no-such-cookie");
    assertThatThrownBy(() -> new OnionServices(settings(missing), RANDOM).start())
        .isInstanceOf(TorAuthenticationException.class)
        .hasMessageContaining(missing + " does not exist");
  }

  @Test
  void torNotRunningAtStart_isRetriedUntilItComes() throws Exception {
    tor.close();
    TorSettings s = settings(tmp.resolve("tor3/control_auth_cookie"));
    OnionServices services = start(s);
    TorHealthCheck health = new TorHealthCheck(services, false);
    assertThat(healthy(health)).isFalse();
    assertThat(health.execute().getMessage()).contains("cannot connect to tor's control port");
    startTor("tor3", null);
    await("published once tor came up", 15_000, () -> healthy(health));
  }

  @Test
  void clientAuthPrivateKeyFormat_isAcceptedByTorsOnionClientAuthAdd() throws Exception {
    OnionAddress service = storedKey("reviewer").address();
    TorControl c = probe(tor);
    c.command("ONION_CLIENT_AUTH_ADD " + service.serviceId() + " " + alice.controlPortPrivateKey());
    List<TorControl.Reply> view = c.command("ONION_CLIENT_AUTH_VIEW " + service.serviceId());
    assertThat(view).anySatisfy(r -> assertThat(r.msg())
        .isEqualTo("CLIENT " + service.serviceId() + " " + alice.controlPortPrivateKey()));
  }

  @Test
  void exportedTorServiceDir_isReadByTorAsTheSameAddress() throws Exception {
    OnionKeyStore store = new OnionKeyStore(tmp.resolve("keys"), RANDOM);
    OnionAddress address = store.loadOrCreate("source").address();
    Path hsDir = tmp.resolve("hs");
    store.exportTorServiceDir("source", hsDir);
    Files.delete(hsDir.resolve("hostname"));
    tor.close();
    port = TorProcess.freePort();
    startTor("tor-hs", null, "HiddenServiceDir " + hsDir, "HiddenServicePort 80 127.0.0.1:18080");
    await("tor wrote the hostname", 10_000, () -> Files.exists(hsDir.resolve("hostname")));
    assertThat(Files.readString(hsDir.resolve("hostname"), StandardCharsets.US_ASCII).strip())
        .isEqualTo(address.hostname());
  }

  @Test
  void keyStore_refusesAKeyFileReadableByOthers() throws Exception {
    storedKey("source");
    Files.setPosixFilePermissions(tmp.resolve("keys/source.key"),
        PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> new OnionServices(settings(tor.cookieFile()), RANDOM).start())
        .hasMessageContaining("source.key is accessible to group or others");
  }
}
