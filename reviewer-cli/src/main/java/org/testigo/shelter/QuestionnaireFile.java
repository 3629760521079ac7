package org.testigo.shelter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;

/**
 * Reads answers from a JSON or YAML file shaped like questionnaire v1 (the same keys, any
 * may be omitted; {@code version}, if given, must be 1; {@code language}, if given, must be
 * the {@code --lang} of the filing). Unknown keys are refused, and so is {@code consent}:
 * consent is recorded only at the prompt, with the migrant present.
 */
final class QuestionnaireFile {
  static final long MAX_BYTES = 1024 * 1024;
  private static final Set<String> TOP = Set.of("version", "language", "what", "whatOther", "who",
      "whoOther", "identifying", "where", "when", "victims", "narrative", "wants");
  private static final Map<String, Set<String>> NESTED = Map.of(
      "identifying", Set.of("uniform", "badge", "plates", "unit"),
      "where", Set.of("state", "place", "placeKind"),
      "when", Set.of("date", "approximate"),
      "victims", Set.of("count", "minors", "minorsCount"));

  private QuestionnaireFile() {}

  static Answers read(Path file, Lang lang) throws IOException {
    if (Files.size(file) > MAX_BYTES) {
      throw new CliException(ExitCodes.BAD_INPUT, file + " is too large for a questionnaire");
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    ObjectMapper mapper = name.endsWith(".yml") || name.endsWith(".yaml")
        ? new ObjectMapper(new YAMLFactory()) : new ObjectMapper();
    JsonNode root;
    try {
      root = mapper.readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      throw new CliException(ExitCodes.BAD_INPUT, file + " is not valid "
          + (mapper.getFactory() instanceof YAMLFactory ? "YAML" : "JSON") + " (line "
          + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")");
    }
    if (root == null || !root.isObject()) {
      throw new CliException(ExitCodes.BAD_INPUT, file + ": the questionnaire must be an object");
    }
    if (root.has("consent")) {
      throw new CliException(ExitCodes.BAD_INPUT, file + ": 'consent' cannot come from a file;"
          + " it is asked at the prompt, with the person present");
    }
    checkKeys(root, TOP, "");
    for (Map.Entry<String, Set<String>> e : NESTED.entrySet()) {
      JsonNode n = root.get(e.getKey());
      if (n != null && !n.isNull()) {
        if (!n.isObject()) {
          throw Answers.bad(e.getKey(), "an object");
        }
        checkKeys(n, e.getValue(), e.getKey() + ".");
      }
    }
    JsonNode version = root.get("version");
    if (version != null && !(version.isInt() && version.intValue() == 1)) {
      throw new CliException(ExitCodes.BAD_INPUT, file + ": only questionnaire version 1 is known");
    }
    JsonNode language = root.get("language");
    if (language != null && !language.isNull() && !lang.code.equals(language.asText())) {
      throw new CliException(ExitCodes.BAD_INPUT, file + ": 'language' is " + language.asText()
          + " but --lang is " + lang.code);
    }
    Answers a = new Answers();
    a.what = list(root, "what");
    a.whatOther = text(root, "whatOther");
    a.who = list(root, "who");
    a.whoOther = text(root, "whoOther");
    JsonNode id = root.path("identifying");
    a.uniform = text(id, "uniform", "identifying.");
    a.badge = text(id, "badge", "identifying.");
    a.plates = text(id, "plates", "identifying.");
    a.unit = text(id, "unit", "identifying.");
    JsonNode where = root.path("where");
    a.state = nullableText(where, "state", "where.");
    a.place = text(where, "place", "where.");
    a.placeKind = nullableText(where, "placeKind", "where.");
    JsonNode when = root.path("when");
    a.date = nullableText(when, "date", "when.");
    a.approximate = text(when, "approximate", "when.");
    JsonNode victims = root.path("victims");
    a.count = number(victims, "count", "victims.");
    a.minors = nullableText(victims, "minors", "victims.");
    a.minorsCount = number(victims, "minorsCount", "victims.");
    a.narrative = text(root, "narrative");
    a.wants = list(root, "wants");
    return a;
  }

  private static void checkKeys(JsonNode node, Set<String> allowed, String prefix) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw new CliException(ExitCodes.BAD_INPUT, "questionnaire: unknown key '" + prefix + k
            + "'");
      }
    }
  }

  private static List<String> list(JsonNode root, String key) {
    JsonNode n = root.get(key);
    List<String> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (n.isTextual()) {
      out.add(n.asText());
      return out;
    }
    if (!n.isArray()) {
      throw Answers.bad(key, "a list");
    }
    for (JsonNode v : n) {
      if (!v.isTextual()) {
        throw Answers.bad(key, "a list of words");
      }
      out.add(v.asText());
    }
    return out;
  }

  private static String text(JsonNode node, String key) {
    return text(node, key, "");
  }

  private static String text(JsonNode node, String key, String prefix) {
    String v = nullableText(node, key, prefix);
    return v == null ? "" : v;
  }

  private static String nullableText(JsonNode node, String key, String prefix) {
    JsonNode n = node.get(key);
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (!n.isValueNode() || n.isBoolean()) {
      throw Answers.bad(prefix + key, "text");
    }
    return n.asText();
  }

  private static Integer number(JsonNode node, String key, String prefix) {
    JsonNode n = node.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isInt()) {
      throw Answers.bad(prefix + key, "a whole number");
    }
    return n.intValue();
  }
}
