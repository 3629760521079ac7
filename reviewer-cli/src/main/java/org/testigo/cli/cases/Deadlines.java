package org.testigo.cli.cases;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;

/**
 * Response deadlines, counted in whole UTC days from the day the report was received (the
 * server stores only that day). A deadline of {@code p} is met by an event created before
 * the end of day {@code receivedDay + p}: received 2026-03-02 with 7 days, the
 * acknowledgement is due before 2026-03-10T00:00:00Z.
 */
public record Deadlines(Period acknowledge, Period firstFeedback) {
  /** Acknowledge within 7 days; first substantive feedback within 3 months. */
  public static final Deadlines DEFAULT = new Deadlines(Period.ofDays(7), Period.ofMonths(3));

  public Deadlines {
    if (acknowledge == null || firstFeedback == null || acknowledge.isNegative()
        || firstFeedback.isNegative()) {
      throw new IllegalArgumentException("deadlines must be zero or positive periods");
    }
  }

  /** First instant at which an unacknowledged case is late (exclusive due time). */
  public Instant acknowledgeDue(LocalDate receivedDay) {
    return endOf(receivedDay.plus(acknowledge));
  }

  /** First instant at which a case without substantive feedback is late. */
  public Instant firstFeedbackDue(LocalDate receivedDay) {
    return endOf(receivedDay.plus(firstFeedback));
  }

  private static Instant endOf(LocalDate day) {
    return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
