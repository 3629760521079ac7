package org.testigo.server.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.receipt.Receipt;
import org.testigo.crypto.receipt.ReceiptKeys;
import org.testigo.crypto.receipt.ReceiptParams;
import org.testigo.server.domain.InvalidInputException;
import org.testigo.server.domain.MailboxId;

/** A visit's capability: one mailbox, a bounded life, destroyed keys when it ends. */
class VisitServiceTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final byte[] SALT = new byte[16];

  static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-12-06T10:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final MutableClock clock = new MutableClock();
  final VisitService visits = new VisitService(3, Duration.ofMinutes(30), Duration.ofHours(2), clock, RANDOM);

  static ReceiptKeys keys() {
    return ReceiptKeys.derive(Receipt.generate(RANDOM), new ReceiptParams(256, 1, 1), SALT);
  }

  static MailboxId mailbox(int n) {
    byte[] b = new byte[MailboxId.LENGTH];
    b[0] = (byte) n;
    return MailboxId.fromBytes(b);
  }

  @Test
  void aCapabilityOpensItsOwnMailboxOnly() {
    String a = visits.begin(mailbox(1), keys());
    String b = visits.begin(mailbox(2), keys());
    assertThat(a).matches("[0-9a-f]{32}").isNotEqualTo(b);
    assertThat(visits.use(a, VisitService.Opened::mailbox)).isEqualTo(mailbox(1));
    assertThat(visits.use(b, VisitService.Opened::mailbox)).isEqualTo(mailbox(2));
    for (String bad : new String[] {null, "", a.toUpperCase(), a + "0", a.substring(1), "zz" + a.substring(2),
        "00000000000000000000000000000000"}) {
      assertThatThrownBy(() -> visits.use(bad, VisitService.Opened::mailbox)).as(String.valueOf(bad))
          .isInstanceOf(InvalidInputException.class);
    }
  }

  @Test
  void aVisitEndsWhenIdle_whenOld_andOnLeave_andItsKeysAreDestroyed() {
    ReceiptKeys k = keys();
    String idle = visits.begin(mailbox(1), k);
    clock.now = clock.now.plus(Duration.ofMinutes(29));
    visits.use(idle, VisitService.Opened::mailbox);
    clock.now = clock.now.plus(Duration.ofMinutes(29));
    visits.use(idle, VisitService.Opened::mailbox);
    clock.now = clock.now.plus(Duration.ofMinutes(30));
    assertThatThrownBy(() -> visits.use(idle, VisitService.Opened::mailbox)).isInstanceOf(InvalidInputException.class);
    assertThat(k.replyKey().isDestroyed()).as("keys destroyed").isTrue();
    assertThat(k.mailboxLookupKey().isDestroyed()).isTrue();

    String old = visits.begin(mailbox(2), keys());
    for (int i = 0; i < 7; i++) {
      clock.now = clock.now.plus(Duration.ofMinutes(17));
      visits.use(old, VisitService.Opened::mailbox);
    }
    clock.now = clock.now.plus(Duration.ofMinutes(2));
    assertThatThrownBy(() -> visits.use(old, VisitService.Opened::mailbox)).as("two hours, used or not")
        .isInstanceOf(InvalidInputException.class);

    String left = visits.begin(mailbox(3), keys());
    visits.leave(left);
    visits.leave(left);
    assertThatThrownBy(() -> visits.use(left, VisitService.Opened::mailbox)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void oneMailboxHasAtMostFourVisits_itsOwnOldestEnds_othersAreUntouched() {
    VisitService big = new VisitService(100, Duration.ofMinutes(30), Duration.ofHours(2), clock, RANDOM);
    String other = big.begin(mailbox(9), keys());
    String[] mine = new String[6];
    for (int i = 0; i < mine.length; i++) {
      mine[i] = big.begin(mailbox(1), keys());
    }
    assertThatThrownBy(() -> big.use(mine[0], VisitService.Opened::mailbox)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> big.use(mine[1], VisitService.Opened::mailbox)).isInstanceOf(InvalidInputException.class);
    for (int i = 2; i < mine.length; i++) {
      assertThat(big.use(mine[i], VisitService.Opened::mailbox)).isEqualTo(mailbox(1));
    }
    assertThat(big.use(other, VisitService.Opened::mailbox)).isEqualTo(mailbox(9));
    assertThat(big.size()).isEqualTo(5);
  }

  @Test
  void theNumberOfVisitsIsBounded_theLeastRecentlyUsedEndsFirst_andSweepEndsExpiredOnes() {
    String a = visits.begin(mailbox(1), keys());
    String b = visits.begin(mailbox(2), keys());
    String c = visits.begin(mailbox(3), keys());
    visits.use(a, VisitService.Opened::mailbox);
    String d = visits.begin(mailbox(4), keys());
    assertThat(visits.size()).isEqualTo(3);
    assertThatThrownBy(() -> visits.use(b, VisitService.Opened::mailbox)).isInstanceOf(InvalidInputException.class);
    visits.use(a, VisitService.Opened::mailbox);
    visits.use(c, VisitService.Opened::mailbox);
    visits.use(d, VisitService.Opened::mailbox);
    clock.now = clock.now.plus(Duration.ofMinutes(31));
    visits.sweep();
    assertThat(visits.size()).isZero();
  }
}
