package org.testigo.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.testigo.cli.remote.LocalCache;
import org.testigo.cli.remote.PrivateFiles;
import org.testigo.cli.report.DecryptedSubmission;
import org.testigo.cli.report.PayloadContainer;
import org.testigo.cli.report.ReportRenderer;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.identity.ReviewerIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code files ID --out DIR}: write a report's attachments (and its follow-ups') decrypted
 * into DIR, mode 0600, never replacing an existing file, with a warning about metadata.
 */
@Command(name = "files", mixinStandardHelpOptions = true,
    description = "Save the decrypted attachments of a report into a directory (never overwrites).")
public final class FilesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin HomeOptions home;
  @Mixin KeystoreOption keystore;
  @Mixin PassphraseOptions passphrase;
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write into.")
  Path out;
  @Option(names = "--lang", defaultValue = "es", description = "Language of the warning, es or en.")
  String lang;
  @Parameters(index = "0", paramLabel = "ID", description = "Report id (or a unique prefix of 6+ characters).")
  String id;

  @Override
  public Integer call() throws IOException, CryptoException {
    LocalCache cache = LocalCache.open(home.home(), home.serverName());
    ReviewerIdentity identity = Identities.open(keystore, passphrase);
    CachedReports.Case c;
    try {
      c = CachedReports.open(cache, identity.encryptionKey()).find(cache, id);
    } finally {
      identity.destroy();
    }
    List<DecryptedSubmission> all = new ArrayList<>();
    all.add(c.report());
    all.addAll(c.followUps());
    PrivateFiles.directory(out);
    int n = 0;
    for (DecryptedSubmission s : all) {
      for (PayloadContainer.Part p : s.files()) {
        Path written = PrivateFiles.createNew(out, safeName(p.filename(), ++n), new ByteArrayInputStream(p.body()));
        spec.commandLine().getOut().println("wrote " + written);
      }
    }
    spec.commandLine().getOut().println(n + " file(s)");
    if (n > 0) {
      spec.commandLine().getErr().println("testigo-reviewer: warning: "
          + new ReportRenderer(ReportRenderer.LANGUAGES.contains(lang) ? lang : "es").label("files.warning"));
    }
    return ExitCodes.OK;
  }

  /** The last path segment without control, separator or leading-dot characters; else attachment-N. */
  static String safeName(String given, int n) {
    String name = given == null ? "" : given;
    name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    name = name.codePoints().filter(c -> c >= 0x20 && c != 0x7f && !(c >= 0x80 && c <= 0x9f) && c != ':')
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
    name = name.replaceFirst("^\\.+", "");
    if (name.isEmpty()) {
      return "attachment-" + n;
    }
    return name.length() > 120 ? name.substring(0, 120) : name;
  }
}
