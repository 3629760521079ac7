package org.testigo.server.circuit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.testigo.server.config.FairnessSettings;

/** Which connections share a circuit, what a circuit may do, and when it is forgotten. */
class CircuitTableTest {
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final FairnessSettings settings = new FairnessSettings();
  final CircuitTable table = new CircuitTable(settings, now::get);

  static InetSocketAddress tor(long circuit) throws Exception {
    return new InetSocketAddress(InetAddress.getByName(
        String.format("fc00:dead:beef:4dad::%x:%x", circuit >>> 16, circuit & 0xffff)), (int) (circuit & 0xffff));
  }

  @Test
  void torsProxyAddressNamesTheCircuit_andAnythingElseIsAConnectionOfItsOwn() throws Exception {
    CircuitKey a1 = CircuitKey.of(tor(0xabcd1234L));
    CircuitKey a2 = CircuitKey.of(tor(0xabcd1234L));
    CircuitKey b = CircuitKey.of(tor(0xabcd1235L));
    assertThat(a1).isEqualTo(a2).isNotEqualTo(b);
    assertThat(a1.isTorCircuit()).isTrue();
    CircuitKey local1 = CircuitKey.of(new InetSocketAddress("127.0.0.1", 40000));
    CircuitKey local2 = CircuitKey.of(new InetSocketAddress("127.0.0.1", 40000));
    assertThat(local1).isNotEqualTo(local2);
    assertThat(local1.isTorCircuit()).isFalse();
    CircuitKey otherUla = CircuitKey.of(new InetSocketAddress(InetAddress.getByName("fc00:dead:beef:4dae::1"), 1));
    assertThat(otherUla.isTorCircuit()).isFalse();
    assertThat(CircuitKey.of(null).isTorCircuit()).isFalse();
    for (CircuitKey k : new CircuitKey[] {a1, b, local1}) {
      assertThat(k.toString()).doesNotContain("abcd").doesNotContain("1234").doesNotContain("40000")
          .doesNotContain(Long.toString(0xabcd1234L));
    }
  }

  @Test
  void aCircuitIsForgottenWhenItsLastConnectionCloses_ifItOwesNothing() throws Exception {
    Object c1 = new Object();
    Object c2 = new Object();
    CircuitKey key = CircuitKey.of(tor(7));
    table.opened(c1, key);
    table.opened(c2, key);
    assertThat(table.size()).isEqualTo(1);
    Circuit circuit = table.get(key);
    table.closed(circuit);
    assertThat(table.size()).isEqualTo(1);
    table.closed(circuit);
    assertThat(table.size()).isZero();
  }

  @Test
  void aCircuitThatSpentABudgetIsRememberedUntilItRefills_soReconnectingDoesNotResetIt() throws Exception {
    settings.setKeyDerivationsPerMinute(2);
    CircuitKey key = CircuitKey.of(tor(9));
    table.opened(new Object(), key);
    Circuit circuit = table.get(key);
    assertThat(circuit.charge(Circuit.Cost.KEY_DERIVATION)).isZero();
    assertThat(circuit.charge(Circuit.Cost.KEY_DERIVATION)).isZero();
    long wait = circuit.charge(Circuit.Cost.KEY_DERIVATION);
    assertThat(wait).isBetween(TimeUnit.SECONDS.toNanos(29), TimeUnit.SECONDS.toNanos(31));
    table.closed(circuit);
    assertThat(table.size()).as("still owes").isEqualTo(1);
    table.opened(new Object(), key);
    assertThat(table.get(key)).isSameAs(circuit);
    assertThat(circuit.charge(Circuit.Cost.KEY_DERIVATION)).as("same budget after reconnecting").isPositive();
    table.closed(circuit);
    now.addAndGet(TimeUnit.SECONDS.toNanos(61));
    table.sweep();
    assertThat(table.size()).as("refilled: forgotten").isZero();
  }

