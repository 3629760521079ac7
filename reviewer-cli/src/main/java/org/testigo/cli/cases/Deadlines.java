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

  /**
   * A received day as the server writes it ({@code yyyy-mm-dd}), as {@link LocalDate#parse}
   * reads it; read by hand when it has that exact shape, because {@code list} reads one per
   * report and the formatter dominated its profile.
   */
  public static LocalDate day(String text) {
    if (text.length() == 10 && text.charAt(4) == '-' && text.charAt(7) == '-') {
      int y = digits(text, 0, 4);
      int m = digits(text, 5, 7);
      int d = digits(text, 8, 10);
      if (y >= 0 && m >= 0 && d >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= 28) {
        return LocalDate.of(y, m, d);
      }
      if (y >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= java.time.YearMonth.of(y, m).lengthOfMonth()) {
        return LocalDate.of(y, m, d);
      }
    }
    return LocalDate.parse(text);
  }

  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static Instant endOf(LocalDate day) {
    return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
