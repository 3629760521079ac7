package org.testigo.api;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.testigo.crypto.HexId;

/**
 * The public id of a stored envelope (a report, a follow-up, a reply): 128 random bits,
 * written as 32 lowercase hex characters. It says nothing about the source or the time of
 * arrival. The same 32-hex-digit form is also the id of a case (the report's id, see
 * {@code org.testigo.crypto.event.CaseId}), of an upload, of a visit capability and of a
 * submission id a client chooses; the checks of that form live here, once:
 *
 * <ul>
 *   <li>{@link #parse}: exactly 32 hex characters in either case (the server's path and
 *       header parameters);
 *   <li>{@link #isCanonical}: exactly 32 lowercase hex characters (what the server writes, so
 *       what the tools accept from it and from their own files);
 *   <li>{@link #isPrefix}: 6 to 32 lowercase hex characters (what a reviewer may type).
 * </ul>
 */
public final class EnvelopeId extends HexId<EnvelopeId> {
  public static final int LENGTH = 16;
  /** Hex characters of the written form. */
  public static final int HEX_LENGTH = 2 * LENGTH;
  /** The shortest prefix a reviewer may type for an id. */
  public static final int MIN_PREFIX = 6;
  private static final Pattern CANONICAL = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern ANY_CASE = Pattern.compile("[0-9a-fA-F]{32}");
  private static final Pattern PREFIX = Pattern.compile("[0-9a-f]{6,32}");

  private EnvelopeId(byte[] bytes) {
    super(bytes);
  }

  public static EnvelopeId random(SecureRandom random) {
    byte[] b = new byte[LENGTH];
    random.nextBytes(b);
    return new EnvelopeId(b);
  }

  /** @throws IllegalArgumentException if not exactly 16 bytes */
  public static EnvelopeId fromBytes(byte[] bytes) {
    return fromBytes(bytes, LENGTH, "an envelope id is 16 bytes", EnvelopeId::new);
  }

  /**
   * Parses the 32-character hex form, either case, nothing around it.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static EnvelopeId parse(String hex) {
    if (!isHex(hex)) {
      throw new IllegalArgumentException("an envelope id is 32 hex characters");
    }
    return fromHex(hex, LENGTH, "an envelope id is 32 hex characters", EnvelopeId::new);
  }

  /** {@link #parse}, or empty instead of an exception. */
  public static Optional<EnvelopeId> tryParse(String hex) {
    return isHex(hex) ? Optional.of(parse(hex)) : Optional.empty();
  }

  /** Exactly 32 hex characters, either case, nothing around them. */
  public static boolean isHex(String s) {
    return s != null && ANY_CASE.matcher(s).matches();
  }

  /** Exactly 32 lowercase hex characters: the form the server writes. */
  public static boolean isCanonical(String s) {
    return s != null && CANONICAL.matcher(s).matches();
  }

  /**
   * {@code s} itself if {@link #isCanonical}.
   *
   * @throws IllegalArgumentException otherwise, with {@code what} named (never the value)
   */
  public static String requireCanonical(String s, String what) {
    if (!isCanonical(s)) {
      throw new IllegalArgumentException("a " + what + " is 32 lowercase hex characters");
    }
    return s;
  }

  /** 6 to 32 lowercase hex characters: a prefix of an id as a reviewer may type it. */
  public static boolean isPrefix(String s) {
    return s != null && PREFIX.matcher(s).matches();
  }

  /**
   * What a reviewer typed, stripped and lowercased, if it is a {@link #isPrefix prefix} (or a
   * whole id); empty otherwise.
   */
  public static Optional<String> typedPrefix(String typed) {
    if (typed == null) {
      return Optional.empty();
    }
    String p = typed.strip().toLowerCase(Locale.ROOT);
    return isPrefix(p) ? Optional.of(p) : Optional.empty();
  }
}
