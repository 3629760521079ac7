package org.testigo.cli.cases;

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
import org.testigo.api.ApiPaths;
import org.testigo.api.client.Bounded;
import org.testigo.api.client.ReviewerApiClient;
import org.testigo.api.wire.CaseEventItem;
import org.testigo.api.wire.WireFields;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.remote.LocalCache;
import org.testigo.cli.remote.PrivateFiles;
import org.testigo.cli.remote.ServerRegistry;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.LengthPrefixed;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.event.SignedCaseEvent;
import org.testigo.crypto.identity.ReviewerIdentity;
import org.testigo.crypto.manifest.SignedManifest;

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
   * What {@link #sync} did: new events cached (their sequence numbers in {@code freshSeqs}),
   * invalid items skipped. Whether a cached event verifies is known once the index has read it.
   */
  record Synced(int fresh, int invalid, List<Long> freshSeqs) {
    Synced(int fresh, int invalid) {
      this(fresh, invalid, List.of());
    }
  }

  /** Items asked per page of {@code /events}; halved (down to 1) when a page is over its byte cap. */
  static final int EVENTS_PAGE = 200;
  /** A case event as the server stores it: the event (at most this) and its sealed content. */
  static final int MAX_EVENT_BYTES = ReviewerApiClient.MAX_EVENT_CONTENT_BYTES;

  /**
   * Pages through {@code /events} from the stored cursor. Each page is read with a byte cap
   * ({@link Bounded#PAGE_JSON_BYTES}); a page over it is asked again with half as many items,
   * and a single event over it ends sync with exit 7. Every item is checked field by field
   * before it is cached; an invalid one is reported on {@code err}, counted and skipped. Each
   * event file is written (forced) as it arrives; the cursor moves once per page.
   */
  static Synced sync(ReviewerApiClient client, LocalCache cache, java.io.PrintWriter err) throws IOException {
    int fresh = 0;
    int invalid = 0;
    List<Long> freshSeqs = new ArrayList<>();
    int limit = EVENTS_PAGE;
    boolean more = true;
    while (more) {
      long cursor = cache.cursor(EVENTS_CURSOR);
      JsonNode page;
      try {
        page = client.getJson(ApiPaths.page(ApiPaths.REVIEWER_EVENTS, cursor, limit), Bounded.PAGE_JSON_BYTES);
      } catch (Bounded.TooLargeException e) {
        if (limit == 1) {
          throw e;
        }
        limit = Math.max(1, limit / 2);
        continue;
      }
      JsonNode items = page.get("items");
      JsonNode moreNode = page.get("more");
      if (!page.isObject() || items == null || !items.isArray() || items.size() > limit
          || (moreNode != null && !moreNode.isBoolean())) {
        throw new CliException(ExitCodes.SERVER, "the server's event list is malformed");
      }
      more = moreNode != null && moreNode.asBoolean();
      for (JsonNode item : items) {
        JsonNode seqNode = item.get("seq");
        long seq;
        try {
          seq = WireFields.positiveLong(item, "seq");
        } catch (WireFields.InvalidEntryException e) {
          invalid++;
          err.println("testigo-reviewer: warning: skipped a case event entry from the server: " + e.getMessage());
          continue;
        }
        if (seq <= cursor) {
          throw new CliException(ExitCodes.SERVER, "the server's event list is out of order");
        }
        cursor = seq;
        CaseEventItem valid;
        try {
          valid = CaseEventItem.parse(item, MAX_EVENT_BYTES);
        } catch (WireFields.InvalidEntryException e) {
          invalid++;
          err.println("testigo-reviewer: warning: skipped a case event entry from the server (seq " + seqNode.asLong()
              + "): " + e.getMessage() + "; nothing of it cached");
          continue;
        }
        Path file = cache.directory().resolve("events").resolve(seq + ".json");
        if (!Files.exists(file)) {
          PrivateFiles.writeAtomically(file, JSON.writeValueAsBytes(valid));
          fresh++;
          freshSeqs.add(seq);
        }
      }
      if (cursor > cache.cursor(EVENTS_CURSOR)) {
        cache.setCursor(EVENTS_CURSOR, cursor);
      }
      if (more && items.isEmpty()) {
        throw new CliException(ExitCodes.SERVER, "the server's event list says more but gave none");
      }
    }
    return new Synced(fresh, invalid, freshSeqs);
  }

  /** As {@link #sync(ReviewerApiClient, LocalCache, java.io.PrintWriter)}, warnings on standard error. */
  static Synced sync(ReviewerApiClient client, LocalCache cache) throws IOException {
    return sync(client, cache, new java.io.PrintWriter(System.err, true));
  }


  /** Loads, verifies and opens every cached event. */
  static CaseLog load(LocalCache cache, ServerRegistry.Server server, ReviewerIdentity reader) throws IOException {
    return load(cache, server, reader, null);
  }

  /** The verifier of the cached manifest chain from the pinned root. */
  static CaseEventVerifier verifier(LocalCache cache, ServerRegistry.Server server) throws IOException {
    String chain = cache.manifest().orElseThrow(() -> new CliException(ExitCodes.USAGE,
        "no manifest cached for this server yet; run sync first"));
    try {
      return CaseEventVerifier.of(SignedManifest.parseArmored(chain), server.root());
    } catch (CryptoException e) {
      throw new CliException(ExitCodes.CRYPTO, "the cached manifest chain does not verify from the pinned root");
    }
  }

  /**
   * Loads, verifies and opens the cached events whose sequence numbers are in {@code seqs}
   * (every cached event when null). {@link #caseOf} records the case of each event that
   * verified; the others are counted in {@link #refused} and listed in {@link #refusedSeqs}.
   */
  static CaseLog load(LocalCache cache, ServerRegistry.Server server, ReviewerIdentity reader,
      java.util.Collection<Long> seqs) throws IOException {
    CaseLog log = new CaseLog(verifier(cache, server));
    CaseEvents events = new CaseEvents(java.time.Clock.systemUTC(), new java.security.SecureRandom());
    List<Path> files = new ArrayList<>();
    if (seqs == null) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(cache.directory().resolve("events"), "*.json")) {
        ds.forEach(files::add);
      }
    } else {
      for (long seq : seqs) {
        files.add(cache.directory().resolve("events").resolve(seq + ".json"));
      }
    }
    Map<org.testigo.crypto.event.EventId, byte[]> unreadable = new HashMap<>();
    for (Path p : files) {
      long seq = seqOf(p);
      try {
        JsonNode item = JSON.readTree(p.toFile());
        SignedCaseEvent e = SignedCaseEvent.parse(Base64.getDecoder().decode(item.path("event").asText()));
        byte[] content = Base64.getDecoder().decode(item.path("content").asText());
        log.verifier.verify(e, Instant.parse(item.path("receivedAt").asText()), MAX_SKEW);
        OpenedCaseEvent o = events.open(e, content, log.verifier, reader);
        if (o.action() == null) {
          unreadable.put(e.eventId(), content);
        }
        log.sealedContents.put(e.eventId(), content);
        log.opened.computeIfAbsent(e.caseId(), k -> new ArrayList<>()).add(o);
        log.signed.computeIfAbsent(e.caseId(), k -> new ArrayList<>()).add(e);
        if (seq > 0) {
          log.caseOf.put(seq, e.caseId());
        }
      } catch (CryptoException | IOException | RuntimeException bad) {
        log.refused++;
        if (seq > 0) {
          log.refusedSeqs.add(seq);
        }
      }
    }
    if (!unreadable.isEmpty()) {
      for (List<OpenedCaseEvent> ofCase : log.opened.values()) {
        log.rewrapOpened += ContentRewraps.apply(ofCase, unreadable, log.verifier, reader);
      }
    }
    return log;
  }

  /** The sequence number of an event file {@code SEQ.json}, or 0 if the name is not one. */
  static long seqOf(Path p) {
    String n = p.getFileName().toString();
    if (!n.matches("[1-9][0-9]{0,18}\\.json")) {
      return 0;
    }
    try {
      return Long.parseLong(n.substring(0, n.length() - 5));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The sealed content of every event that verified, as the server served it. */
  final Map<org.testigo.crypto.event.EventId, byte[]> sealedContents = new HashMap<>();
  /** Events this reviewer could read only through a content rewrap. */
  int rewrapOpened;

  /** Events that verified, by sequence number: their case. */
  final Map<Long, CaseId> caseOf = new HashMap<>();
  /** Events that did not verify or open. */
  final java.util.Set<Long> refusedSeqs = new java.util.HashSet<>();

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
