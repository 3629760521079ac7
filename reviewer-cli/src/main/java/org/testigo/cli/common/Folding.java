package org.testigo.cli.common;

import java.text.Normalizer;
import java.util.Locale;

/** How typed words are compared with the tool's own words: case, accents and surrounding space aside. */
public final class Folding {
  private Folding() {}

  /** Lower case, without combining marks (accents) or surrounding space: "Extorsión " and "extorsion" fold alike. */
  public static String fold(String s) {
    return Normalizer.normalize(s.strip(), Normalizer.Form.NFKD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT);
  }
}
