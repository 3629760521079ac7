package org.testigo.cli.poster;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.crypto.Fingerprint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code poster --address URL --root FINGERPRINT [--out PREFIX] [--lang es,en,...]}: the printable
 * flyer for shelters, PREFIX.pdf (one A4 page per language) and PREFIX-LANG.png. Never
 * overwrites a file.
 */
@Command(name = "poster", mixinStandardHelpOptions = true,
    description = "Make the printable flyer for shelters: the source onion address and its QR code, the"
        + " organisation's root key fingerprint in the form people compare by eye (five groups of five"
        + " digits, as on the home page and the report page) and three plain-language steps, one page per"
        + " language. Writes PREFIX.pdf and PREFIX-LANG.png.")
public final class PosterCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Option(names = "--address", required = true, paramLabel = "URL",
      description = "The source pages' address, e.g. http://<56 letters>.onion")
  String address;
  @Option(names = "--root", required = true, paramLabel = "FINGERPRINT",
      description = "Root key fingerprint, the full 64 hex characters (e.g. the demo's root-fingerprint"
          + " file); the poster prints its five-group form.")
  String root;
  @Option(names = "--out", defaultValue = "testigo-poster", paramLabel = "PREFIX",
      description = "Output prefix (default: ${DEFAULT-VALUE}).")
  Path out;
  @Option(names = "--lang", split = ",", paramLabel = "LANG",
      description = "Languages, comma-separated (default: es,en,fr,ht,pt).")
  List<String> langs;
  @Option(names = "--dpi", defaultValue = "150", description = "PNG resolution (default: ${DEFAULT-VALUE}).")
  int dpi;

  @Override
  public Integer call() throws IOException {
    URI uri;
    try {
      uri = URI.create(address.strip());
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.BAD_INPUT, "not an address: use http://<onion>.onion");
    }
    if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new CliException(ExitCodes.BAD_INPUT, "not an address: use http://<onion>.onion");
    }
    Fingerprint fp;
    try {
      fp = Fingerprint.fromHex(root.replaceAll("\\s+", ""));
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.BAD_INPUT, "a root fingerprint is 64 hex characters");
    }
    List<String> chosen = new ArrayList<>();
    for (String l : langs == null ? Poster.LANGUAGES : langs) {
      String code = l.strip().toLowerCase(Locale.ROOT);
      if (!Poster.LANGUAGES.contains(code)) {
        throw new CliException(ExitCodes.BAD_INPUT, "languages: " + String.join(", ", Poster.LANGUAGES));
      }
      chosen.add(code);
    }
    if (dpi < 72 || dpi > 600) {
      throw new CliException(ExitCodes.BAD_INPUT, "--dpi is 72 to 600");
    }
    Path pdf = sibling(".pdf");
    List<Path> targets = new ArrayList<>(List.of(pdf));
    for (String l : chosen) {
      targets.add(sibling("-" + l + ".png"));
    }
    for (Path p : targets) {
      if (Files.exists(p)) {
        throw new CliException(ExitCodes.REFUSED, p + " exists: not overwritten");
      }
    }
    Poster poster = new Poster(uri, fp);
    try (OutputStream o = Files.newOutputStream(pdf)) {
      poster.writePdf(chosen, o);
    }
    for (String l : chosen) {
      ImageIO.write(poster.png(l, dpi), "png", sibling("-" + l + ".png").toFile());
    }
    spec.commandLine().getOut().println("Poster written: " + String.join(", ", targets.stream().map(Path::toString).toList()));
    spec.commandLine().getOut().println("Root fingerprint on the poster: " + fp.shortForm());
    return ExitCodes.OK;
  }

  private Path sibling(String suffix) {
    Path abs = out.toAbsolutePath();
    return abs.resolveSibling(abs.getFileName() + suffix);
  }
}
