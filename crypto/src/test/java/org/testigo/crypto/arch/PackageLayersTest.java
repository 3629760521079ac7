package org.testigo.crypto.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The crypto module's packages form layers with no cycle: {@code internal} (Bouncy Castle,
 * argon2-jvm, the X-Wing and HPKE code) at the bottom, the formats above it. Third-party
 * cryptographic libraries are reached only from {@code internal}, so a format never calls a
 * primitive the module has not wrapped and reviewed (Shamir splitting: custody only).
 */
class PackageLayersTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.testigo.crypto");

  @Test
  void noPackageCycles() {
    slices().matching("org.testigo.crypto.(*)..").should().beFreeOfCycles()
        .allowEmptyShould(false).check(MAIN);
  }

  @Test
  void internalReachesNoFormat() {
    noClasses().that().resideInAPackage("org.testigo.crypto.internal..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.testigo.crypto.envelope..", "org.testigo.crypto.identity..",
            "org.testigo.crypto.manifest..", "org.testigo.crypto.custody..",
            "org.testigo.crypto.event..", "org.testigo.crypto.receipt..",
            "org.testigo.crypto.merkle..", "org.testigo.crypto.payload..",
            "org.testigo.crypto.httpsig..", "org.testigo.crypto.challenge..")
        .because("primitives sit below the formats that use them")
        .allowEmptyShould(false).check(MAIN);
  }

  @Test
  void onlyInternalReachesThirdPartyCryptography() {
    noClasses().that().resideOutsideOfPackage("org.testigo.crypto.internal..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.bouncycastle..", "de.mkammerer.argon2..")
        .because("every primitive is wrapped once in crypto.internal and reviewed there")
        .allowEmptyShould(false).check(MAIN);
  }

  @Test
  void onlyCustodySplitsSecrets() {
    noClasses().that().resideOutsideOfPackages("org.testigo.crypto.custody..",
            "org.testigo.crypto.internal..")
        .should().dependOnClassesThat().resideInAPackage("com.codahale.shamir..")
        .because("Shamir splitting is the root-key ceremony's, nobody else's")
        .allowEmptyShould(false).check(MAIN);
  }
}
