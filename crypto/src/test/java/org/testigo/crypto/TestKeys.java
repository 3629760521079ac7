package org.testigo.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.sign.SigningPrivateKey;

/** Deterministic test keys (seed = SHA-256(label)) and the golden manifest chain. */
public final class TestKeys {
  private TestKeys() {}

  public static byte[] seed(String label) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(label.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static SigningPrivateKey signing(String label) {
    return SigningPrivateKey.fromSeed(seed("signing:" + label));
  }

  public static RecipientPrivateKey recipient(String label) {
    return RecipientPrivateKey.fromSeed(seed("recipient:" + label));
  }

  public static ReviewerIdentity identity(String alias) {
    return ReviewerIdentity.of(alias, recipient(alias), signing(alias));
  }

  public static ReviewerEntry entry(String alias, String role) {
    return ReviewerEntry.of(identity(alias).publicBundle(), role,
        Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-01-01T00:00:00Z"));
  }

  public static SigningPrivateKey goldenRoot() {
    return signing("golden-root");
  }

  /** The golden chain: sequence 0 (maria, luis, auditor ana), sequence 1 (luis removed, jose added). */
  public static List<SignedManifest> goldenChain() {
    SigningPrivateKey root = goldenRoot();
    SigningPrivateKey log = signing("golden-log");
    KeyManifest m0 = new KeyManifest(0, null, "Casa del Migrante (prueba)", root.publicKey(),
        log.publicKey(), List.of(entry("maria", ReviewerEntry.ROLE_ADMIN),
            entry("luis", ReviewerEntry.ROLE_REVIEWER),
            entry("ana", ReviewerEntry.ROLE_AUDITOR)),
        Instant.parse("2026-01-01T12:00:00Z"));
    SignedManifest s0 = SignedManifest.sign(m0, root);
    KeyManifest m1 = new KeyManifest(1, s0.hash(), "Casa del Migrante (prueba)",
        root.publicKey(), log.publicKey(), List.of(entry("maria", ReviewerEntry.ROLE_ADMIN),
            entry("jose", ReviewerEntry.ROLE_REVIEWER),
            entry("ana", ReviewerEntry.ROLE_AUDITOR)),
        Instant.parse("2026-02-01T12:00:00Z"));
    return List.of(s0, SignedManifest.sign(m1, root));
  }
}
