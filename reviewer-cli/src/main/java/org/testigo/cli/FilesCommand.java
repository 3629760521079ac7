package org.testigo.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.testigo.cli.remote.LocalCache;
import org.testigo.cli.remote.PrivateFiles;
import org.testigo.cli.report.AttachmentNames;
import org.testigo.cli.report.DecryptedSubmission;
import org.testigo.cli.report.PayloadContainer;
import org.testigo.cli.report.ReportRenderer;
import org.testigo.cli.report.Text;
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
    AttachmentNames names = new AttachmentNames();
    int n = 0;
    int failed = 0;
    for (DecryptedSubmission s : all) {
      for (PayloadContainer.Part p : s.files()) {
        n++;
        try {
          Path written = write(out, names.next(p.filename(), n), n, p.body());
          spec.commandLine().getOut().println("wrote " + Text.safe(written.toString()));
        } catch (IOException e) {
          failed++;
          spec.commandLine().getErr().println("testigo-reviewer: attachment " + n + " could not be written ("
              + e.getClass().getSimpleName() + "); the others were");
        }
      }
    }
    spec.commandLine().getOut().println((n - failed) + " file(s)");
    if (n > 0) {
      spec.commandLine().getErr().println("testigo-reviewer: warning: "
          + new ReportRenderer(ReportRenderer.LANGUAGES.contains(lang) ? lang : "es").label("files.warning"));
    }
    if (failed > 0) {
      throw new CliException(ExitCodes.IO, failed + " of " + n + " attachment(s) could not be written");
    }
    return ExitCodes.OK;
  }

  /**
   * Writes one attachment under its safe name; if the file system refuses that name, under
   * {@code attachment-N} instead. Never replaces a file.
   */
  static Path write(Path dir, String name, int n, byte[] body) throws IOException {
    try {
      return PrivateFiles.createNew(dir, name, new ByteArrayInputStream(body));
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw e;
    } catch (IOException | java.nio.file.InvalidPathException e) {
      return PrivateFiles.createNew(dir, "attachment-" + n, new ByteArrayInputStream(body));
    }
  }

  /** The safe form of an attachment's name (see {@link AttachmentNames}). */
  static String safeName(String given, int n) {
    return AttachmentNames.sanitize(given, n);
  }
}
