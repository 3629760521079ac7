package org.testigo.cli.cases;

/** Triage priority; a new case is {@link #NORMAL}. */
public enum Priority implements WireName {
  LOW, NORMAL, HIGH, URGENT
}
