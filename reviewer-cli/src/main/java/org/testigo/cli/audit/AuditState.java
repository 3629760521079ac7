package org.testigo.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.testigo.api.client.ClientException;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.crypto.merkle.SignedTreeHead;

/**
 * What an auditor remembers about one server: the last signed tree head that verified and
 * was consistent with the one before, in {@code <dir>/<host>_<port>.json}. Plain JSON, so
 * auditors can print and compare theirs ({@code audit state}); two auditors holding
 * different heads of one size have caught a fork.
 */
final class AuditState {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  private AuditState() {}

  static Path defaultDirectory() {
    return Path.of(System.getProperty("user.home"), ".testigo", "audit");
  }

  /** The file for {@code server}: its host and port, with anything else replaced by '_'. */
  static Path file(Path directory, URI server) {
    String host = server.getHost() == null ? "server" : server.getHost();
    int port = server.getPort() != -1 ? server.getPort() : "https".equals(server.getScheme()) ? 443 : 80;
    return directory.resolve((host + "_" + port).replaceAll("[^A-Za-z0-9._-]", "_") + ".json");
  }

  static Optional<SignedTreeHead> load(Path file) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
      return Optional.of(LogClient.treeHead(n.path("treeHead")));
    } catch (IOException | CliException | ClientException e) {
      throw new CliException(ExitCodes.BAD_INPUT, file + " is not an audit state file; move it away to start over");
    }
  }

  static ObjectNode treeHeadJson(SignedTreeHead h) {
    ObjectNode t = JSON.createObjectNode();
    t.put("treeSize", h.treeSize());
    t.put("timestamp", Instant.ofEpochMilli(h.timestampMillis()).toString());
    t.put("timestampMillis", h.timestampMillis());
    t.put("rootHash", HEX.formatHex(h.rootHash()));
    t.put("signature", HEX.formatHex(h.signature()));
    t.put("encoded", HEX.formatHex(h.encoded()));
    return t;
  }

  static void save(Path file, URI server, String rootFingerprint, SignedTreeHead head, Instant now)
      throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("version", 1);
    n.put("server", server.toString());
    n.put("rootFingerprint", rootFingerprint);
    n.set("treeHead", treeHeadJson(head));
    n.put("recordedAt", now.toString());
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
