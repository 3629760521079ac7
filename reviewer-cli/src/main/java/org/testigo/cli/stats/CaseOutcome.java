package org.testigo.cli.stats;

/**
 * Where a case ended: {@link #OPEN} while it is not closed, else the outcome of its close
 * event (triage {@code Outcome}, content JSON v1).
 */
public enum CaseOutcome implements Code {
  OPEN, SUBSTANTIATED, UNSUBSTANTIATED, INSUFFICIENT_EVIDENCE, DUPLICATE, WITHDRAWN, REFERRED;

  /** Lower case with underscores, as in case content JSON v1. */
  @Override
  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
