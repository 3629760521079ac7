package org.testigo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.testigo.cli.remote.LocalCache;
import org.testigo.cli.remote.PrivateFiles;
import org.testigo.cli.remote.ReviewerClient;
import org.testigo.cli.remote.ServerRegistry;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.LengthPrefixed;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.event.SignedCaseEvent;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.cli.triage.CaseEventVerifier;
import org.testigo.cli.triage.CaseEvents;
import org.testigo.cli.triage.CaseReplay;
import org.testigo.cli.triage.CaseState;
import org.testigo.cli.triage.OpenedCaseEvent;

/**
 * The case events of a server: synced into the cache as received ({@code events/SEQ.json}),
 * verified against the cached manifest chain from the pinned root (author listed at the
 * claimed time, claim within 10 minutes of the server's receipt time, signature, content
 * hash), opened in memory and replayed into case states with the cases library.
 */
final class CaseLog {
  static final String EVENTS_CURSOR = "eventsCursor";
  static final Duration MAX_SKEW = Duration.ofMinutes(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  final Map<CaseId, List<OpenedCaseEvent>> opened = new HashMap<>();
  final Map<CaseId, List<SignedCaseEvent>> signed = new HashMap<>();
  final CaseEventVerifier verifier;
  int refused;

  private CaseLog(CaseEventVerifier verifier) {
    this.verifier = verifier;
  }

  /**
   * Pages through {@code /events} from the stored cursor; returns how many were new. Each
   * event file is written (forced) as it arrives; the cursor moves once per page.
   */
  static int sync(ReviewerClient client, LocalCache cache) throws IOException {
    int fresh = 0;
    boolean more = true;
    while (more) {
      long cursor = cache.cursor(EVENTS_CURSOR);
      JsonNode page = client.getJson("/api/v1/reviewer/events?after=" + cursor + "&limit=200");
      more = page.path("more").asBoolean(false);
      for (JsonNode item : page.path("items")) {
        long seq = item.path("seq").asLong();
        if (seq <= cursor) {
          throw new CliException(ExitCodes.SERVER, "the server's event list is out of order");
        }
        Path file = cache.directory().resolve("events").resolve(seq + ".json");
        if (!Files.exists(file)) {
          PrivateFiles.writeAtomically(file, JSON.writeValueAsBytes(item));
          fresh++;
        }
        cursor = seq;
      }
      if (cursor > cache.cursor(EVENTS_CURSOR)) {
        cache.setCursor(EVENTS_CURSOR, cursor);
      }
    }
    return fresh;
  }

  /** Loads, verifies and opens every cached event. */
  static CaseLog load(LocalCache cache, ServerRegistry.Server server, ReviewerIdentity reader) throws IOException {
    String chain = cache.manifest().orElseThrow(() -> new CliException(ExitCodes.USAGE,
        "no manifest cached for this server yet; run sync first"));
    CaseEventVerifier verifier;
    try {
      verifier = CaseEventVerifier.of(SignedManifest.parseArmored(chain), server.root());
    } catch (CryptoException e) {
      throw new CliException(ExitCodes.CRYPTO, "the cached manifest chain does not verify from the pinned root");
    }
    CaseLog log = new CaseLog(verifier);
    CaseEvents events = new CaseEvents(java.time.Clock.systemUTC(), new java.security.SecureRandom());
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(cache.directory().resolve("events"), "*.json")) {
      for (Path p : ds) {
        JsonNode item = JSON.readTree(p.toFile());
        try {
          SignedCaseEvent e = SignedCaseEvent.parse(Base64.getDecoder().decode(item.path("event").asText()));
          byte[] content = Base64.getDecoder().decode(item.path("content").asText());
          verifier.verify(e, Instant.parse(item.path("receivedAt").asText()), MAX_SKEW);
          OpenedCaseEvent o = events.open(e, content, verifier, reader);
          log.opened.computeIfAbsent(e.caseId(), k -> new ArrayList<>()).add(o);
          log.signed.computeIfAbsent(e.caseId(), k -> new ArrayList<>()).add(e);
        } catch (CryptoException | RuntimeException bad) {
          log.refused++;
        }
      }
    }
    return log;
  }

  CaseState state(String caseHex, LocalDate receivedDay) {
    CaseId id = CaseId.fromHex(caseHex);
    return CaseReplay.replay(id, receivedDay, opened.getOrDefault(id, List.of()));
  }

  List<SignedCaseEvent> known(CaseId id) {
    return signed.getOrDefault(id, List.of());
  }

  /** The POST body of an event: {@code u16 n || event || sealed content}. */
  static byte[] frame(CaseEvents.Built built) {
    return LengthPrefixed.join(built.event().encoded(), built.sealedContent());
  }
}
