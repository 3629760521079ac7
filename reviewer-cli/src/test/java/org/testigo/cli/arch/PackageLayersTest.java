package org.testigo.cli.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * The packages of reviewer-cli's main code depend one way (issue 20, "One house"):
 * <ul>
 *   <li>{@code cli.common} (errors, exit codes, the keystore, passphrase and home options,
 *       progress bars, reading key bundles) reaches no other package of the tool;</li>
 *   <li>{@code cli.remote} (server profiles, the local cache, the session with a server)
 *       reaches only {@code common};</li>
 *   <li>the capabilities ({@code keys}, {@code custody}, {@code audit}, {@code cases},
 *       {@code stats}, {@code poster}) reach {@code common} and {@code remote}, and one another
 *       only where named: {@code audit} reads manifests through {@code custody}, {@code stats}
 *       counts the cases of {@code cases};</li>
 *   <li>{@code cli.inbox} (the full-screen inbox) reaches {@code common}, {@code remote} and
 *       {@code cases}, whose commands it runs; nothing but the root, which registers the
 *       {@code inbox} command, reaches it;</li>
 *   <li>{@code org.testigo.shelter} (testigo-shelter) reaches only {@code cli.common} and
 *       {@code cli.remote}, never the reviewer's cases, custody or audit;</li>
 *   <li>nothing reaches the root package {@code org.testigo.cli}, which only wires the
 *       commands into {@code testigo-reviewer};</li>
 *   <li>no package cycles at all among {@code org.testigo.cli.*} and {@code org.testigo.shelter.*};</li>
 *   <li>one HTTP stack: the shared contract's client ({@code org.testigo.api.client}, HTTP/1.1 direct
 *       or through SOCKS5) is the only way out to the network; no class here uses
 *       {@code java.net.http}, {@code HttpURLConnection}, {@code URL.openConnection} or a raw
 *       {@code Socket} itself;</li>
 *   <li>nothing reaches {@code org.testigo.crypto.internal}.</li>
 * </ul>
 * {@code org.testigo.api} (testigo-api) and {@code org.testigo.crypto} are libraries below every
 * layer, like the JDK; they do not depend back (their own tests check that).
 * Tests are left out: they drive the whole tool through {@code ReviewerCli.run}.
 */
class PackageLayersTest {
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("org.testigo.cli", "org.testigo.shelter");

  @Test
  void noPackageCycles() {
    slices().matching("org.testigo.(**)").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void packagesDependOneWay() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("Root").definedBy("org.testigo.cli")
        .layer("Cases").definedBy("org.testigo.cli.cases..")
        .layer("Stats").definedBy("org.testigo.cli.stats..")
        .layer("Audit").definedBy("org.testigo.cli.audit..")
        .layer("Custody").definedBy("org.testigo.cli.custody..")
        .layer("Keys").definedBy("org.testigo.cli.keys..")
        .layer("Poster").definedBy("org.testigo.cli.poster..")
        .layer("Inbox").definedBy("org.testigo.cli.inbox..")
        .layer("Remote").definedBy("org.testigo.cli.remote..")
        .layer("Common").definedBy("org.testigo.cli.common..")
        .layer("Shelter").definedBy("org.testigo.shelter..")
        .whereLayer("Root").mayNotBeAccessedByAnyLayer()
        .whereLayer("Common").mayNotAccessAnyLayer()
        .whereLayer("Remote").mayOnlyAccessLayers("Common")
        .whereLayer("Keys").mayOnlyAccessLayers("Common", "Remote")
        .whereLayer("Custody").mayOnlyAccessLayers("Common", "Remote")
        .whereLayer("Audit").mayOnlyAccessLayers("Common", "Remote", "Custody")
        .whereLayer("Cases").mayOnlyAccessLayers("Common", "Remote")
        .whereLayer("Stats").mayOnlyAccessLayers("Common", "Remote", "Cases")
        .whereLayer("Poster").mayOnlyAccessLayers("Common")
        .whereLayer("Inbox").mayOnlyAccessLayers("Common", "Remote", "Cases")
        .whereLayer("Inbox").mayOnlyBeAccessedByLayers("Root")
        .whereLayer("Shelter").mayOnlyAccessLayers("Common", "Remote")
        .check(MAIN);
  }

  @Test
  void everyMainClassIsInALayer() {
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
        .should().resideInAnyPackage("org.testigo.cli", "org.testigo.cli.cases..",
            "org.testigo.cli.stats..", "org.testigo.cli.audit..", "org.testigo.cli.custody..",
            "org.testigo.cli.keys..", "org.testigo.cli.poster..", "org.testigo.cli.inbox..", "org.testigo.cli.remote..",
            "org.testigo.cli.common..", "org.testigo.shelter..")
        .because("a new package must be placed in the layers above")
        .check(MAIN);
  }

  @Test
  void nothingButTheRootDependsOnTheInbox() {
    noClasses().that().resideOutsideOfPackages("org.testigo.cli", "org.testigo.cli.inbox..")
        .should().dependOnClassesThat().resideInAPackage("org.testigo.cli.inbox..")
        .because("the inbox is a front end over the commands; no command may need it")
        .check(MAIN);
  }

  @Test
  void oneHttpStack() {
    noClasses().should().dependOnClassesThat().resideInAPackage("java.net.http..")
        .orShould().dependOnClassesThat().areAssignableTo(HttpURLConnection.class)
        .orShould().dependOnClassesThat().areAssignableTo(Socket.class)
        .orShould().dependOnClassesThat().areAssignableTo(ServerSocket.class)
        .orShould().callMethod(URL.class, "openConnection")
        .orShould().callMethod(URL.class, "openStream")
        .because("the network is reached only through org.testigo.api.client (one HTTP stack)")
        .check(MAIN);
  }

  @Test
  void nothingReachesCryptoInternals() {
    noClasses().should().dependOnClassesThat().resideInAPackage("org.testigo.crypto.internal..")
        .check(MAIN);
  }
}
