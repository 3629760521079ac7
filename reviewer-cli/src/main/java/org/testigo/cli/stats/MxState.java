package org.testigo.cli.stats;

import java.util.Arrays;
import java.util.Locale;
import org.testigo.api.questionnaire.Vocabulary;

/**
 * Where the abuse happened: the 32 federal entities of Mexico of questionnaire v1
 * {@code where.state}, each the constant of {@link org.testigo.api.questionnaire.MxState} of the
 * same name (whose code it publishes), plus {@link #UNKNOWN} when the source did not say, which
 * has no wire code ("not said": the field is null) and is published as {@code unknown}. Codes
 * are the upper-case ISO codes ({@code CHP}, {@code CMX}) and {@code unknown}.
 */
public enum MxState implements Code {
  AGU, BCN, BCS, CAM, CHP, CHH, CMX, COA, COL, DUR, GUA, GRO, HID, JAL, MEX, MIC, MOR, NAY, NLE,
  OAX, PUE, QUE, ROO, SLP, SIN, SON, TAB, TAM, TLA, VER, YUC, ZAC, UNKNOWN;

  static {
    // one code list: the states are exactly those of the questionnaire, in its order
    if (!Arrays.stream(values()).filter(s -> s != UNKNOWN).map(Enum::name).toList()
        .equals(Arrays.stream(org.testigo.api.questionnaire.MxState.values()).map(Enum::name).toList())) {
      throw new IllegalStateException("the statistics' states differ from questionnaire v1's");
    }
  }

  @Override
  public String code() {
    return this == UNKNOWN ? "unknown" : wire().code();
  }

  /** The questionnaire's state; {@link IllegalStateException} for {@link #UNKNOWN}. */
  public org.testigo.api.questionnaire.MxState wire() {
    if (this == UNKNOWN) {
      throw new IllegalStateException("no wire code for a state not said");
    }
    return org.testigo.api.questionnaire.MxState.valueOf(name());
  }

  /** The state of an ISO code as found in a questionnaire; null means {@link #UNKNOWN}. */
  public static MxState ofIso(String iso) {
    if (iso == null) {
      return UNKNOWN;
    }
    return valueOf(Vocabulary.require(org.testigo.api.questionnaire.MxState.class, iso.toUpperCase(Locale.ROOT))
        .name());
  }
}
