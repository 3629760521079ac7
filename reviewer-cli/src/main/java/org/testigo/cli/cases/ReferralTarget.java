package org.testigo.cli.cases;

/**
 * Where a case can be referred: FGR (federal prosecutor), a state prosecutor's office, the
 * CNDH, a state human-rights commission, COMAR, or another named institution.
 */
public enum ReferralTarget implements WireName {
  FGR(false), FISCALIA_ESTATAL(true), CNDH(false), COMISION_ESTATAL_DH(true), COMAR(false),
  OTHER(false);

  private final boolean needsState;

  ReferralTarget(boolean needsState) {
    this.needsState = needsState;
  }

  /** True for state institutions, which must name the state (ISO 3166-2:MX code). */
  public boolean needsState() {
    return needsState;
  }
}
