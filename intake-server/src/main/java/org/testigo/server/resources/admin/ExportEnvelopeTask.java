package org.testigo.server.resources.admin;

import io.dropwizard.servlets.tasks.Task;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.testigo.api.EnvelopeId;
import org.testigo.server.domain.EnvelopeRecord;
import org.testigo.server.storage.CurrentEnvelopes;
import org.testigo.server.storage.EnvelopeStore;

/**
 * Admin port only: {@code POST /tasks/export-envelope?id=HEX} (or {@code ?latest=true}, or
 * {@code ?list=true}) writes one stored envelope, ciphertext unchanged, to
 * {@code <data>/exports/<id>.tgenv} for the reviewer CLI's {@code open}, in its served form
 * (the newest rewrapped header, if any, before the original payload; {@link CurrentEnvelopes}). The output path is
 * never chosen by the caller. Nothing is decrypted.
 */
public final class ExportEnvelopeTask extends Task {
  private final EnvelopeStore envelopes;
  private final Path exportDirectory;

  public ExportEnvelopeTask(EnvelopeStore envelopes, Path exportDirectory) {
    super("export-envelope");
    this.envelopes = envelopes;
    this.exportDirectory = exportDirectory;
  }

  @Override
  public void execute(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
    List<EnvelopeRecord> all = envelopes.storedSince(LocalDate.of(2000, 1, 1));
    if (parameters.containsKey("list")) {
      all.forEach(r -> output.println(r.id().hex() + " " + r.context() + " " + r.receivedDay()));
      return;
    }
    EnvelopeRecord record;
    List<String> ids = parameters.getOrDefault("id", List.of());
    if (!ids.isEmpty()) {
      EnvelopeId id;
      try {
        id = EnvelopeId.parse(ids.get(0));
      } catch (IllegalArgumentException e) {
        output.println("id must be 32 hex characters");
        return;
      }
      record = envelopes.find(id).orElse(null);
    } else if (parameters.containsKey("latest")) {
      record = envelopes.latestReport().orElse(null);
    } else {
      record = null;
    }
    if (record == null) {
      output.println("no such envelope (use ?list=true)");
      return;
    }
    Files.createDirectories(exportDirectory);
    Path out = exportDirectory.resolve(record.id().hex() + ".tgenv");
    try (OutputStream os = Files.newOutputStream(out, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      new CurrentEnvelopes(envelopes).copyTo(record, os);
    }
    output.println(out);
  }
}
