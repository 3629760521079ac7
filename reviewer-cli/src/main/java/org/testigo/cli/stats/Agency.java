package org.testigo.cli.stats;

/** Accused agency or group: the closed list {@code who} of questionnaire v1 (SECURITY.md 6.2). */
public enum Agency implements Code {
  INM, GUARDIA_NACIONAL, ARMY_SEDENA, NAVY_SEMAR, POLICE_FEDERAL, POLICE_STATE, POLICE_MUNICIPAL,
  PRIVATE_SECURITY, CRIMINAL_GROUP, UNKNOWN, OTHER
}