  @Test
  void chargingIsAllOrNothing() throws Exception {
    settings.setMailboxesPerHour(1);
    settings.setSubmissionsPerHour(5);
    Circuit c = new Circuit(CircuitKey.ownConnection(), settings, now::get);
    assertThat(c.charge(Circuit.Cost.MAILBOX, Circuit.Cost.SUBMISSION)).isZero();
    assertThat(c.charge(Circuit.Cost.MAILBOX, Circuit.Cost.SUBMISSION)).isPositive();
    for (int i = 0; i < 4; i++) {
      assertThat(c.charge(Circuit.Cost.SUBMISSION)).as("the refused pair took no submission").isZero();
    }
    assertThat(c.charge(Circuit.Cost.SUBMISSION)).isPositive();
  }

  @Test
  void concurrentRequestsAndUploadsAreCappedPerCircuit() {
    settings.setMaxConcurrentRequests(2);
    settings.setMaxOpenUploads(1);
    settings.setMaxUploadBytes(1000);
    Circuit c = new Circuit(CircuitKey.ownConnection(), settings, now::get);
    assertThat(c.enter()).isTrue();
    assertThat(c.enter()).isTrue();
    assertThat(c.enter()).isFalse();
    c.leave();
    assertThat(c.enter()).isTrue();
    assertThat(c.openUpload()).isTrue();
    assertThat(c.openUpload()).isFalse();
    assertThat(c.reserveUploadBytes(800)).isTrue();
    assertThat(c.reserveUploadBytes(300)).isFalse();
    c.closeUpload(800);
    assertThat(c.openUpload()).isTrue();
    assertThat(c.reserveUploadBytes(1000)).isTrue();
  }

  @Test
  void theTableIsBounded_forgettingTheLongestUnusedCircuitThatHoldsNothing() throws Exception {
    settings.setMaxTrackedCircuits(1000);
    settings.setKeyDerivationsPerMinute(1);
    for (int i = 0; i < 1500; i++) {
      CircuitKey key = CircuitKey.of(tor(100_000 + i));
      Object conn = new Object();
      table.opened(conn, key);
      table.get(key).charge(Circuit.Cost.KEY_DERIVATION);
      table.closed(conn);
      table.closed(table.get(key));
      now.addAndGet(1000);
    }
    assertThat(table.size()).isBetween(900, 1000);
    assertThat(table.get(CircuitKey.of(tor(100_000 + 1499)))).isNotNull();
  }

  @Test
  void aConnectionWithoutAProxyLineIsForgottenWhenItCloses_evenWithBudgetsSpent() {
    settings.setMailboxesPerHour(1);
    CircuitKey own = CircuitKey.ownConnection();
    table.opened(new Object(), own);
    Circuit c = table.get(own);
    assertThat(c.charge(Circuit.Cost.MAILBOX)).isZero();
    table.closed(c);
    assertThat(table.size()).as("it can never come back: nothing to remember").isZero();
  }

  @Test
  void aRefundGivesBackWhatA503dRequestWasCharged() {
    settings.setKeyDerivationsPerMinute(1);
    Circuit c = new Circuit(CircuitKey.ownConnection(), settings, now::get);
    assertThat(c.charge(Circuit.Cost.KEY_DERIVATION)).isZero();
    assertThat(c.charge(Circuit.Cost.KEY_DERIVATION)).isPositive();
    c.refund(Circuit.Cost.KEY_DERIVATION);
    assertThat(c.charge(Circuit.Cost.KEY_DERIVATION)).isZero();
    c.refund(Circuit.Cost.KEY_DERIVATION);
    c.refund(Circuit.Cost.KEY_DERIVATION);
    assertThat(c.charge(Circuit.Cost.KEY_DERIVATION)).isZero();
    assertThat(c.charge(Circuit.Cost.KEY_DERIVATION)).as("never above capacity").isPositive();
  }
}
