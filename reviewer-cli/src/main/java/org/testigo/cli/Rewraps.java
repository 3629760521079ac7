package org.testigo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.testigo.cli.remote.LocalCache;
import org.testigo.cli.remote.ReviewerClient;

/**
 * Brings rewrapped headers into the local cache (SECURITY.md §18): pages through
 * {@code /rewraps} from the stored cursor and, for each cached envelope whose cached
 * generation is older, downloads that generation's header, checks its SHA-256 against the
 * listing, and replaces the cached header (the payload stays; the result must have the
 * listed SHA-256). Envelopes not cached yet arrive with their newest header on the next sync.
 */
final class Rewraps {
  static final String REWRAPS_CURSOR = "rewrapsCursor";

  private Rewraps() {}

  /** Returns how many cached headers were replaced. */
  static int sync(ReviewerClient client, LocalCache cache) throws IOException {
    int applied = 0;
    boolean more = true;
    while (more) {
      long cursor = cache.cursor(REWRAPS_CURSOR);
      JsonNode page = client.getJson("/api/v1/reviewer/rewraps?after=" + cursor + "&limit=200");
      more = page.path("more").asBoolean(false);
      List<JsonNode> items = new ArrayList<>();
      page.path("items").forEach(items::add);
      for (JsonNode item : items) {
        long seq = item.path("seq").asLong();
        String id = item.path("id").asText();
        int generation = item.path("generation").asInt();
        if (seq <= cursor || !id.matches("[0-9a-f]{32}") || generation < 1) {
          throw new CliException(ExitCodes.SERVER, "the server's rewrap list is out of order");
        }
        if (cache.byId(id).map(s -> s.rewraps() < generation).orElse(false)) {
          byte[] header;
          try (InputStream in = client.get("/api/v1/reviewer/rewraps/" + id + "/" + generation)) {
            header = in.readNBytes(80_000);
          }
          if (!RewrapCommand.isExactlyOneHeader(header)
              || !RewrapCommand.sha256Hex(header).equals(item.path("headerSha256").asText())
              || !cache.replaceHeader(id, header, item.path("sha256").asText(), generation)) {
            throw new CliException(ExitCodes.CRYPTO, "the rewrapped header of " + id + " (generation " + generation
                + ") does not match what the server listed; the cache keeps the previous header");
          }
          applied++;
        }
        cursor = seq;
        cache.setCursor(REWRAPS_CURSOR, cursor);
      }
    }
    return applied;
  }
}
