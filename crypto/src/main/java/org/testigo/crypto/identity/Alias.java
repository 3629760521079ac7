package org.testigo.crypto.identity;

import java.util.regex.Pattern;

/**
 * The rule for reviewer aliases, shared by keystores, public bundles and manifests:
 * 1 to 32 characters of lowercase ASCII {@code [a-z0-9._-]}, starting with a letter or
 * digit. Aliases are labels for people, not secrets and not identifiers of record: the
 * fingerprint is what identifies a key.
 */
public final class Alias {
  public static final int MAX_LENGTH = 32;
  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");

  private Alias() {}

  public static boolean isValid(String alias) {
    return alias != null && VALID.matcher(alias).matches();
  }

  /** Returns {@code alias} or throws {@link IllegalArgumentException} with a clear message. */
  public static String check(String alias) {
    if (!isValid(alias)) {
      throw new IllegalArgumentException(
          "an alias is 1 to 32 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
    }
    return alias;
  }
}
