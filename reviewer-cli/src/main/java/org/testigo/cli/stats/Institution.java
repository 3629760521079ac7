package org.testigo.cli.stats;

/**
 * Where a case was referred (triage {@code ReferralTarget}). Prosecutors and human-rights
 * commissions are the accountability path counted by the impunity funnel; COMAR (asylum) and
 * other institutions are counted in the referrals table only.
 */
public enum Institution implements Code {
  FGR(Kind.PROSECUTOR), FISCALIA_ESTATAL(Kind.PROSECUTOR), CNDH(Kind.COMMISSION),
  COMISION_ESTATAL_DH(Kind.COMMISSION), COMAR(Kind.OTHER), OTHER(Kind.OTHER);

  /** What kind of institution it is. */
  public enum Kind { PROSECUTOR, COMMISSION, OTHER }

  private final Kind kind;

  Institution(Kind kind) {
    this.kind = kind;
  }

  /** Lower case with underscores, as {@code refer.to} in case content JSON v1. */
  @Override
  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public Kind kind() {
    return kind;
  }

  /** True for prosecutors and human-rights commissions (the funnel's "referred" step). */
  public boolean accountability() {
    return kind != Kind.OTHER;
  }
}
