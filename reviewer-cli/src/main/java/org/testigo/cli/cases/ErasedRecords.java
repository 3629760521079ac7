package org.testigo.cli.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.testigo.cli.remote.PrivateFiles;
import org.testigo.crypto.envelope.LocalSealedFile;
import org.testigo.crypto.identity.ReviewerIdentity;

/**
 * The statistical records of the cases erased on one server, as one reviewer's tool kept them
 * ({@code <home>/index/<server>/<key fingerprint>.tgrec}): what {@code stats --from-cache}
 * counts for a case whose envelopes and events are gone. One JSON document
 * {@code {"v":1,"records":{"<decision hash hex>":<record v1>,...}}} sealed with
 * {@link LocalSealedFile} under the reviewer's key, like the report index, written atomically.
 * Keyed by the erasure decision's hash, so applying the same decision twice keeps one record.
 *
 * <p>A file that does not verify or parse is reported and read as empty; since the server
 * keeps the content of each decision's {@code erasure} event, {@code sync --rescan} rebuilds it.
 */
public final class ErasedRecords {
  static final String SUFFIX = ".tgrec";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;
  private final String server;
  private final Map<String, StatsRecord> records = new TreeMap<>();

  private ErasedRecords(Path file, String server) {
    this.file = file;
    this.server = server;
  }

  static Path path(Path home, String server, ReviewerIdentity identity) {
    return home.resolve("index").resolve(server)
        .resolve(identity.encryptionKey().publicKey().fingerprint().hex().substring(0, 32) + SUFFIX);
  }

  private static String purpose(String server) {
    return "erased-records v1 " + server;
  }

  /** The records kept for this server and reviewer (empty, with a warning on {@code err}, if unreadable). */
  public static ErasedRecords load(Path home, String server, ReviewerIdentity identity, PrintWriter err)
      throws IOException {
    ErasedRecords r = new ErasedRecords(path(home, server, identity), server);
    if (!Files.exists(r.file)) {
      return r;
    }
    try (InputStream in = LocalSealedFile.opening(Files.newInputStream(r.file), identity.encryptionKey(),
        purpose(server))) {
      JsonNode root = JSON.readTree(in.readAllBytes());
      if (root == null || !root.isObject() || root.path("v").asInt() != 1 || !root.path("records").isObject()) {
        throw new IOException("not erased records v1");
      }
      for (var it = root.get("records").fields(); it.hasNext(); ) {
        var e = it.next();
        if (!e.getKey().matches("[0-9a-f]{64}")) {
          throw new IOException("not a decision hash");
        }
        r.records.put(e.getKey(), StatsRecord.parse(e.getValue()));
      }
      return r;
    } catch (IOException | RuntimeException e) {
      err.println("testigo-reviewer: warning: the statistical records of erased cases " + r.file + " "
          + (e instanceof LocalSealedFile.TamperedException ? "do not verify under your key (altered, truncated,"
              + " or written with another keystore)" : "could not be read") + "; erased cases are not counted"
          + " until you run: testigo-reviewer sync --rescan");
      r.records.clear();
      return r;
    }
  }

  /** Every record, by decision hash. */
  public Map<String, StatsRecord> records() {
    return Collections.unmodifiableMap(records);
  }

  /** True if the decision with this hash already has its record here. */
  boolean has(String decisionHex) {
    return records.containsKey(decisionHex);
  }

  void put(String decisionHex, StatsRecord record) {
    records.put(decisionHex, record);
  }

  /** Writes the file atomically (forced to disk). */
  void save(ReviewerIdentity identity) throws IOException {
    ObjectNode root = JSON.createObjectNode().put("v", 1);
    ObjectNode all = root.putObject("records");
    records.forEach((k, v) -> all.set(k, v.toJson()));
    PrivateFiles.directory(file.getParent());
    PrivateFiles.writeAtomically(file, LocalSealedFile.seal(JSON.writeValueAsBytes(root), identity.encryptionKey(),
        purpose(server), new SecureRandom()));
  }
}
