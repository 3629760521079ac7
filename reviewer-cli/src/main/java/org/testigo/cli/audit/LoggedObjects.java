package org.testigo.cli.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.testigo.crypto.merkle.LogLeaf;

/**
 * The leaves of one entry type matched, by the SHA-256 each leaf names, to the objects the
 * server serves for auditors (case events, answered challenges). A leaf that repeats an
 * earlier one's hash, or names an object the server does not serve, is a failure; the served
 * objects no leaf names are left for the caller to judge ({@link #isLogged}).
 */
final class LoggedObjects<T> {
  private static final HexFormat HEX = HexFormat.of();

  /** A leaf and the served object with its hash. */
  record Match<T>(int index, LogLeaf leaf, T served) {}

  private final List<Match<T>> matches = new ArrayList<>();
  private final Map<String, Integer> logged = new HashMap<>();

  /**
   * @param indices the leaves to match ({@link #indicesOf})
   * @param hashOf the SHA-256 (lower-case hex) a leaf would name for a served object
   * @param noun what the objects are, for failure messages ("case event", "answer")
   * @param missingHint appended to the message for a leaf whose object is not served
   */
  LoggedObjects(List<LogLeaf> leaves, List<Integer> indices, List<T> served, Function<T, String> hashOf,
      String noun, String missingHint, List<String> failures) {
    Map<String, T> byHash = new HashMap<>();
    served.forEach(o -> byHash.put(hashOf.apply(o), o));
    for (int i : indices) {
      LogLeaf l = leaves.get(i);
      String h = HEX.formatHex(l.objectHash());
      Integer first = logged.putIfAbsent(h, i);
      if (first != null) {
        failures.add("entry " + i + " logs the same " + noun + " as entry " + first);
        continue;
      }
      T object = byHash.get(h);
      if (object == null) {
        failures.add("entry " + i + " (" + l.day() + "): the server serves no " + noun + " with this hash"
            + missingHint);
        continue;
      }
      matches.add(new Match<>(i, l, object));
    }
  }

  /** The indices of the leaves of the type, in log order. */
  static List<Integer> indicesOf(List<LogLeaf> leaves, LogLeaf.EntryType type) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < leaves.size(); i++) {
      LogLeaf l = leaves.get(i);
      if (l != null && l.type() == type) {
        out.add(i);
      }
    }
    return out;
  }

  /** The leaves whose object is served, once each, in log order. */
  List<Match<T>> matches() {
    return matches;
  }

  /** Whether a leaf names this hash (lower-case hex). */
  boolean isLogged(String sha256Hex) {
    return logged.containsKey(sha256Hex);
  }
}
