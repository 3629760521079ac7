package org.testigo.server.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The server never holds a reviewer's private key. Precisely, in main code of
 * org.testigo.server:
 * <ol>
 *   <li>outside the demo package nothing touches {@code Keystore}, {@code ReviewerIdentity},
 *       {@code Passphrase} or {@code KeystoreParams}, and only {@code log.LogSigningKey} (the
 *       server's log key, which signs tree heads) touches {@code SigningPrivateKey};</li>
 *   <li>the demo package may only create a keystore: it never calls {@code Keystore.decrypt},
 *       {@code Keystore.read} or {@code changePassphrase};</li>
 *   <li>a {@code RecipientPrivateKey} is only ever obtained from {@code ReceiptKeys.replyKey()}
 *       (a source's reply key, derived from the source's own receipt): no class calls
 *       {@code RecipientPrivateKey.generate/fromSeed} or {@code ReviewerIdentity.encryptionKey};
 *       only {@code intake.SourceService} calls {@code ReceiptKeys.replyKey()}. The one exception
 *       is {@code backup.BackupKeyDirectory}, the server host's own backup keys (a key per
 *       month that opens only backups, used by the {@code backup} command, never by the running
 *       server: {@link PackageLayersTest});</li>
 *   <li>only the {@code backup} package and the {@code backup} command ever open an envelope
 *       with a private key they hold, and only one of context {@code backup}.</li>
 * </ol>
 */
class NoReviewerPrivateKeysTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.testigo.server");

  @Test
  void onlyTheDemoPackageTouchesKeystoresAndIdentities() {
    ArchRule rule = noClasses().that().resideOutsideOfPackage("org.testigo.server.demo..")
        .and().resideInAPackage("org.testigo.server..")
        .should().dependOnClassesThat().haveFullyQualifiedName("org.testigo.crypto.identity.Keystore")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("org.testigo.crypto.identity.ReviewerIdentity")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("org.testigo.crypto.identity.Passphrase")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("org.testigo.crypto.identity.KeystoreParams")
        .because("the server never holds a reviewer's keys; IntakeApplication passes only the demo "
            + "keystore cost through KeystoreParams");
    rule.allowEmptyShould(false).check(MAIN.that(com.tngtech.archunit.base.DescribedPredicate.not(
        com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName("IntakeApplication"))));
  }

  @Test
  void onlyTheLogSigningKeyHoldsASigningPrivateKey() {
    noClasses().that().resideOutsideOfPackage("org.testigo.server.demo..")
        .and().doNotHaveFullyQualifiedName("org.testigo.server.log.LogSigningKey")
        .should().dependOnClassesThat().haveFullyQualifiedName("org.testigo.crypto.sign.SigningPrivateKey")
        .because("the only private signing key on the server is its log key, which signs tree heads")
        .check(MAIN);
    noClasses().should().callMethodWhere(call("org.testigo.crypto.sign.SigningPrivateKey", "generate"))
        .because("signing keys are made only by the demo and by LogSigningKey.create (log-key create)")
        .check(MAIN.that(DescribedPredicate.not(com.tngtech.archunit.core.domain.JavaClass.Predicates
            .resideInAPackage("org.testigo.server.demo..")
            .or(HasName.Predicates.name("org.testigo.server.log.LogSigningKey")))));
  }

  private static DescribedPredicate<JavaCall<?>> call(String ownerFqn, String method) {
    return JavaCall.Predicates.target(HasName.Predicates.name(method))
        .and(JavaCall.Predicates.target(HasOwner.Predicates.With.owner(
            HasName.Predicates.name(ownerFqn))));
  }

  @Test
  void theDemoPackageNeverOpensAKeystore() {
    noClasses().should().callMethodWhere(call("org.testigo.crypto.identity.Keystore", "decrypt"))
        .orShould().callMethodWhere(call("org.testigo.crypto.identity.Keystore", "read"))
        .orShould().callMethodWhere(call("org.testigo.crypto.identity.Keystore", "changePassphrase"))
        .orShould().callMethodWhere(call("org.testigo.crypto.identity.ReviewerIdentity", "encryptionKey"))
        .orShould().callMethodWhere(call("org.testigo.crypto.identity.ReviewerIdentity", "signingKey"))
        .check(MAIN);
  }

  @Test
  void recipientPrivateKeysComeOnlyFromReceiptKeys() {
    noClasses().that().doNotHaveFullyQualifiedName("org.testigo.server.backup.BackupKeyDirectory")
        .should().callMethodWhere(call("org.testigo.crypto.key.RecipientPrivateKey", "generate"))
        .orShould().callMethodWhere(call("org.testigo.crypto.key.RecipientPrivateKey", "fromSeed"))
        .because("the server holds no recipient private key but a source's reply key and, in the backup"
            + " command only, the host's backup keys")
        .check(MAIN);
    noClasses().that().doNotHaveFullyQualifiedName("org.testigo.server.intake.SourceService")
        .should().callMethodWhere(call("org.testigo.crypto.receipt.ReceiptKeys", "replyKey"))
        .check(MAIN);
  }

  @Test
  void onlyTheBackupPackageOpensEnvelopesWithItsOwnKeys() {
    noClasses().that().resideOutsideOfPackage("org.testigo.server.backup..")
        .and().doNotHaveFullyQualifiedName("org.testigo.server.intake.SourceService")
        .should().callMethod("org.testigo.crypto.envelope.Envelope", "open", "java.io.InputStream",
            "java.io.OutputStream", "org.testigo.crypto.key.RecipientPrivateKey", "java.lang.String")
        .orShould().callMethod("org.testigo.crypto.envelope.Envelope", "open", "byte[]",
            "org.testigo.crypto.key.RecipientPrivateKey", "java.lang.String")
        .because("the server opens only a source's replies for that source (SourceService) and,"
            + " in the backup command, its own backups")
        .check(MAIN);
    org.assertj.core.api.Assertions.assertThat(MAIN.contain("org.testigo.server.backup.BackupArchive")).isTrue();
  }

  @Test
  void rulesSeeTheServerClasses() {
    org.assertj.core.api.Assertions.assertThat(MAIN.contain("org.testigo.server.intake.SourceService")).isTrue();
  }
}
