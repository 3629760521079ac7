package org.testigo.crypto.receipt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.testigo.crypto.SecretBytes;
import org.testigo.crypto.receipt.InvalidReceiptException.Reason;

/**
 * A source's receipt: 77 bits of entropy that a migrant writes down as 8 words (7 data
 * words of 11 bits and 1 check word), in Spanish, English, French, Portuguese or Haitian
 * Creole, or as 8 groups of 4 digits (the same 8 indices, for those who read numbers more
 * easily than words). It is the only way back to a mailbox and to the key that opens replies.
 *
 * <p>The secret is the 77-bit value, held as 10 big-endian bytes whose top 3 bits are zero;
 * it does not depend on the language, so a receipt rendered in Spanish and parsed from its
 * English rendering is the same receipt. Parsing is tolerant of case, accents, punctuation
 * and line breaks, and only the first four letters of each word count. The check word
 * detects a single wrong word, or two swapped words, except with probability 2^-11.
 *
 * <p>WARNING: 77 bits is enough only because keys are derived with Argon2id and the server
 * stores only a keyed hash of the lookup key (see {@link ReceiptKeys}); never use the
 * secret directly as a key. Byte-level format: SECURITY.md, "Receipts".
 */
public final class Receipt extends SecretBytes {
  /** Words in a receipt: 7 data words and 1 check word. */
  public static final int WORD_COUNT = 8;
  /** Entropy in bits: 7 words of 11 bits. */
  public static final int ENTROPY_BITS = 77;
  /** Length of the secret in bytes (top 3 bits of byte 0 are zero). */
  public static final int SECRET_LENGTH = 10;
  static final int DATA_WORDS = 7;
  static final int BITS_PER_WORD = 11;
  static final String CHECKSUM_DOMAIN = "testigo-receipt-checksum-v1";
  private static final int MAX_INPUT_CHARS = 512;
  private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}]+");
  private static final Pattern ANY_LETTER = Pattern.compile("\\p{L}");
  /** Digits per group of a numeric receipt: one group per word index (0000..2047). */
  static final int DIGITS_PER_GROUP = 4;

  private Receipt(byte[] secret) {
    super(secret);
  }

  /**
   * A fresh receipt from a cryptographically secure random source. Receipts whose words
   * would also read as a different valid receipt in another list are redrawn (probability
   * far below 2^-40), so every rendering parses back to this receipt.
   */
  public static Receipt generate(SecureRandom random) {
    while (true) {
      byte[] secret = new byte[SECRET_LENGTH];
      random.nextBytes(secret);
      secret[0] &= 0x1F;
      Receipt receipt = new Receipt(secret);
      Arrays.fill(secret, (byte) 0);
      if (rendersUnambiguously(receipt)) {
        return receipt;
      }
      receipt.destroy();
    }
  }

  /**
   * A fresh receipt, as {@link #generate(SecureRandom)}, to be shown in {@code shownIn}: one
   * whose words in that language include a word of the blocklist (words about police, crime,
   * drugs, weapons, violence, death or sex, which could endanger a source whose paper is found or
   * hurt them to read; docs/spec/receipt-and-mailbox.md §1.1) is drawn again. The format is
   * unchanged: any receipt still parses, and this one also renders in the other languages.
   */
  public static Receipt generate(SecureRandom random, ReceiptLanguage shownIn) {
    while (true) {
      Receipt receipt = generate(random);
      if (!showsBlockedWord(receipt, shownIn)) {
        return receipt;
      }
      receipt.destroy();
    }
  }

  /** Whether the receipt's words in {@code language} include a blocked one. */
  static boolean showsBlockedWord(Receipt receipt, ReceiptLanguage language) {
    for (int index : receipt.wordIndices(language.listId())) {
      if (Wordlist.blocked(language, index)) {
        return true;
      }
    }
    return false;
  }

  /** The 8 words, lower case, accents composed (NFC), separated by single spaces. */
  public String render(ReceiptLanguage language) {
    Wordlist list = Wordlist.of(language);
    int[] indices = wordIndices(language.listId());
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < WORD_COUNT; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(list.word(indices[i]));
    }
    return sb.toString();
  }

  /**
   * The numeric form: the same 8 indices as the words of a BIP-39 list (same check word),
   * each as 4 digits, in groups separated by single spaces, e.g. {@code "0412 1987 … 0007"}.
   */
  public String renderDigits() {
    int[] indices = wordIndices(0);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < WORD_COUNT; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(String.format(java.util.Locale.ROOT, "%04d", indices[i]));
    }
    return sb.toString();
  }

  /**
   * Parses typed words in any of the five languages, or the numeric form. Case, accents, and
   * any run of non-letters between words (spaces, commas, hyphens, digits, line breaks) are
   * ignored; only the first four letters of each word are significant. Input with no letter at
   * all is read as the numeric form: its digits, whatever separates them, must be exactly 32.
   *
   * <p>The four BIP-39 lists are tried first, exactly as before the Kreyol list existed, so a
   * receipt that parsed then parses to the same secret now; Kreyol is tried only when they
   * find nothing.
   *
   * @throws InvalidReceiptException with a generic message if the words are not a receipt
   */
  public static Receipt parse(String typed) throws InvalidReceiptException {
    if (typed == null || typed.length() > MAX_INPUT_CHARS) {
      throw new InvalidReceiptException(Reason.WRONG_WORD_COUNT);
    }
    String normalised = Wordlist.normalise(typed);
    if (!ANY_LETTER.matcher(normalised).find()) {
      return parseDigits(normalised);
    }
    List<String> tokens = tokens(normalised);
    if (tokens.size() != WORD_COUNT) {
      throw new InvalidReceiptException(Reason.WRONG_WORD_COUNT);
    }
    boolean[] tokenKnown = new boolean[WORD_COUNT];
    boolean[] anyLanguageCoversAll = new boolean[1];
    Receipt found = parseIn(tokens, 0, tokenKnown, anyLanguageCoversAll);
    if (found == null) {
      found = parseIn(tokens, ReceiptLanguage.HT.listId(), tokenKnown, anyLanguageCoversAll);
    }
    if (found != null) {
      return found;
    }
    if (anyLanguageCoversAll[0]) {
      throw new InvalidReceiptException(Reason.BAD_CHECKSUM);
    }
    for (boolean known : tokenKnown) {
      if (!known) {
        throw new InvalidReceiptException(Reason.UNKNOWN_WORD);
      }
    }
    throw new InvalidReceiptException(Reason.MIXED_LANGUAGES);
  }

  /**
   * Whether {@code typed} is the same receipt word (or digit group) as {@code shown}, by the
   * rules of {@link #parse}: case and accents ignored, the first four letters of a word, all
   * four digits of a group. For asking a source to type back words of a receipt they were shown.
   */
  public static boolean sameWord(String typed, String shown) {
    if (typed == null || shown == null || typed.length() > 64) {
      return false;
    }
    String t = Wordlist.normalise(typed).replaceAll("[^\\p{L}0-9]", "");
    String s = Wordlist.normalise(shown).replaceAll("[^\\p{L}0-9]", "");
    if (t.isEmpty() || s.isEmpty()) {
      return false;
    }
    if (s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return t.equals(s);
    }
    return Wordlist.key(t).equals(Wordlist.key(s));
  }

  /** Exactly 32 ASCII digits (after NFKD), anything else between them ignored; 8 indices of 4. */
  private static Receipt parseDigits(String normalised) throws InvalidReceiptException {
    StringBuilder digits = new StringBuilder();
    for (int i = 0; i < normalised.length(); i++) {
      char c = normalised.charAt(i);
      if (c >= '0' && c <= '9') {
        digits.append(c);
      }
    }
    if (digits.length() != WORD_COUNT * DIGITS_PER_GROUP) {
      throw new InvalidReceiptException(Reason.WRONG_WORD_COUNT);
    }
    int[] indices = new int[WORD_COUNT];
    for (int i = 0; i < WORD_COUNT; i++) {
      indices[i] = Integer.parseInt(digits, i * DIGITS_PER_GROUP, (i + 1) * DIGITS_PER_GROUP, 10);
    }
    return fromWordIndices(indices);
  }

  /**
   * Tries the lists with one list id, in enum order; null if none gives a candidate. Different
   * candidates from lists of the same id are rejected ({@code BAD_CHECKSUM}), as before.
   */
  private static Receipt parseIn(List<String> tokens, int listId, boolean[] tokenKnown,
      boolean[] anyLanguageCoversAll) throws InvalidReceiptException {
    Receipt found = null;
    for (ReceiptLanguage language : ReceiptLanguage.values()) {
      if (language.listId() != listId) {
        continue;
      }
      Wordlist list = Wordlist.of(language);
      int[] indices = new int[WORD_COUNT];
      boolean all = true;
      for (int i = 0; i < WORD_COUNT; i++) {
        indices[i] = list.indexOfToken(tokens.get(i));
        if (indices[i] < 0) {
          all = false;
        } else {
          tokenKnown[i] = true;
        }
      }
      if (!all) {
        continue;
      }
      anyLanguageCoversAll[0] = true;
      Receipt candidate = fromIndicesOrNull(indices, listId);
      if (candidate == null) {
        continue;
      }
      if (found != null && !found.equals(candidate)) {
        throw new InvalidReceiptException(Reason.BAD_CHECKSUM);
      }
      found = candidate;
    }
    return found;
  }

  /** The 8 word indices (0..2047) of a BIP-39 list or the numeric form: 7 data words, then the check word. */
  int[] wordIndices() {
    return wordIndices(0);
  }

  /** The 8 word indices with the check word of list id {@code listId}. */
  int[] wordIndices(int listId) {
    byte[] s = exposeSecret();
    int[] out = new int[WORD_COUNT];
    for (int i = 0; i < DATA_WORDS; i++) {
      out[i] = bits(s, 3 + i * BITS_PER_WORD, BITS_PER_WORD);
    }
    out[DATA_WORDS] = checkWord(s, listId);
    return out;
  }

  /** Builds a receipt from 8 word indices, checking the check word. */
  static Receipt fromWordIndices(int[] indices) throws InvalidReceiptException {
    if (indices.length != WORD_COUNT) {
      throw new InvalidReceiptException(Reason.WRONG_WORD_COUNT);
    }
    for (int index : indices) {
      if (index < 0 || index >= Wordlist.SIZE) {
        throw new InvalidReceiptException(Reason.UNKNOWN_WORD);
      }
    }
    Receipt r = fromIndicesOrNull(indices, 0);
    if (r == null) {
      throw new InvalidReceiptException(Reason.BAD_CHECKSUM);
    }
    return r;
  }

  private static Receipt fromIndicesOrNull(int[] indices, int listId) {
    byte[] s = new byte[SECRET_LENGTH];
    try {
      for (int i = 0; i < DATA_WORDS; i++) {
        setBits(s, 3 + i * BITS_PER_WORD, BITS_PER_WORD, indices[i]);
      }
      if (checkWord(s, listId) != indices[DATA_WORDS]) {
        return null;
      }
      return new Receipt(s);
    } finally {
      Arrays.fill(s, (byte) 0);
    }
  }

  /** First 11 bits of SHA-256("testigo-receipt-checksum-v1" || 0x00 || secret): list id 0. */
  static int checkWord(byte[] secret) {
    return checkWord(secret, 0);
  }

  /** First 11 bits of SHA-256("testigo-receipt-checksum-v1" || listId (one byte) || secret). */
  static int checkWord(byte[] secret, int listId) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
    sha256.update(CHECKSUM_DOMAIN.getBytes(StandardCharsets.US_ASCII));
    sha256.update((byte) listId);
    sha256.update(secret);
    byte[] h = sha256.digest();
    return bits(h, 0, BITS_PER_WORD);
  }

  private static boolean rendersUnambiguously(Receipt receipt) {
    for (ReceiptLanguage language : ReceiptLanguage.values()) {
      try {
        if (!parse(receipt.render(language)).equals(receipt)) {
          return false;
        }
      } catch (InvalidReceiptException e) {
        return false;
      }
    }
    return true;
  }

  /**
   * What a form may show back of a code that did not open, so that a source corrects it instead
   * of typing it all again: for each word that {@link #parse} reads as a receipt word, that
   * word as its list spells it (never the typed text: only the first four letters decide, and
   * letters after them could spell anything), {@code ?} for any other; a code with no letter as
   * its groups of exactly four digits, {@code ?} for any other group. Nothing typed is repeated
   * but list words and four-digit groups, and nothing at all for more than {@value #WORD_COUNT}
   * of them (a code has eight: more is other text, which list words could spell).
   */
  public static String echo(String typed) {
    if (typed == null || typed.length() > MAX_INPUT_CHARS) {
      return "";
    }
    String normalised = Wordlist.normalise(typed);
    List<String> out = new ArrayList<>();
    if (!ANY_LETTER.matcher(normalised).find()) {
      for (String group : normalised.replaceAll("[^0-9]+", " ").strip().split(" +")) {
        if (!group.isEmpty()) {
          out.add(group.length() == 4 ? group : "?");
        }
      }
      return out.size() > WORD_COUNT ? "" : String.join(" ", out);
    }
    List<String> tokens = tokens(normalised);
    if (tokens.size() > WORD_COUNT) {
      return "";
    }
    // the language that reads most of the words spells them all where it can, so that the words
    // shown back still parse as one code (a word's first four letters may be in several lists)
    ReceiptLanguage best = null;
    int bestCount = -1;
    for (ReceiptLanguage language : ReceiptLanguage.values()) {
      int count = 0;
      for (String t : tokens) {
        count += Wordlist.of(language).indexOfToken(t) >= 0 ? 1 : 0;
      }
      if (count > bestCount) {
        best = language;
        bestCount = count;
      }
    }
    for (String t : tokens) {
      String word = "?";
      int i = Wordlist.of(best).indexOfToken(t);
      if (i >= 0) {
        word = Wordlist.of(best).word(i);
      } else {
        for (ReceiptLanguage language : ReceiptLanguage.values()) {
          int j = Wordlist.of(language).indexOfToken(t);
          if (j >= 0) {
            word = Wordlist.of(language).word(j);
            break;
          }
        }
      }
      out.add(word);
    }
    return String.join(" ", out);
  }

  private static List<String> tokens(String normalised) {
    List<String> out = new ArrayList<>();
    for (String t : SEPARATORS.split(normalised)) {
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }

  /** Reads {@code count} bits big-endian starting at bit {@code offset} (bit 0 = MSB of byte 0). */
  private static int bits(byte[] b, int offset, int count) {
    int v = 0;
    for (int i = 0; i < count; i++) {
      int bit = offset + i;
      v = (v << 1) | ((b[bit >>> 3] >>> (7 - (bit & 7))) & 1);
    }
    return v;
  }

  private static void setBits(byte[] b, int offset, int count, int value) {
    for (int i = 0; i < count; i++) {
      int bit = offset + i;
      if (((value >>> (count - 1 - i)) & 1) != 0) {
        b[bit >>> 3] |= (byte) (0x80 >>> (bit & 7));
      }
    }
  }
}
