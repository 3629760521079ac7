package org.testigo.cli.cases;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.testigo.api.ApiPaths;
import org.testigo.api.client.Bounded;
import org.testigo.api.client.ReviewerApiClient;
import org.testigo.api.wire.RewrapItem;
import org.testigo.api.wire.WireFields;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.remote.LocalCache;
import org.testigo.crypto.key.RecipientPrivateKey;

/**
 * Brings rewrapped headers into the local cache (docs/spec/reviewer-api-and-batches.md §5): pages through
 * {@code /rewraps} from the stored cursor and, for each cached envelope whose cached
 * generation is older, downloads that generation's header, checks its SHA-256 against the
 * listing, and replaces the cached header (the payload stays; the result must have the
 * listed SHA-256). Envelopes not cached yet arrive with their newest header on the next sync.
 */
final class Rewraps {
  static final String REWRAPS_CURSOR = "rewrapsCursor";

  private Rewraps() {}

  /** What {@link #sync} did: cached headers replaced, invalid items skipped. */
  record Synced(int applied, int invalid) {}

  /** Returns how many cached headers were replaced; warnings on standard error. */
  static int sync(ReviewerApiClient client, LocalCache cache, RecipientPrivateKey key) throws IOException {
    return sync(client, cache, key, new java.io.PrintWriter(System.err, true)).applied();
  }

  /**
   * Pages through {@code /rewraps}; each page read with a byte cap
   * ({@link Bounded#PAGE_JSON_BYTES}), each header with {@link LocalCache#HEADER_BOUND}. An
   * item with a bad field is reported on {@code err}, counted and skipped. A header whose
   * result does not open with {@code key} is reported and counted, and the cached copy keeps
   * its previous header (a seized server must not be able to destroy the reviewer's copies).
   */
  static Synced sync(ReviewerApiClient client, LocalCache cache, RecipientPrivateKey key, java.io.PrintWriter err)
      throws IOException {
    int applied = 0;
    int invalid = 0;
    boolean more = true;
    while (more) {
      long cursor = cache.cursor(REWRAPS_CURSOR);
      JsonNode page = client.getJson(ApiPaths.page(ApiPaths.REVIEWER_REWRAPS, cursor, 200), Bounded.PAGE_JSON_BYTES);
      JsonNode itemsNode = page.get("items");
      JsonNode moreNode = page.get("more");
      if (!page.isObject() || itemsNode == null || !itemsNode.isArray() || itemsNode.size() > 200
          || (moreNode != null && !moreNode.isBoolean())) {
        throw new CliException(ExitCodes.SERVER, "the server's rewrap list is malformed");
      }
      more = moreNode != null && moreNode.asBoolean();
      if (more && itemsNode.isEmpty()) {
        throw new CliException(ExitCodes.SERVER, "the server's rewrap list says more but gave none");
      }
      List<JsonNode> items = new ArrayList<>();
      itemsNode.forEach(items::add);
      for (JsonNode item : items) {
        long seq;
        RewrapItem entry;
        try {
          seq = WireFields.positiveLong(item, "seq");
        } catch (WireFields.InvalidEntryException e) {
          invalid++;
          err.println("testigo-reviewer: warning: skipped a rewrap entry from the server: " + e.getMessage());
          continue;
        }
        if (seq <= cursor) {
          throw new CliException(ExitCodes.SERVER, "the server's rewrap list is out of order");
        }
        try {
          entry = RewrapItem.parse(item);
        } catch (WireFields.InvalidEntryException e) {
          invalid++;
          err.println("testigo-reviewer: warning: skipped a rewrap entry from the server (seq " + seq + "): "
              + e.getMessage());
          cursor = seq;
          cache.setCursor(REWRAPS_CURSOR, cursor);
          continue;
        }
        String id = entry.id();
        int generation = entry.generation();
        String headerSha = entry.headerSha256();
        String sha = entry.sha256();
        if (cache.byId(id).map(s -> s.rewraps() < generation).orElse(false)) {
          byte[] header;
          try (InputStream in = client.rewrapHeader(id, generation)) {
            header = in.readNBytes((int) LocalCache.HEADER_BOUND + 1);
          }
          LocalCache.HeaderReplacement replaced = header.length > LocalCache.HEADER_BOUND
              || !RewrapCommand.isExactlyOneHeader(header) || !RewrapCommand.sha256Hex(header).equals(headerSha)
              ? LocalCache.HeaderReplacement.MISMATCH : cache.replaceHeader(id, header, sha, generation, key);
          if (replaced == LocalCache.HeaderReplacement.MISMATCH) {
            throw new CliException(ExitCodes.CRYPTO, "the rewrapped header of " + id + " (generation " + generation
                + ") does not match what the server listed; the cache keeps the previous header");
          }
          if (replaced == LocalCache.HeaderReplacement.DOES_NOT_OPEN) {
            invalid++;
            err.println("testigo-reviewer: warning: the rewrapped header of " + id + " (generation " + generation
                + ") does not open with your key; your cached copy keeps its previous header");
          } else {
            applied++;
          }
        }
        cursor = seq;
        cache.setCursor(REWRAPS_CURSOR, cursor);
      }
    }
    return new Synced(applied, invalid);
  }
}
