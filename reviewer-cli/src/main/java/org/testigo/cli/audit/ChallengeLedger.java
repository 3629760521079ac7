package org.testigo.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashSet;
import java.util.Set;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.crypto.challenge.PossessionChallenge;

/**
 * The possession challenges this auditor issued for one server, beside its audit state:
 * {@code <dir>/<host>_<port>.challenges.json}. Only challenges listed here count as proof
 * of possession in this auditor's reports: anyone, the reviewer included, can make a
 * challenge whose nonce they know. Holds no nonce (only ids, keys and times).
 */
final class ChallengeLedger {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ChallengeLedger() {}

  static Path file(Path stateFile) {
    String name = stateFile.getFileName().toString().replaceAll("\\.json$", "");
    return stateFile.resolveSibling(name + ".challenges.json");
  }

  /** The ids (hex) of the challenges issued here; empty if none. */
  static Set<String> issuedIds(Path ledger) {
    Set<String> ids = new LinkedHashSet<>();
    if (!Files.exists(ledger)) {
      return ids;
    }
    for (JsonNode n : read(ledger).path("issued")) {
      ids.add(n.path("challengeId").asText());
    }
    return ids;
  }

  static void record(Path ledger, URI server, PossessionChallenge c, String alias) throws IOException {
    ObjectNode root = Files.exists(ledger) ? (ObjectNode) read(ledger) : JSON.createObjectNode();
    root.put("version", 1);
    root.put("server", server.toString());
    ArrayNode issued = root.has("issued") ? (ArrayNode) root.get("issued") : root.putArray("issued");
    ObjectNode o = issued.addObject();
    o.put("challengeId", c.idHex());
    o.put("reviewer", alias);
    o.put("reviewerSigningKey", c.reviewerKey().fingerprint().hex());
    o.put("recipient", c.recipient().hex());
    o.put("issuedAt", c.issuedAt().toString());
    Files.createDirectories(ledger.toAbsolutePath().getParent());
    Path tmp = ledger.resolveSibling(ledger.getFileName() + ".tmp");
    Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n",
        StandardCharsets.UTF_8);
    Files.move(tmp, ledger, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static JsonNode read(Path ledger) {
    try {
      JsonNode n = JSON.readTree(Files.readString(ledger, StandardCharsets.UTF_8));
      if (!n.isObject() || !n.path("issued").isArray()) {
        throw new IOException("not a ledger");
      }
      return n;
    } catch (IOException e) {
      throw new CliException(ExitCodes.BAD_INPUT, ledger + " is not a challenge ledger; move it away to start over");
    }
  }
}
