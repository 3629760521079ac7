package org.testigo.server.tor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ReviewerEntry;

/** The reviewer onion's authorised clients, derived from the manifest in force. */
class ReviewerOnionClientsTest {
  static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  static final ReviewerIdentity MARIA = TestKeys.identity("maria");
  static final ReviewerIdentity JOSE = TestKeys.identity("jose");
  static final ReviewerIdentity ANA = TestKeys.identity("ana");
  @TempDir Path tmp;

  /** A manifest (unsigned: the server's KeyState holds only verified ones) of these entries. */
  static KeyManifest manifest(long sequence, ReviewerEntry... entries) {
    return new KeyManifest(sequence, sequence == 0 ? null : TestKeys.goldenChain().get(0).hash(),
        "Casa del Migrante (prueba)", TestKeys.goldenRoot().publicKey(), TestKeys.signing("golden-log").publicKey(),
        List.of(entries), NOW.minus(Duration.ofDays(1)));
  }

  static ReviewerEntry withTor(ReviewerIdentity who, String role, Instant notAfter) {
    return ReviewerEntry.of(who.publicBundleWithTorKey(), role, NOW.minus(Duration.ofDays(10)), notAfter);
  }

  static ReviewerEntry withoutTor(ReviewerIdentity who, String role) {
    return ReviewerEntry.of(who.publicBundle(), role, NOW.minus(Duration.ofDays(10)), NOW.plus(Duration.ofDays(300)));
  }

  static ClientAuthPublicKey key(ReviewerIdentity who) {
    return ClientAuthPublicKey.fromBytes(who.torClientAuthPublicKey().toBytes());
  }

  TorSettings settingsWithFile(ClientAuthKeyPair... keys) throws Exception {
    Path file = tmp.resolve("reviewer-client-keys");
    List<String> lines = new ArrayList<>();
    for (ClientAuthKeyPair k : keys) {
      lines.add(k.publicKey().authFileLine());
    }
    Files.write(file, lines);
    TorSettings s = new TorSettings();
    s.setReviewerClientKeysFile(file);
    return s;
  }

  @Test
  void aManifestWithoutTorKeys_leavesTheFileAsTheMigrationPath() throws Exception {
    ClientAuthKeyPair old = ClientAuthKeyPair.generate(new SecureRandom());
    ReviewerOnionClients clients = new ReviewerOnionClients(
        () -> manifest(0, withoutTor(MARIA, ReviewerEntry.ROLE_ADMIN)), settingsWithFile(old), Clock.fixed(NOW, ZoneOffset.UTC));
    ReviewerOnionClients.Derived d = clients.current();
    assertThat(d.source()).isEqualTo(ReviewerOnionClients.Source.FILE);
    assertThat(d.keys()).containsExactly(old.publicKey());
  }

  @Test
  void aManifestWithTorKeys_isTheOneList_theFileIsIgnored() throws Exception {
    ClientAuthKeyPair old = ClientAuthKeyPair.generate(new SecureRandom());
    ReviewerOnionClients clients = new ReviewerOnionClients(() -> manifest(0,
        withTor(MARIA, ReviewerEntry.ROLE_ADMIN, NOW.plus(Duration.ofDays(30))),
        withTor(JOSE, ReviewerEntry.ROLE_REVIEWER, NOW.plus(Duration.ofDays(30))),
        withoutTor(ANA, ReviewerEntry.ROLE_AUDITOR)), settingsWithFile(old), Clock.fixed(NOW, ZoneOffset.UTC));
    ReviewerOnionClients.Derived d = clients.current();
    assertThat(d.source()).isEqualTo(ReviewerOnionClients.Source.MANIFEST);
    assertThat(d.keys()).containsExactlyInAnyOrder(key(MARIA), key(JOSE)).doesNotContain(old.publicKey());
  }

  @Test
  void aManifestUpdate_changesTheClients_andExpiredEntriesLoseAccess() throws Exception {
    AtomicReference<KeyManifest> inForce = new AtomicReference<>(manifest(0,
        withTor(MARIA, ReviewerEntry.ROLE_ADMIN, NOW.plus(Duration.ofDays(30))),
        withTor(JOSE, ReviewerEntry.ROLE_REVIEWER, NOW.plus(Duration.ofDays(30)))));
    ReviewerOnionClients clients = new ReviewerOnionClients(inForce::get, settingsWithFile(),
        Clock.fixed(NOW, ZoneOffset.UTC));
    assertThat(clients.current().keys()).containsExactlyInAnyOrder(key(MARIA), key(JOSE));

    inForce.set(manifest(1, withTor(MARIA, ReviewerEntry.ROLE_ADMIN, NOW.plus(Duration.ofDays(30)))));
    assertThat(clients.current().keys()).containsExactly(key(MARIA));

    inForce.set(manifest(1, withTor(MARIA, ReviewerEntry.ROLE_ADMIN, NOW.minusSeconds(1)),
        withoutTor(JOSE, ReviewerEntry.ROLE_REVIEWER)));
    ReviewerOnionClients.Derived d = clients.current();
    assertThat(d.source()).as("a manifest that ever listed a Tor key never falls back to the file")
        .isEqualTo(ReviewerOnionClients.Source.MANIFEST);
    assertThat(d.keys()).isEmpty();
  }
}
