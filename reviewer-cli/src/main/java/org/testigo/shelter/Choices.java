package org.testigo.shelter;

import java.util.List;

/**
 * The closed lists of questionnaire v1 (SECURITY.md section 6.2), identical to the
 * server's {@code org.testigo.server.domain.report.Choices}; wire values are never renamed.
 */
final class Choices {
  private Choices() {}

  static final List<String> WHAT = List.of("kidnapping", "extortion", "robbery", "assault",
      "sexual-violence", "trafficking", "detention-deportation-abuse", "excessive-force",
      "asylum-information-denied", "other");

  static final List<String> WHO = List.of("inm", "guardia-nacional", "army-sedena",
      "navy-semar", "police-federal", "police-state", "police-municipal", "private-security",
      "criminal-group", "unknown", "other");

  static final List<String> PLACE_KIND = List.of("train", "road-checkpoint", "bus-station",
      "migration-station", "border-crossing", "shelter", "street", "other");

  static final List<String> STATES = List.of("AGU", "BCN", "BCS", "CAM", "CHP", "CHH", "CMX",
      "COA", "COL", "DUR", "GUA", "GRO", "HID", "JAL", "MEX", "MIC", "MOR", "NAY", "NLE", "OAX",
      "PUE", "QUE", "ROO", "SLP", "SIN", "SON", "TAB", "TAM", "TLA", "VER", "YUC", "ZAC");

  static final List<String> MINORS = List.of("yes", "no", "unknown");

  static final List<String> WANTS = List.of("reply", "investigator", "asylum-information",
      "humanitarian-visa-information");
}
