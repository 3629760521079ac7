package org.testigo.server.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testigo.crypto.identity.KeystoreParams;
import org.testigo.server.demo.DemoOrganisation;
import org.testigo.server.intake.ConcurrencyLimiter;

class KeyStateTest {
  @TempDir Path dir;

  private KeyState load() throws Exception {
    return KeyState.load(dir.resolve("m.txt"), dir.resolve("fp"), dir.resolve("secret"), Clock.systemUTC());
  }

  @Test
  void load_acceptsTheDemoOrganisationAndSealsOnlyToItsReviewer() throws Exception {
    DemoOrganisation.createIfAbsent(dir, dir.resolve("m.txt"), dir.resolve("fp"), dir.resolve("secret"),
        dir.resolve("log-key"), KeystoreParams.TEST, new SecureRandom(), Clock.systemUTC());
    KeyState keys = load();
    assertThat(keys.recipients()).hasSize(1);
    assertThat(keys.rootFingerprint().hex()).isEqualTo(Files.readString(dir.resolve("fp")).strip());
  }

  @Test
  void load_refusesAnotherPinnedRootATamperedManifestAndAShortSecret() throws Exception {
    DemoOrganisation.createIfAbsent(dir, dir.resolve("m.txt"), dir.resolve("fp"), dir.resolve("secret"),
        dir.resolve("log-key"), KeystoreParams.TEST, new SecureRandom(), Clock.systemUTC());
    String fp = Files.readString(dir.resolve("fp"));
    Files.writeString(dir.resolve("fp"), "00".repeat(32));
    assertThatThrownBy(this::load).isInstanceOf(KeyState.KeyLoadException.class).hasMessageContaining("refusing");
    Files.writeString(dir.resolve("fp"), fp);
    String manifest = Files.readString(dir.resolve("m.txt"));
    int i = manifest.indexOf('\n', manifest.indexOf("-----BEGIN")) + 10;
    char c = manifest.charAt(i);
    Files.writeString(dir.resolve("m.txt"), manifest.substring(0, i) + (c == 'A' ? 'B' : 'A') + manifest.substring(i + 1));
    assertThatThrownBy(this::load).isInstanceOf(KeyState.KeyLoadException.class);
    Files.writeString(dir.resolve("m.txt"), manifest);
    Files.write(dir.resolve("secret"), new byte[8]);
    assertThatThrownBy(this::load).isInstanceOf(KeyState.KeyLoadException.class).hasMessageContaining("32 bytes");
  }

  @Test
  void retentionAt_isThePolicyOfTheManifestInForceAtThatTime() throws Exception {
    SecureRandom random = new SecureRandom();
    java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    java.time.Instant t0 = now.minus(java.time.Duration.ofDays(1));
    java.time.Instant t1 = now.minus(java.time.Duration.ofHours(1));
    org.testigo.crypto.sign.SigningPrivateKey root = org.testigo.crypto.sign.SigningPrivateKey.generate(random);
    var entry = org.testigo.crypto.manifest.ReviewerEntry.of(
        org.testigo.crypto.identity.ReviewerIdentity.generate("alpha", random).publicBundle(),
        org.testigo.crypto.manifest.ReviewerEntry.ROLE_REVIEWER, t0.minus(java.time.Duration.ofDays(1)),
        now.plus(java.time.Duration.ofDays(30)));
    var s0 = org.testigo.crypto.manifest.SignedManifest.sign(org.testigo.crypto.custody.ManifestUpdates.genesis("Org",
        root.publicKey(), org.testigo.crypto.sign.SigningPrivateKey.generate(random).publicKey(),
        java.util.List.of(entry), t0), root);
    var policy = new org.testigo.crypto.manifest.RetentionPolicy(90, 400, 14, 3);
    var s1 = org.testigo.crypto.manifest.SignedManifest.sign(
        org.testigo.crypto.custody.ManifestUpdates.setRetention(s0, policy, t1), root);
    Files.writeString(dir.resolve("m.txt"), org.testigo.crypto.manifest.ManifestChain.toArmored(java.util.List.of(s0, s1)));
    Files.writeString(dir.resolve("fp"), org.testigo.crypto.manifest.KeyManifest.rootFingerprint(root.publicKey()).hex());
    Files.write(dir.resolve("secret"), new byte[32]);
    KeyState keys = load();
    assertThat(keys.retentionAt(t0.minusSeconds(1))).as("before the chain").isEmpty();
    assertThat(keys.retentionAt(t0)).as("genesis, no policy").isEmpty();
    assertThat(keys.retentionAt(t1.minusSeconds(1))).isEmpty();
    assertThat(keys.retentionAt(s1.manifest().issuedAt())).contains(policy);
    assertThat(keys.retentionAt(now)).contains(policy);
  }

  /** A clock the test moves. */
  static final class SteppedClock extends Clock {
    java.time.Instant now;

