package org.testigo.shelter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.testigo.api.ApiHeaders;
import org.testigo.api.ApiPaths;
import org.testigo.api.wire.MailboxRegistration;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.PassphraseOptions;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.identity.ReviewerIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code upload}: sends every outbox entry. For each: register the migrant's mailbox
 * ({@code POST /api/v1/mailboxes}; 201 or 200 = registered), upload the report envelope
 * ({@code POST /api/v1/submissions} with the mailbox lookup key and the client-chosen
 * {@code Testigo-Submission-Id}), and only after a 201/200 print the migrant's receipt page
 * (with a proof of filing when the server's log offers one) and delete the entry. A network
 * failure stops the run with every remaining entry kept; a refused entry is kept and the
 * others are tried. Running it again resumes.
 */
@Command(name = "upload", mixinStandardHelpOptions = true,
    description = "Upload the reports waiting in the outbox and print each migrant's receipt"
        + " page.")
final class UploadCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  @Spec CommandSpec spec;
  @Mixin HomeOption home;
  @Mixin PassphraseOptions passphrase;

  @Override
  public Integer call() throws IOException, CryptoException {
    ShelterProfile profile = ShelterProfile.load(home.path());
    List<Path> entries = Outbox.entries(profile.outbox());
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (entries.isEmpty()) {
      out.println("The outbox is empty: nothing to upload.");
      return ExitCodes.OK;
    }
    ShelterHttp http = new ShelterHttp(profile.socks, 120_000);
    ReviewerIdentity identity = FileCommand.openKeystore(profile, passphrase);
    int sent = 0;
    int code = ExitCodes.OK;
    try {
      for (Path entry : entries) {
        try {
          // Each report on a circuit of its own: unlinkable by the server, and within the
          // per-circuit budgets however long the outbox is (docs/decisions/0016-fair-shares-per-circuit.md).
          upload(profile, http.isolated(isolationToken()), identity, entry, out);
          sent++;
        } catch (CliException e) {
          if (e.exitCode() == ShelterExitCodes.UNREACHABLE) {
            err.println("testigo-shelter: " + e.getMessage());
            out.println(sent + " uploaded; " + (entries.size() - sent) + " still in the outbox.");
            return ShelterExitCodes.UNREACHABLE;
          }
          err.println("testigo-shelter: " + entry.getFileName() + ": " + e.getMessage());
          code = code == ExitCodes.OK ? e.exitCode() : code;
        }
      }
    } finally {
      identity.destroy();
    }
    out.println(sent + " uploaded; " + (entries.size() - sent) + " still in the outbox.");
    return code;
  }

  private void upload(ShelterProfile profile, ShelterHttp http, ReviewerIdentity identity,
      Path entry, PrintWriter out) throws IOException {
    Path report = Files.createTempFile(profile.outbox(), ".upload-", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Outbox.Meta meta;
      try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(report), 1 << 16)) {
        meta = Outbox.open(entry, identity.encryptionKey(), o);
      } catch (CryptoException | IOException e) {
        throw new CliException(ExitCodes.CRYPTO, "this outbox entry does not open (damaged, or"
            + " sealed for another shelter key); it was kept");
      }
      register(profile, http, meta);
      LocalDate received = submit(profile, http, meta, report);
      Optional<String> proof = ProofFetcher.fetch(http, profile, sha256(report), received);
      Lang lang = Lang.of(meta.language());
      out.println("Uploaded " + meta.submissionId() + " (filed " + meta.createdDay()
          + "). Receipt page for the migrant:");
      out.print(ReceiptPage.render(lang, meta.receipt(), profile.server.toString(),
          profile.root.shortForm(), received.toString(), true, proof));
      out.println();
      Files.delete(entry);
    } finally {
      Files.deleteIfExists(report);
    }
  }

  private static void register(ShelterProfile profile, ShelterHttp http, Outbox.Meta meta) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(new MailboxRegistration(meta.lookupKey(), meta.replyPublicKey()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    ShelterHttp.Response r = http.send("POST", profile.endpoint(ApiPaths.MAILBOXES),
        Map.of("Content-Type", "application/json"), ShelterHttp.bytes(bytes));
    if (r.status() != 201 && r.status() != 200) {
      throw refused("mailbox registration", r);
    }
  }

  private static LocalDate submit(ShelterProfile profile, ShelterHttp http, Outbox.Meta meta,
      Path report) throws IOException {
    long length = Files.size(report);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/octet-stream");
    headers.put(ApiHeaders.MAILBOX, meta.lookupKey());
    headers.put(ApiHeaders.SUBMISSION_ID, meta.submissionId());
    ShelterHttp.Response r = http.send("POST", profile.endpoint(ApiPaths.SUBMISSIONS), headers,
        new ShelterHttp.Body() {
          @Override
          public long length() {
            return length;
          }

          @Override
          public void writeTo(OutputStream o) throws IOException {
            try (InputStream in = Files.newInputStream(report)) {
              in.transferTo(o);
            }
          }
        });
    if (r.status() != 201 && r.status() != 200) {
      throw refused("upload", r);
    }
    try {
      return LocalDate.parse(JSON.readTree(r.body()).path("receivedDay").asText());
    } catch (IOException | DateTimeParseException e) {
      return LocalDate.now(java.time.ZoneOffset.UTC);
    }
  }

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  private static String isolationToken() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return "report-" + java.util.HexFormat.of().formatHex(b);
  }

  private static CliException refused(String what, ShelterHttp.Response r) {
    String message = "";
    try {
      JsonNode n = JSON.readTree(r.body());
      if (n != null && n.path("message").isTextual()) {
        message = ": " + n.path("message").asText().replaceAll("\\p{Cntrl}", " ");
      }
    } catch (IOException notJson) {
      // the status code says enough
    }
    if (message.length() > 200) {
      message = message.substring(0, 200);
    }
    return new CliException(ShelterExitCodes.SERVER_REFUSED, "the server refused the " + what
        + " (HTTP " + r.status() + message + "); the entry was kept"
        + (r.status() == 503 || r.status() == 429 ? ", try again later"
            + r.headers().entrySet().stream().filter(h -> h.getKey().equals("retry-after"))
                .map(h -> " (in " + h.getValue().replaceAll("[^0-9]", "") + " s)").findFirst().orElse("")
            : ""));
  }

  private static byte[] sha256(Path file) throws IOException {
    MessageDigest d = ReportSealer.sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        d.update(buf, 0, n);
      }
    }
    return d.digest();
  }
}
