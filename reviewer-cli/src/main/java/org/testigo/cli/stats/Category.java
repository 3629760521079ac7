package org.testigo.cli.stats;

/** Category of abuse: the closed list {@code what} of questionnaire v1 (SECURITY.md 6.2). */
public enum Category implements Code {
  KIDNAPPING, EXTORTION, ROBBERY, ASSAULT, SEXUAL_VIOLENCE, TRAFFICKING,
  DETENTION_DEPORTATION_ABUSE, EXCESSIVE_FORCE, ASYLUM_INFORMATION_DENIED, OTHER
}
