package org.testigo.cli.stats;

import java.util.Locale;

/**
 * Where the abuse happened: the 32 federal entities of Mexico by their ISO 3166-2:MX code
 * (as questionnaire v1 {@code where.state}), plus {@link #UNKNOWN} when the source did not say.
 * Codes are the upper-case ISO codes ({@code CHP}, {@code CMX}) and {@code unknown}.
 */
public enum MxState implements Code {
  AGU, BCN, BCS, CAM, CHP, CHH, CMX, COA, COL, DUR, GUA, GRO, HID, JAL, MEX, MIC, MOR, NAY, NLE,
  OAX, PUE, QUE, ROO, SLP, SIN, SON, TAB, TAM, TLA, VER, YUC, ZAC, UNKNOWN;

  @Override
  public String code() {
    return this == UNKNOWN ? "unknown" : name();
  }

  /** The state of an ISO code as found in a questionnaire; null means {@link #UNKNOWN}. */
  public static MxState ofIso(String iso) {
    if (iso == null) {
      return UNKNOWN;
    }
    MxState s = Code.parse(MxState.class, iso.toUpperCase(Locale.ROOT));
    if (s == UNKNOWN) {
      throw new IllegalArgumentException("unknown MxState code");
    }
    return s;
  }
}
