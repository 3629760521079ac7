package org.testigo.crypto.fuzz;

/**
 * How a fuzz target accepts a parser's refusal. A parser documented to refuse bad text with
 * {@link IllegalArgumentException} must throw exactly that class: a subclass such as
 * {@link NumberFormatException} or {@link java.util.regex.PatternSyntaxException} is an
 * accident of the implementation (and its message may echo the input), so it is rethrown
 * and Jazzer reports it as a finding.
 */
public final class Refusals {
  private Refusals() {}

  /** Returns normally for a plain {@link IllegalArgumentException}; rethrows anything else. */
  public static void expectPlainIllegalArgument(IllegalArgumentException e) {
    if (e.getClass() != IllegalArgumentException.class) {
      throw e;
    }
  }
}
