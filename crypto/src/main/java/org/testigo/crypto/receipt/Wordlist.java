package org.testigo.crypto.receipt;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One BIP-39 list: 2048 words in index order, their NFC display form, and a lookup from
 * the normalised key (accents removed, lower case, first four letters) to the index.
 */
final class Wordlist {
  static final int SIZE = 2048;
  static final int KEY_LETTERS = 4;
  private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");
  private static final Map<ReceiptLanguage, Wordlist> LISTS = loadAll();
  /** The indices of each list's words that a receipt is never shown with (receipt-blocklist.txt). */
  private static final Map<ReceiptLanguage, java.util.BitSet> BLOCKED = loadBlocked();

  private final List<String> display;
  private final Map<String, Integer> byKey;

  private Wordlist(List<String> display, Map<String, Integer> byKey) {
    this.display = display;
    this.byKey = byKey;
  }

  static Wordlist of(ReceiptLanguage language) {
    return LISTS.get(language);
  }

  /** The word at {@code index}, lower case, NFC (accents composed). */
  String word(int index) {
    return display.get(index);
  }

  /** The index of the word a normalised token stands for, or -1. */
  int indexOfToken(String normalisedToken) {
    Integer i = byKey.get(key(normalisedToken));
    return i == null ? -1 : i;
  }

  /** NFKD, combining marks removed, lower case (Locale.ROOT). */
  static String normalise(String s) {
    String decomposed = Normalizer.normalize(s, Normalizer.Form.NFKD);
    return COMBINING_MARKS.matcher(decomposed).replaceAll("").toLowerCase(Locale.ROOT);
  }

  /** The first four letters of a normalised word, or the whole word if shorter. */
  static String key(String normalised) {
    return normalised.length() <= KEY_LETTERS ? normalised
        : normalised.substring(0, KEY_LETTERS);
  }

  /** Whether the word at {@code index} of {@code language}'s list is one a receipt is never shown with. */
  static boolean blocked(ReceiptLanguage language, int index) {
    java.util.BitSet b = BLOCKED.get(language);
    return b != null && b.get(index);
  }

  private static Map<ReceiptLanguage, java.util.BitSet> loadBlocked() {
    Map<ReceiptLanguage, java.util.BitSet> out = new EnumMap<>(ReceiptLanguage.class);
    try (InputStream in = Wordlist.class.getResourceAsStream("receipt-blocklist.txt")) {
      if (in == null) {
        throw new IllegalStateException("receipt-blocklist.txt missing");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        String[] f = l.split(" ", 2);
        ReceiptLanguage language = ReceiptLanguage.valueOf(f[0]);
        String word = Normalizer.normalize(f[1], Normalizer.Form.NFC);
        int index = LISTS.get(language).display.indexOf(word);
        if (index < 0) {
          throw new IllegalStateException("receipt-blocklist.txt: '" + word + "' is not in the " + language + " list");
        }
        out.computeIfAbsent(language, k -> new java.util.BitSet(SIZE)).set(index);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Collections.unmodifiableMap(out);
  }

  private static Map<ReceiptLanguage, Wordlist> loadAll() {
    Map<ReceiptLanguage, Wordlist> out = new EnumMap<>(ReceiptLanguage.class);
    for (ReceiptLanguage language : ReceiptLanguage.values()) {
      out.put(language, load(language));
    }
    return Collections.unmodifiableMap(out);
  }

  private static Wordlist load(ReceiptLanguage language) {
    List<String> words = new ArrayList<>(SIZE);
    try (InputStream in = Wordlist.class.getResourceAsStream(language.resource())) {
      if (in == null) {
        throw new IllegalStateException("wordlist missing: " + language);
      }
      BufferedReader reader =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        words.add(Normalizer.normalize(line.strip(), Normalizer.Form.NFC));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (words.size() != SIZE) {
      throw new IllegalStateException("wordlist " + language + " does not have 2048 words");
    }
    Map<String, Integer> byKey = new HashMap<>();
    for (int i = 0; i < SIZE; i++) {
      if (byKey.put(key(normalise(words.get(i))), i) != null) {
        throw new IllegalStateException("wordlist " + language + " has a duplicate prefix");
      }
    }
    return new Wordlist(List.copyOf(words), Map.copyOf(byKey));
  }
}
