package org.testigo.server.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The server's packages depend one way (issue #20, "One house"), bottom to top:
 * <ol>
 *   <li>{@code domain}: plain types, records and exceptions shared by the layers; reaches nothing
 *       else in the server, and no JDBI, Jersey, servlet or Jetty class;</li>
 *   <li>{@code storage}: every SQL statement (DAOs, the transaction runner, the write paths of a
 *       report, the transparency log's tables, the migrations); reaches only {@code domain};</li>
 *   <li>the services by capability, {@code intake} (source submissions, uploads, visits, spool),
 *       {@code log} (the transparency log's sequencer, signer, proofs, manifest updates) and
 *       {@code review} (the reviewer side): domain, storage, {@code circuit} and {@code config},
 *       never resources or views;</li>
 *   <li>{@code views} (HTML) and {@code resources.*} (by caller: {@code source}, {@code reviewer},
 *       {@code audit}, {@code admin}; {@code errors} is the one error registry under them);</li>
 *   <li>the application class at the root, and {@code cli}, which wire everything; nothing else
 *       reaches them.</li>
 * </ol>
 * Beside them: {@code edge} (Jetty in front of every port), {@code circuit}, {@code tor},
 * {@code health}, {@code config}, {@code demo}, and {@code backup} (sealed backups and the host's
 * backup keys), which only {@code cli} reaches: the running server never touches backup keys. No package cycle, between top-level packages
 * nor between any two packages.
 *
 * <p>Below every layer, as libraries: {@code org.testigo.api} (the contract shared with the
 * tools: ids, paths and headers, the questionnaire's vocabulary, the JSON records) and
 * {@code org.testigo.crypto}. Neither reaches the server; the server never reaches crypto's
 * {@code internal} package (Bouncy Castle and argon2 stay behind crypto's own API), nor, in its
 * main code, the api's HTTP client ({@code org.testigo.api.client}, for callers of the server).
 */
class PackageLayersTest {
  private static final String SERVER = "org.testigo.server";
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages(SERVER);

  private static String p(String name) {
    return SERVER + "." + name + "..";
  }

  @Test
  void noCycleBetweenTopLevelPackages() {
    slices().matching(SERVER + ".(*)..").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void noCycleBetweenAnyTwoPackages() {
    slices().matching(SERVER + ".(**)").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void domainUsesNoFramework() {
    noClasses().that().resideInAPackage(p("domain"))
        .should().dependOnClassesThat().resideInAnyPackage("org.jdbi..", "jakarta.ws.rs..", "jakarta.servlet..",
            "org.eclipse.jetty..", "org.glassfish.jersey..", "io.dropwizard..")
        .check(MAIN);
  }

  @Test
  void domainReachesNoOtherServerPackage() {
    noClasses().that().resideInAPackage(p("domain"))
        .should().dependOnClassesThat().resideInAnyPackage(SERVER, p("storage"), p("intake"), p("log"),
            p("review"), p("resources"), p("views"), p("tor"), p("circuit"), p("edge"), p("cli"), p("config"),
            p("health"), p("demo"), p("backup"))
        .check(MAIN);
  }

  @Test
  void storageReachesOnlyTheDomain() {
    noClasses().that().resideInAPackage(p("storage"))
        .should().dependOnClassesThat().resideInAnyPackage(SERVER, p("intake"), p("log"), p("review"),
            p("resources"), p("views"), p("tor"), p("circuit"), p("edge"), p("cli"), p("config"), p("health"),
            p("demo"))
        .because("storage owns the SQL and knows nothing of who calls it")
        .check(MAIN);
  }

  @Test
  void servicesNeverReachResourcesViewsOrTheWiring() {
    noClasses().that().resideInAnyPackage(p("intake"), p("log"), p("review"))
        .should().dependOnClassesThat().resideInAnyPackage(SERVER, p("resources"), p("views"), p("cli"),
            p("tor"), p("edge"), p("health"), p("demo"))
        .check(MAIN);
  }

  @Test
  void servicesDoNotCallEachOther() {
    noClasses().that().resideInAPackage(p("intake"))
        .should().dependOnClassesThat().resideInAnyPackage(p("log"), p("review")).check(MAIN);
    noClasses().that().resideInAPackage(p("review"))
        .should().dependOnClassesThat().resideInAnyPackage(p("intake"), p("log")).check(MAIN);
    noClasses().that().resideInAPackage(p("log"))
        .should().dependOnClassesThat().resideInAnyPackage(p("intake"), p("review")).check(MAIN);
  }

  @Test
  void viewsAreUsedOnlyByResources() {
    noClasses().that().resideOutsideOfPackages(p("views"), p("resources"))
        .and().resideOutsideOfPackage(SERVER)
        .should().dependOnClassesThat().resideInAPackage(p("views"))
        .check(MAIN);
  }

  @Test
  void onlyTheApplicationRootAndCliWireEverything() {
    noClasses().that().resideOutsideOfPackages(SERVER, p("cli"))
        .should().dependOnClassesThat().resideInAnyPackage(SERVER, p("cli"))
        .check(MAIN);
  }

  @Test
  void onlyTheCliReachesTheBackupKeys() {
    noClasses().that().resideOutsideOfPackages(p("backup"), p("cli"))
        .should().dependOnClassesThat().resideInAPackage(p("backup"))
        .because("backup keys are used by the backup command on the host, never by the running server")
        .check(MAIN.that(com.tngtech.archunit.base.DescribedPredicate.not(
            com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName("IntakeApplication"))));
    noClasses().that().resideInAPackage(p("backup"))
        .should().dependOnClassesThat().resideInAnyPackage(SERVER, p("storage"), p("intake"), p("log"),
            p("review"), p("resources"), p("views"), p("tor"), p("circuit"), p("edge"), p("cli"), p("config"),
            p("health"), p("demo"))
        .check(MAIN);
  }

  @Test
  void theErrorRegistrySitsUnderTheResources() {
    noClasses().that().resideInAPackage(p("resources.errors"))
        .should().dependOnClassesThat().resideInAnyPackage(p("resources.source"), p("resources.reviewer"),
            p("resources.audit"), p("resources.admin"))
        .check(MAIN);
  }

  @Test
  void nothingReachesCryptoInternals() {
    noClasses().should().dependOnClassesThat().resideInAPackage("org.testigo.crypto.internal..")
        .because("Bouncy Castle and argon2 stay behind crypto's own API")
        .check(MAIN);
  }

  @Test
  void mainCodeNeverUsesTheApiClient() {
    noClasses().should().dependOnClassesThat().resideInAPackage("org.testigo.api.client..")
        .because("the reviewer-API client is for the server's callers")
        .check(MAIN);
  }

  @Test
  void apiAndCryptoAreLibrariesBelowTheServer() {
    JavaClasses libraries = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.testigo.api", "org.testigo.crypto");
    org.assertj.core.api.Assertions.assertThat(libraries.contain("org.testigo.api.EnvelopeId")).isTrue();
    noClasses().that().resideInAnyPackage("org.testigo.api..", "org.testigo.crypto..")
        .should().dependOnClassesThat().resideInAPackage(SERVER + "..")
        .check(libraries);
  }

  @Test
  void rulesSeeEveryLayer() {
    for (String c : new String[] {"domain.StoredEnvelope", "storage.EnvelopeStore", "intake.SourceService",
        "log.TreeHeadSigner", "review.ReviewerService", "resources.source.SubmissionsServlet",
        "resources.errors.ErrorRegistry", "IntakeApplication"}) {
      org.assertj.core.api.Assertions.assertThat(MAIN.contain(SERVER + "." + c)).as(c).isTrue();
    }
  }
}
