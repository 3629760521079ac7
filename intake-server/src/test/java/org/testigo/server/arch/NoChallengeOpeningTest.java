package org.testigo.server.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The server never learns a possession challenge's nonce before the answer reveals it, and
 * never answers one: no main class of org.testigo.server calls
 * {@code PossessionChallenge.openNonce}, {@code PossessionChallenge.issue} or
 * {@code ChallengeAnswer.sign} (docs/spec/merkle-log-and-proofs.md §5.1).
 */
class NoChallengeOpeningTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.testigo.server");

  @Test
  void theServerNeverOpensIssuesOrAnswersAChallenge() {
    noClasses().should().callMethod("org.testigo.crypto.challenge.PossessionChallenge", "openNonce",
            "org.testigo.crypto.key.RecipientPrivateKey")
        .orShould().callMethodWhere(com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
            com.tngtech.archunit.core.domain.properties.HasName.Predicates.name("issue")).and(
            com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner(
                    com.tngtech.archunit.core.domain.properties.HasName.Predicates.name(
                        "org.testigo.crypto.challenge.PossessionChallenge")))))
        .orShould().callMethodWhere(com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
            com.tngtech.archunit.core.domain.properties.HasName.Predicates.name("sign")).and(
            com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner(
                    com.tngtech.archunit.core.domain.properties.HasName.Predicates.name(
                        "org.testigo.crypto.challenge.ChallengeAnswer")))))
        .because("the server only verifies answers; the nonce is the reviewer's and the auditor's")
        .check(MAIN);
  }
}
