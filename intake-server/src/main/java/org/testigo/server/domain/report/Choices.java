package org.testigo.server.domain.report;

import java.util.List;

/**
 * The closed lists of questionnaire v1. The strings are the wire values in the JSON
 * document; their labels live in the resource bundles under {@code <list>.<value>}.
 * Values may be added in a later questionnaire version, never renamed.
 */
public final class Choices {
  private Choices() {}

  public static final List<String> WHAT = List.of("kidnapping", "extortion", "robbery", "assault",
      "sexual-violence", "trafficking", "detention-deportation-abuse", "excessive-force",
      "asylum-information-denied", "other");

  public static final List<String> WHO = List.of("inm", "guardia-nacional", "army-sedena",
      "navy-semar", "police-federal", "police-state", "police-municipal", "private-security",
      "criminal-group", "unknown", "other");

  public static final List<String> PLACE_KIND = List.of("train", "road-checkpoint", "bus-station",
      "migration-station", "border-crossing", "shelter", "street", "other");

  /** The 32 federal entities of Mexico, ISO 3166-2:MX codes. */
  public static final List<String> STATES = List.of("AGU", "BCN", "BCS", "CAM", "CHP", "CHH", "CMX",
      "COA", "COL", "DUR", "GUA", "GRO", "HID", "JAL", "MEX", "MIC", "MOR", "NAY", "NLE", "OAX",
      "PUE", "QUE", "ROO", "SLP", "SIN", "SON", "TAB", "TAM", "TLA", "VER", "YUC", "ZAC");

  public static final List<String> MINORS = List.of("yes", "no", "unknown");

  public static final List<String> WANTS = List.of("reply", "investigator", "asylum-information",
      "humanitarian-visa-information");
}
