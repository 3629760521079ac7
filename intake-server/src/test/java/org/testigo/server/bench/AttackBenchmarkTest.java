package org.testigo.server.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testigo.server.IntakeApplication;
import org.testigo.server.config.IntakeConfiguration;
import org.testigo.server.storage.TestDatabase;

/**
 * {@link AttackBenchmark}'s scenarios with small numbers, as a test: the real server (in this
 * JVM) on MariaDB with the PROXY protocol on and the default fairness budgets, honest sources
 * on their own circuits, and the outside review's three attacks at full speed from 1 and from
 * 8 circuits. Loose enough for a loaded 2-core machine (the honest success ratio, not
 * latencies), strict enough to fail without the per-circuit budgets: without them one
 * circuit's upload flood takes every upload slot and the honest API uploads fail.
 * Argon2id at 8 MiB, 1 iteration, so that the status flood costs the server real work without
 * making the test slow.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AttackBenchmarkTest {
  static final Path DATA = dataDirectory();
  static final TestDatabase DB = TestDatabase.mariadb();
  static final Duration LENGTH = Duration.ofSeconds(Integer.getInteger("bench.testSeconds", 5));

  static final DropwizardAppExtension<IntakeConfiguration> APP = new DropwizardAppExtension<>(
      IntakeApplication.class, Path.of("config-demo.yml").toAbsolutePath().toString(),
      ConfigOverride.config("dataDirectory", DATA.toString()),
      ConfigOverride.config("database.type", "MARIADB"),
      ConfigOverride.config("database.url", () -> DB.url()),
      ConfigOverride.config("database.user", "root"),
      ConfigOverride.config("database.passwordFile", () -> emptyPasswordFile()),
      ConfigOverride.config("server.applicationConnectors[0].port", "0"),
      ConfigOverride.config("server.applicationConnectors[0].useProxyProtocol", "true"),
      ConfigOverride.config("server.applicationConnectors[1].port", "0"),
      ConfigOverride.config("server.adminConnectors[0].port", "0"),
      ConfigOverride.config("logging.level", "WARN"),
      ConfigOverride.config("receipts.memoryKiB", "8192"),
      ConfigOverride.config("receipts.iterations", "1"));

  @AfterAll
  static void dropDatabase() throws Exception {
    DB.close();
  }

  @Test
  void honestSourcesAreServedWhileOneAndEightCircuitsAttack_andTheAttackersGet429() throws Exception {
    AttackScenario scenario = new AttackScenario(APP.getLocalPort(), APP.getAdminPort(),
        AttackScenario.Material.fetch(APP.getLocalPort()));
    AttackScenario.Result baseline = scenario.run("baseline", LENGTH, 4, 50, 0, 0);
    AttackScenario.Result one = scenario.run("1 circuit", LENGTH, 4, 50, 1, 2);
    AttackScenario.Result eight = scenario.run("8 circuits", LENGTH, 4, 50, 8, 1);
    AttackScenario.printHeader(System.out);
    AttackScenario.printRow(System.out, baseline, null);
    AttackScenario.printRow(System.out, one, baseline);
    AttackScenario.printRow(System.out, eight, baseline);
    for (AttackScenario.Result r : new AttackScenario.Result[] {baseline, one, eight}) {
      AttackScenario.printDetails(System.out, r);
    }

    assertThat(baseline.honest()).hasSizeGreaterThan(20);
    assertThat(baseline.honestSuccess()).as("no attack").isGreaterThanOrEqualTo(0.99);
    assertThat(one.honestSuccess()).as("1 attacking circuit: %s", one.failures()).isGreaterThanOrEqualTo(0.95);
    assertThat(eight.honestSuccess()).as("8 attacking circuits: %s", eight.failures()).isGreaterThanOrEqualTo(0.90);
    for (AttackScenario.Result r : new AttackScenario.Result[] {one, eight}) {
      for (AttackScenario.Attack a : AttackScenario.Attack.values()) {
        assertThat(r.attacks().get(a).tooMany.sum()).as("%s: %s refused with 429", r.name(), a).isPositive();
      }
    }
    // The status flood: each attacking circuit's derivations are bounded by its budget (6 at
    // once, then one every 10 s), whatever it sends.
    long budget = (long) 8 * (6 + (long) Math.ceil(eight.seconds()) / 10 + 1);
    assertThat(eight.derivations() - honestDerivations(eight)).as("attackers' derivations").isLessThanOrEqualTo(budget);
  }

  /** Derivations the honest sources caused: each report and each status check sent. */
  static long honestDerivations(AttackScenario.Result r) {
    return r.honest().stream().filter(s -> s.nanos() >= 0)
        .filter(s -> s.step().equals("report") || s.step().equals("status")).count();
  }

  static Path dataDirectory() {
    try {
      return Files.createTempDirectory("testigo-attack-");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String emptyPasswordFile() {
    try {
      return Files.writeString(DATA.resolve("db-password"), "").toString();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
