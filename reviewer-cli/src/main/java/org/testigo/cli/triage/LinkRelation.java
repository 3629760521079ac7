package org.testigo.cli.triage;

/** How one case relates to another. */
public enum LinkRelation implements WireName {
  DUPLICATE_OF, RELATED
}
