package org.testigo.cli.cases;

/** How one case relates to another. */
public enum LinkRelation implements WireName {
  DUPLICATE_OF, RELATED
}
