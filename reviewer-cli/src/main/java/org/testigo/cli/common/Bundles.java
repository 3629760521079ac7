package org.testigo.cli.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testigo.crypto.identity.ReviewerPublicBundle;

/** Reads public key bundles from files, with one-line errors. */
public final class Bundles {
  private Bundles() {}

  public static ReviewerPublicBundle read(Path path) throws IOException {
    if (Files.size(path) > 64 * 1024) {
      throw new CliException(ExitCodes.BAD_INPUT, path + " is too large to be a key bundle");
    }
    String text = Files.readString(path, StandardCharsets.UTF_8);
    try {
      return ReviewerPublicBundle.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.BAD_INPUT, path + ": " + e.getMessage());
    }
  }
}
