package org.testigo.cli.cases;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.HomeOptions;
import org.testigo.cli.common.Identities;
import org.testigo.cli.common.KeystoreOption;
import org.testigo.cli.common.PassphraseOptions;
import org.testigo.cli.remote.LocalCache;
import org.testigo.cli.remote.PrivateFiles;
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
 * into DIR, mode 0600, never replacing an existing file, with a warning about metadata. The
 * output says which files came with the report and which with each follow-up.
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
  @Option(names = "--lang", defaultValue = "${env:TESTIGO_LANG:-es}", paramLabel = "es|en",
      description = "Language of the metadata warning: es or en (default: $TESTIGO_LANG, else es).")
  String lang;
  @Parameters(index = "0", paramLabel = "ID", description = "Report id (or a unique prefix of 4+ characters).")
  String id;

  @Override
  public Integer call() throws IOException, CryptoException {
    LocalCache cache = LocalCache.open(home.home(), home.serverName());
    ReviewerIdentity identity = Identities.open(keystore, passphrase);
    PrivateFiles.directory(out);
    AttachmentWriter writer = new AttachmentWriter(out, spec.commandLine().getErr());
    CachedReports.Case c;
    try {
      ReportIndex index = ReportIndex.forCase(home, cache, identity, id, spec.commandLine().getErr());
      c = CachedReports.open(index, cache, id, identity.encryptionKey(), writer);
      for (ReportIndex.Entry f : c.notOpened()) {
        spec.commandLine().getErr().println("testigo-reviewer: follow-up " + f.id() + " could not be read ("
            + (f.kind() == ReportIndex.Kind.MALFORMED ? "not a valid follow-up" : "does not open with your key")
            + "); its attachments, if any, are not written");
      }
    } finally {
      identity.destroy();
      writer.discardUnfinished();
    }
    // Attachments are numbered across the case: the report's first, then each follow-up's, oldest first.
    int number = 0;
    List<DecryptedSubmission> all = new ArrayList<>();
    all.add(c.report());
    all.addAll(c.followUps());
    for (DecryptedSubmission s : all) {
      var l = s.listing();
      String origin = s == c.report() ? "with the report " + l.id() + " (received " + l.receivedDay() + ")"
          : "with follow-up " + l.id() + " (received " + l.receivedDay() + ")";
      spec.commandLine().getOut().println(s.files().size() + " attachment(s) came " + origin
          + (s.files().isEmpty() ? "" : ":"));
      for (int i = 0; i < s.files().size(); i++) {
        Path written = writer.byNumber.get(++number);
        spec.commandLine().getOut().println("  wrote " + (written == null ? "nothing (not written, see above)"
            : Text.safe(written.toString())));
      }
    }
    int n = writer.count;
    int failed = writer.failed;
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