    SteppedClock(java.time.Instant now) {
      this.now = now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public java.time.Instant instant() {
      return now;
    }
  }

  @Test
  void recipients_areTheEntriesValidAtEachCall_anEntryThatEndsStopsReceivingWithoutARestart() throws Exception {
    SecureRandom random = new SecureRandom();
    java.time.Instant t0 = java.time.Instant.parse("2026-12-07T10:00:00Z");
    org.testigo.crypto.sign.SigningPrivateKey root = org.testigo.crypto.sign.SigningPrivateKey.generate(random);
    var stays = org.testigo.crypto.identity.ReviewerIdentity.generate("stays", random);
    var leaves = org.testigo.crypto.identity.ReviewerIdentity.generate("leaves", random);
    var s0 = org.testigo.crypto.manifest.SignedManifest.sign(org.testigo.crypto.custody.ManifestUpdates.genesis("Org",
        root.publicKey(), org.testigo.crypto.sign.SigningPrivateKey.generate(random).publicKey(), java.util.List.of(
            org.testigo.crypto.manifest.ReviewerEntry.of(stays.publicBundle(),
                org.testigo.crypto.manifest.ReviewerEntry.ROLE_REVIEWER, t0.minusSeconds(60), t0.plusSeconds(3600)),
            org.testigo.crypto.manifest.ReviewerEntry.of(leaves.publicBundle(),
                org.testigo.crypto.manifest.ReviewerEntry.ROLE_REVIEWER, t0.minusSeconds(60), t0.plusSeconds(1))),
        t0.minusSeconds(60)), root);
    Files.writeString(dir.resolve("m.txt"), org.testigo.crypto.manifest.ManifestChain.toArmored(java.util.List.of(s0)));
    Files.writeString(dir.resolve("fp"), org.testigo.crypto.manifest.KeyManifest.rootFingerprint(root.publicKey()).hex());
    Files.write(dir.resolve("secret"), new byte[32]);
    SteppedClock clock = new SteppedClock(t0);
    KeyState keys = KeyState.load(dir.resolve("m.txt"), dir.resolve("fp"), dir.resolve("secret"), clock);
    var stayKey = stays.encryptionKey().publicKey().fingerprint();
    var leaveKey = leaves.encryptionKey().publicKey().fingerprint();
    assertThat(keys.recipientFingerprints()).as("both valid at start").containsExactlyInAnyOrder(stayKey, leaveKey);
    clock.now = t0.plusSeconds(2);
    assertThat(keys.recipientFingerprints()).as("the ended entry, no restart").containsExactly(stayKey);
    assertThat(keys.recipients()).hasSize(1);
    clock.now = t0.plusSeconds(7200);
    assertThatThrownBy(keys::recipients).as("nobody valid: every report refused with 503, nothing sealed")
        .isInstanceOf(StorageUnavailableException.class);
    assertThatThrownBy(keys::recipientFingerprints).isInstanceOf(StorageUnavailableException.class);
  }

  @Test
  void concurrencyLimiter_refusesAtOnceWhenFullAndFreesOnClose() {
    ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 7);
    try (ConcurrencyLimiter.Slot held = limiter.acquire()) {
      assertThatThrownBy(limiter::acquire).isInstanceOfSatisfying(ServiceBusyException.class,
          e -> assertThat(e.retryAfterSeconds()).isEqualTo(7));
    }
    limiter.acquire().close();
    assertThat(limiter.available()).isEqualTo(1);
  }

  @Test
  void concurrencyLimiter_withAQueue_waitsForAFreedSlotAndRefusesBeyondTheQueue() throws Exception {
    ConcurrencyLimiter limiter = new ConcurrencyLimiter(1, 7, 1, java.time.Duration.ofMinutes(5));
    ConcurrencyLimiter.Slot held = limiter.acquire();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      java.util.concurrent.Future<Boolean> waiter = pool.submit(() -> {
        try (ConcurrencyLimiter.Slot got = limiter.acquire()) {
          return true;
        }
      });
      while (limiter.waiting() == 0) {
        Thread.sleep(5);
      }
      assertThatThrownBy(limiter::acquire).as("beyond the queue: refused at once")
          .isInstanceOfSatisfying(ServiceBusyException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(7));
      assertThat(waiter.isDone()).isFalse();
      held.close();
      assertThat(waiter.get()).as("the queued caller got the freed slot").isTrue();
    } finally {
      pool.shutdownNow();
    }
    assertThat(limiter.available()).isEqualTo(1);
    assertThat(limiter.waiting()).isZero();
    ConcurrencyLimiter noWait = new ConcurrencyLimiter(1, 7, 1, java.time.Duration.ZERO);
    try (ConcurrencyLimiter.Slot s = noWait.acquire()) {
      assertThatThrownBy(noWait::acquire).as("queued, but no time to wait").isInstanceOf(ServiceBusyException.class);
      assertThat(noWait.waiting()).isZero();
    }
  }
}
