package org.testigo.cli.cases;

/**
 * How a case was closed. {@link #REFERRED} requires at least one recorded referral.
 * {@link #SPAM}: not a report (a flood, garbage); left out of statistics and of {@code list}.
 */
public enum Outcome implements WireName {
  SUBSTANTIATED, UNSUBSTANTIATED, INSUFFICIENT_EVIDENCE, DUPLICATE, WITHDRAWN, REFERRED, SPAM
}
