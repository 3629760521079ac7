package org.testigo.server.views;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import org.testigo.server.domain.Language;

/**
 * The spoken questions of the report form: one Opus file per question group ("clip") and
 * language, under {@code /assets/audio/<language>/<clip>.ogg} on the class path, listed in
 * {@code /assets/audio/languages.properties} ({@code languages=es,en,...} and
 * {@code <code>.name=} the language's name in itself). Data only: an organisation adds a
 * language (K'iche', Mam, ...) by adding its folder of clips and one line to that file, without
 * code (docs: ops/runbooks/add-audio-language.md). The clip names are those of
 * {@code /assets/audio/clips.properties}, which also says which messages each clip reads.
 *
 * <p>A page offers the clip in its own language, when there is one, and in every audio language
 * that is not a page language (a K'iche' speaker reads the Spanish page and hears K'iche').
 * Clip and language names are checked against the catalogue; nothing from a request reaches a
 * class-path lookup.
 */
public final class AudioCatalog {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
  private static final AudioCatalog CLASS_PATH = load();

  /** An audio language: its code (BCP 47) and its name in itself. */
  public record Track(String code, String name) {}

  private final Map<String, String> names;
  private final Map<String, Map<String, byte[]>> clips;

  AudioCatalog(Map<String, String> names, Map<String, Map<String, byte[]>> clips) {
    this.names = names;
    this.clips = clips;
  }

  public static AudioCatalog fromClassPath() {
    return CLASS_PATH;
  }

  private static Properties properties(String resource) {
    Properties p = new Properties();
    try (InputStream in = AudioCatalog.class.getResourceAsStream(resource)) {
      if (in != null) {
        p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  private static AudioCatalog load() {
    Properties langs = properties("/assets/audio/languages.properties");
    Properties clipList = properties("/assets/audio/clips.properties");
    Map<String, String> names = new LinkedHashMap<>();
    Map<String, Map<String, byte[]>> clips = new LinkedHashMap<>();
    for (String code : langs.getProperty("languages", "").split(",")) {
      code = code.strip();
      if (!NAME.matcher(code).matches()) {
        continue;
      }
      Map<String, byte[]> byClip = new LinkedHashMap<>();
      for (String clip : clipList.stringPropertyNames()) {
        if (!NAME.matcher(clip).matches()) {
          continue;
        }
        try (InputStream in = AudioCatalog.class.getResourceAsStream("/assets/audio/" + code + "/" + clip + ".ogg")) {
          if (in != null) {
            byClip.put(clip, in.readAllBytes());
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      if (!byClip.isEmpty()) {
        names.put(code, langs.getProperty(code + ".name", code));
        clips.put(code, byClip);
      }
    }
    return new AudioCatalog(names, clips);
  }

  /** The bytes of a clip, or empty when the catalogue has no such language or clip. */
  public Optional<byte[]> clip(String language, String clip) {
    Map<String, byte[]> byClip = clips.get(language);
    return Optional.ofNullable(byClip == null ? null : byClip.get(clip));
  }

  /** The languages a page in {@code page} offers {@code clip} in: its own first, then the audio-only ones. */
  public List<Track> tracks(Language page, String clip) {
    List<Track> out = new ArrayList<>();
    if (clip(page.code(), clip).isPresent()) {
      out.add(new Track(page.code(), names.get(page.code())));
    }
    for (String code : clips.keySet()) {
      if (Language.fromCode(code) == null && clip(code, clip).isPresent()) {
        out.add(new Track(code, names.get(code)));
      }
    }
    return out;
  }

  /** Every language with at least one clip, in catalogue order. */
  public List<String> languages() {
    return List.copyOf(clips.keySet());
  }
}
