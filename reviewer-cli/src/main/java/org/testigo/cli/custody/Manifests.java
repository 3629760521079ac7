package org.testigo.cli.custody;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.testigo.cli.common.Bundles;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.identity.ReviewerPublicBundle;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.sign.SigningPublicKey;
import org.testigo.crypto.sign.SigningPublicKeyText;

/** Reading and writing manifest chains, log keys and reviewer entries for the CLI. */
public final class Manifests {
  private Manifests() {}

  public static List<SignedManifest> readChain(Path path) throws IOException {
    if (Files.size(path) > 16L * 1024 * 1024) {
      throw new CliException(ExitCodes.BAD_INPUT, path + " is too large to be a manifest");
    }
    try {
      return SignedManifest.parseArmored(Files.readString(path, StandardCharsets.UTF_8));
    } catch (CryptoException e) {
      throw new CliException(ExitCodes.BAD_INPUT, path + " is not an armored manifest chain");
    }
  }

  static void writeChain(Path out, List<SignedManifest> chain) throws IOException {
    Files.writeString(out, ManifestChain.toArmored(chain), StandardCharsets.UTF_8,
        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  public static SigningPublicKey readLogKey(Path path) throws IOException {
    if (Files.size(path) > 64 * 1024) {
      throw new CliException(ExitCodes.BAD_INPUT, path + " is too large to be a key");
    }
    try {
      return SigningPublicKeyText.parse(SigningPublicKeyText.Kind.LOG,
          Files.readString(path, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.BAD_INPUT, path + ": " + e.getMessage());
    }
  }

  static ReviewerEntry entry(Path bundle, String role, Instant now, int validDays)
      throws IOException {
    ReviewerPublicBundle b = Bundles.read(bundle);
    if (!ReviewerEntry.ROLES.contains(role)) {
      throw new CliException(ExitCodes.BAD_INPUT, "role must be reviewer, admin or auditor");
    }
    if (validDays < 1 || validDays > 3660) {
      throw new CliException(ExitCodes.BAD_INPUT, "--valid-days must be 1..3660");
    }
    return ReviewerEntry.of(b, role, now, now.plus(Duration.ofDays(validDays)));
  }

  static List<ReviewerEntry> entries(List<Path> admins, List<Path> reviewers,
      List<Path> auditors, Instant now, int validDays) throws IOException {
    List<ReviewerEntry> out = new ArrayList<>();
    for (Path p : admins == null ? List.<Path>of() : admins) {
      out.add(entry(p, ReviewerEntry.ROLE_ADMIN, now, validDays));
    }
    for (Path p : reviewers == null ? List.<Path>of() : reviewers) {
      out.add(entry(p, ReviewerEntry.ROLE_REVIEWER, now, validDays));
    }
    for (Path p : auditors == null ? List.<Path>of() : auditors) {
      out.add(entry(p, ReviewerEntry.ROLE_AUDITOR, now, validDays));
    }
    return out;
  }

  static void refuseExisting(Path out) {
    if (Files.exists(out)) {
      throw new CliException(ExitCodes.REFUSED, "refusing to overwrite " + out);
    }
  }
}
