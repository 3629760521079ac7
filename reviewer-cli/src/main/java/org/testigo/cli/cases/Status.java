package org.testigo.cli.cases;

/** Where a case stands. Every case starts {@link #NEW}; only a close event sets {@link #CLOSED}. */
public enum Status implements WireName {
  NEW, ACKNOWLEDGED, UNDER_REVIEW, INVESTIGATING, REFERRED, CLOSED;

  public boolean isOpen() {
    return this != CLOSED;
  }
}
