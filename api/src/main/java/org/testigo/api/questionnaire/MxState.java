package org.testigo.api.questionnaire;

import java.util.Optional;

/**
 * Where it happened: {@code where.state} of questionnaire v1, the 32 federal entities of Mexico by
 * their ISO 3166-2:MX code (upper case, as on the wire). The same codes name the state of a state
 * institution in a referral (case content JSON v1).
 */
public enum MxState implements Vocabulary {
  AGU("AGU"),
  BCN("BCN"),
  BCS("BCS"),
  CAM("CAM"),
  CHP("CHP"),
  CHH("CHH"),
  CMX("CMX"),
  COA("COA"),
  COL("COL"),
  DUR("DUR"),
  GUA("GUA"),
  GRO("GRO"),
  HID("HID"),
  JAL("JAL"),
  MEX("MEX"),
  MIC("MIC"),
  MOR("MOR"),
  NAY("NAY"),
  NLE("NLE"),
  OAX("OAX"),
  PUE("PUE"),
  QUE("QUE"),
  ROO("ROO"),
  SLP("SLP"),
  SIN("SIN"),
  SON("SON"),
  TAB("TAB"),
  TAM("TAM"),
  TLA("TLA"),
  VER("VER"),
  YUC("YUC"),
  ZAC("ZAC");

  /** The prefix of the translation keys: {@code state.<code>}. */
  public static final String KEY_PREFIX = "state";
  /** The key of the label of "not said" (no code on the wire: the field is null). */
  public static final String NONE_KEY = "state.none";
  /** The questionnaire field that holds these codes. */
  public static final String FIELD = "where.state";

  private final String code;

  MxState(String code) {
    this.code = code;
  }

  @Override
  public String code() {
    return code;
  }

  @Override
  public String messageKey() {
    return KEY_PREFIX + "." + code;
  }

  /** The constant of a wire code, if it is one. */
  public static Optional<MxState> fromCode(String code) {
    return Vocabulary.find(MxState.class, code);
  }

  /** The constant of a wire code; {@link IllegalArgumentException} if it is none. */
  public static MxState parse(String code) {
    return Vocabulary.require(MxState.class, code);
  }
}
