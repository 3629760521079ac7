package org.testigo.api.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The contract module stays a contract: its main code depends only on the JDK, Jackson and the
 * public packages of testigo-crypto (never {@code org.testigo.crypto.internal}, where Bouncy
 * Castle and argon2 live), so that the intake server, testigo-reviewer and testigo-shelter can
 * all depend on it without pulling in a web framework, a database layer or each other. And
 * crypto does not depend back on it.
 */
class ApiDependenciesTest {
  private static final JavaClasses API = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.testigo.api");
  private static final JavaClasses CRYPTO = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.testigo.crypto");

  @Test
  void apiDependsOnlyOnTheJdkJacksonAndPublicCrypto() {
    ArchRule rule = classes().that().resideInAPackage("org.testigo.api..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax.net..", "javax.security..",
            "com.fasterxml.jackson..", "org.testigo.api..", "org.testigo.crypto", "org.testigo.crypto.envelope",
            "org.testigo.crypto.event", "org.testigo.crypto.httpsig", "org.testigo.crypto.sign",
            "org.testigo.crypto.payload", "org.testigo.crypto.key", "org.testigo.crypto.identity",
            "org.testigo.crypto.manifest", "org.testigo.crypto.merkle", "org.testigo.crypto.receipt",
            "org.testigo.crypto.challenge", "org.testigo.crypto.custody");
    rule.check(API);
  }

  @Test
  void apiNeverTouchesCryptoInternals() {
    noClasses().that().resideInAPackage("org.testigo.api..")
        .should().dependOnClassesThat().resideInAPackage("org.testigo.crypto.internal..")
        .check(API);
  }

  @Test
  void apiHasNoWebFrameworkOrDatabase() {
    noClasses().that().resideInAPackage("org.testigo.api..")
        .should().dependOnClassesThat().resideInAnyPackage("io.dropwizard..", "jakarta..", "javax.ws..",
            "org.glassfish..", "org.eclipse.jetty..", "org.jdbi..", "org.flywaydb..", "java.sql..",
            "org.testigo.server..", "org.testigo.cli..")
        .check(API);
  }

  @Test
  void cryptoDoesNotDependOnApi() {
    noClasses().that().resideInAPackage("org.testigo.crypto..")
        .should().dependOnClassesThat().resideInAPackage("org.testigo.api..")
        .check(CRYPTO);
  }
}
