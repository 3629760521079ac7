package org.testigo.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.testigo.cli.remote.LocalCache;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.key.RecipientPrivateKey;

/**
 * A cached submission opened in memory: the server's listing entry, the questionnaire (a
 * report) or message (a follow-up) as JSON, and the attachments. Nothing of it is written
 * to disk except by {@code files}, on explicit request.
 */
public record DecryptedSubmission(LocalCache.Submission listing, JsonNode document, List<PayloadContainer.Part> files) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public boolean isReport() {
    return Envelope.CONTEXT_REPORT.equals(listing.context());
  }

  /** Opens a cached envelope with the reviewer's key; CryptoException if it is not ours or altered. */
  public static DecryptedSubmission open(LocalCache cache, LocalCache.Submission s, RecipientPrivateKey key)
      throws IOException, CryptoException {
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    try (InputStream in = Files.newInputStream(cache.envelope(s.id()))) {
      Envelope.open(in, plain, key, s.context());
    }
    byte[] bytes = plain.toByteArray();
    try {
      List<PayloadContainer.Part> parts = PayloadContainer.read(new ByteArrayInputStream(bytes));
      JsonNode doc = NullNode.getInstance();
      String first = isReportContext(s) ? "questionnaire" : "message";
      if (!parts.isEmpty() && parts.get(0).name().equals(first)) {
        doc = JSON.readTree(new String(parts.get(0).body(), StandardCharsets.UTF_8));
      }
      List<PayloadContainer.Part> files = parts.stream().filter(p -> "file".equals(p.name())).toList();
      return new DecryptedSubmission(s, doc, files);
    } finally {
      java.util.Arrays.fill(bytes, (byte) 0);
    }
  }

  private static boolean isReportContext(LocalCache.Submission s) {
    return Envelope.CONTEXT_REPORT.equals(s.context());
  }

  /** Values of a string array field, e.g. {@code what}. */
  public List<String> list(String field) {
    List<String> out = new java.util.ArrayList<>();
    document.path(field).forEach(n -> out.add(n.asText()));
    return out;
  }

  public String text(String... path) {
    JsonNode n = document;
    for (String p : path) {
      n = n.path(p);
    }
    return n.isValueNode() && !n.isNull() ? n.asText() : "";
  }
}
