package org.testigo.cli.triage;

/** How a case was closed. {@link #REFERRED} requires at least one recorded referral. */
public enum Outcome implements WireName {
  SUBSTANTIATED, UNSUBSTANTIATED, INSUFFICIENT_EVIDENCE, DUPLICATE, WITHDRAWN, REFERRED
}
