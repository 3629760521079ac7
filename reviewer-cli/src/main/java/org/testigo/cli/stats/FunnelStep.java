package org.testigo.cli.stats;

/**
 * The steps of the impunity funnel, in order. Definitions are in docs/spec/case-events.md §7; each step's
 * duration is measured from the latest earlier step the same case reached.
 */
public enum FunnelStep implements Code {
  RECEIVED, ACKNOWLEDGED, REFERRED, INVESTIGATION_OPENED, CHARGES, SENTENCE_OR_RECOMMENDATION;

  /** Lower case with underscores, as in case content JSON v1. */
  @Override
  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
