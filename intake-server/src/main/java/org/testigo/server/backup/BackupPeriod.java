package org.testigo.server.backup;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A backup period: one UTC calendar month, written {@code YYYY-MM} (years 2000..9999). Every
 * backup is sealed to the key of the period in which it is made
 * (docs/spec/retention-and-erasure.md §7).
 */
public record BackupPeriod(YearMonth month) implements Comparable<BackupPeriod> {
  private static final Pattern TEXT = Pattern.compile("[2-9][0-9]{3}-(0[1-9]|1[0-2])");

  public BackupPeriod {
    Objects.requireNonNull(month, "month");
    if (month.getYear() < 2000 || month.getYear() > 9999) {
      throw new IllegalArgumentException("a backup period is a month of the years 2000..9999");
    }
  }

  /** Parses {@code YYYY-MM} exactly. */
  public static BackupPeriod parse(String text) {
    if (text == null || !TEXT.matcher(text).matches()) {
      throw new IllegalArgumentException("a backup period is written YYYY-MM (a UTC month), e.g. 2026-12");
    }
    try {
      return new BackupPeriod(YearMonth.parse(text));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("a backup period is written YYYY-MM (a UTC month), e.g. 2026-12");
    }
  }

  /** The period (UTC month) that contains {@code t}. */
  public static BackupPeriod of(Instant t) {
    return new BackupPeriod(YearMonth.from(t.atZone(ZoneOffset.UTC)));
  }

  /** Whole months from this period to {@code later} (negative if {@code later} is earlier). */
  public long monthsUntil(BackupPeriod later) {
    return later.month.getYear() * 12L + later.month.getMonthValue()
        - (month.getYear() * 12L + month.getMonthValue());
  }

  /**
   * Whether a key of this period is destroyed when the current period is {@code current} and
   * {@code keepMonths} earlier periods are kept: iff it lies more than {@code keepMonths}
   * months before {@code current}.
   */
  public boolean isExpired(BackupPeriod current, int keepMonths) {
    return monthsUntil(current) > keepMonths;
  }

  @Override
  public int compareTo(BackupPeriod o) {
    return month.compareTo(o.month);
  }

  @Override
  public String toString() {
    return month.toString();
  }
}
