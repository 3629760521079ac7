package org.testigo.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.testigo.api.ApiPaths;
import org.testigo.api.client.HttpTransport;
import org.testigo.api.client.Socks5;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.merkle.SignedTreeHead;

/**
 * Reads a Testigo server's public transparency endpoints ({@code /api/v1/manifest},
 * {@code /api/v1/log/...}). Every answer is size-limited and parsed strictly; nothing here
 * is trusted: the audit verifies it. Requests go through {@link HttpTransport}, direct or
 * through a SOCKS5 proxy (an onion URL needs one). Network failures (the proxy's or Tor's
 * included) and unexpected HTTP statuses are {@link CliException} with {@link ExitCodes#SERVER},
 * like every other command that reaches a server: not {@link ExitCodes#IO}, which means a local
 * file.
 */
final class LogClient {
  static final int LEAVES_PER_REQUEST = 1000;

  /**
   * The server could not be reached at all (the network, the proxy, Tor): unlike an HTTP error
   * status or a malformed answer, this proves nothing about the log, so the audit stops with it
   * ({@link ExitCodes#SERVER}) instead of reporting a failed check.
   */
  static final class Unreachable extends CliException {
    private static final long serialVersionUID = 1L;

    Unreachable(String message) {
      super(ExitCodes.SERVER, message);
    }
  }
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();
  private final URI base;
  private final HttpTransport http;

  LogClient(URI base) {
    this(base, Optional.empty());
  }

  /** A client of {@code base}, through {@code socks} if present; an onion without one is refused. */
  LogClient(URI base, Optional<Socks5.Address> socks) {
    HttpTransport.checkRoute(base, socks);
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s : s + "/");
    this.http = new HttpTransport(socks, 120_000);
  }

  /** The armored manifest chain. */
  String manifestChain() {
    return new String(get(ApiPaths.relative(ApiPaths.MANIFEST), 16 << 20).orElseThrow(() -> missing("the manifest chain")),
        StandardCharsets.US_ASCII);
  }

  Optional<SignedTreeHead> latestTreeHead() {
    return get(ApiPaths.relative(ApiPaths.LOG_STH), 64 << 10).map(b -> treeHead(json(b)));
  }

  Optional<SignedTreeHead> treeHead(long size) {
    return get(ApiPaths.relative(ApiPaths.logSth(size)), 64 << 10).map(b -> treeHead(json(b)));
  }

  List<byte[]> consistencyProof(long from, long to) {
    JsonNode n = json(get(ApiPaths.relative(ApiPaths.logConsistency(from, to)), 64 << 10)
        .orElseThrow(() -> missing("a consistency proof")));
    return hexList(n.path("proof"));
  }

  /** The server refused a request (HTTP 4xx other than 404, 408 and 429): not a passing failure. */
  static final class Refused extends CliException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(ExitCodes.IO, message);
    }
  }

  /**
   * The server refused, or served fewer (or more) leaves than, a range inside its own signed
   * tree head.
   */
  static final class MissingLeaves extends CliException {
    private static final long serialVersionUID = 1L;

    MissingLeaves(String message) {
      super(ExitCodes.BAD_INPUT, message);
    }
  }

  /**
   * Leaves {@code start <= i < end}, fetched in pages. {@link MissingLeaves} if a page holds
   * another count of leaves; another {@link CliException} if the server cannot be reached, answers
   * an HTTP error or an answer that is not a page of hex leaves.
   */
  List<byte[]> leaves(long start, long end) {
    List<byte[]> out = new ArrayList<>();
    for (long s = start; s < end; s += LEAVES_PER_REQUEST) {
      long e = Math.min(end, s + LEAVES_PER_REQUEST);
      String path = ApiPaths.relative(ApiPaths.logLeaves(s, e));
      Optional<byte[]> body;
      try {
        body = get(path, 1 << 20);
      } catch (Refused r) {
        // the range lies inside the server's own signed tree head: refusing it is withholding
        throw new MissingLeaves(r.getMessage());
      }
      JsonNode n = json(body.orElseThrow(() -> new MissingLeaves("the server answered HTTP 404 for " + path)));
      List<byte[]> page = hexList(n.path("leaves"));
      if (page.size() != e - s) {
        throw new MissingLeaves("the server answered " + page.size() + " leaves for the range " + s + ".." + e);
      }
      out.addAll(page);
    }
    return out;
  }

  /** The header of the envelope behind submission leaf {@code index}, if the server serves it. */
  Optional<byte[]> envelopeHeader(long index) {
    return get(ApiPaths.relative(ApiPaths.logLeafEnvelopeHeader(index)), 1 << 20)
        .map(b -> hex(json(b).path("header")));
  }

  /**
   * The stored SignedCaseEvent v1 encodings the server serves to auditors
   * ({@code /api/v1/audit/case-events}, all pages); empty if it serves no such feed.
   */
  Optional<List<byte[]>> caseEvents() {
    return feed(ApiPaths.relative(ApiPaths.AUDIT_CASE_EVENTS), n -> List.of(hex(n.path("event"))))
        .map(items -> items.stream().map(i -> i.get(0)).toList());
  }

  /**
   * The encodings of the applied erasure decisions ({@code /api/v1/audit/erasures}, all pages;
   * docs/spec/retention-and-erasure.md §3.1); empty if the server serves no such feed.
   */
  Optional<List<byte[]>> erasures() {
    return feed(ApiPaths.relative(ApiPaths.AUDIT_ERASURES), n -> List.of(base64(n.path("decision"))))
        .map(items -> items.stream().map(i -> i.get(0)).toList());
  }

  private static byte[] base64(JsonNode n) {
    if (!n.isTextual()) {
      throw new CliException(ExitCodes.BAD_INPUT, "the server's answer lacks a base64 value");
    }
    try {
      return java.util.Base64.getDecoder().decode(n.asText());
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.BAD_INPUT, "the server's answer has a value that is not base64");
    }
  }

  /** The answered possession challenges, each {challenge, answer}; empty if not served. */
  Optional<List<List<byte[]>>> challenges() {
    return feed(ApiPaths.relative(ApiPaths.AUDIT_CHALLENGES), n -> List.of(hex(n.path("challenge")), hex(n.path("answer"))));
  }

  private Optional<List<List<byte[]>>> feed(String path, java.util.function.Function<JsonNode, List<byte[]>> item) {
    List<List<byte[]>> out = new ArrayList<>();
    long after = 0;
    while (true) {
      Optional<byte[]> body = get(ApiPaths.page(path, after, LEAVES_PER_REQUEST), 32 << 20);
      if (body.isEmpty()) {
        return after == 0 ? Optional.empty() : Optional.of(out);
      }
      JsonNode n = json(body.get());
      JsonNode items = n.path("items");
      if (!items.isArray() || !n.path("next").isIntegralNumber()) {
        throw new CliException(ExitCodes.BAD_INPUT, "the server's answer for " + path + " is not a page of items");
      }
      items.forEach(i -> out.add(item.apply(i)));
      long next = n.path("next").asLong();
      if (!n.path("more").asBoolean() || next <= after) {
        return Optional.of(out);
      }
      after = next;
    }
  }

  /** The object of a rewrap leaf as served (docs/spec/reviewer-api-and-batches.md §5): the record's hashes and the new header. */
  record Rewrap(byte[] envelopeSha256, byte[] previousHeaderSha256, byte[] header) {}

  /** The object of rewrap leaf {@code index}, if the server serves it. */
  Optional<Rewrap> rewrap(long index) {
    return get(ApiPaths.relative(ApiPaths.logLeafRewrap(index)), 1 << 20).map(b -> {
      JsonNode n = json(b);
      return new Rewrap(hex(n.path("envelopeSha256")), hex(n.path("previousHeaderSha256")), hex(n.path("header")));
    });
  }

  private Optional<byte[]> get(String path, int maxBytes) {
    URI uri = base.resolve(path);
    try (HttpTransport.Response r = http.exchange("GET", uri, Map.of(), null)) {
      if (r.status() == 404) {
        return Optional.empty();
      }
      if (r.status() >= 400 && r.status() < 500 && r.status() != 408 && r.status() != 429) {
        throw new Refused("the server answered HTTP " + r.status() + " for " + path);
      }
      if (r.status() != 200) {
        throw new CliException(ExitCodes.SERVER, "the server answered HTTP " + r.status() + " for " + path);
      }
      byte[] body = r.body().readNBytes(maxBytes + 1);
      if (body.length > maxBytes) {
        throw new CliException(ExitCodes.BAD_INPUT, "the server's answer for " + path + " is too large");
      }
      return Optional.of(body);
    } catch (IOException e) {
      throw new Unreachable(http.describe(uri, e));
    }
  }

  private static CliException missing(String what) {
    return new CliException(ExitCodes.BAD_INPUT, "the server does not serve " + what);
  }

  private static JsonNode json(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new CliException(ExitCodes.BAD_INPUT, "the server's answer is not JSON");
    }
  }

  static SignedTreeHead treeHead(JsonNode n) {
    try {
      return SignedTreeHead.parse(hex(n.path("encoded")));
    } catch (CryptoException e) {
      throw new CliException(ExitCodes.BAD_INPUT, "the server's tree head is not a v1 signed tree head");
    }
  }

  private static List<byte[]> hexList(JsonNode array) {
    if (!array.isArray()) {
      throw new CliException(ExitCodes.BAD_INPUT, "the server's answer lacks a list of hex values");
    }
    List<byte[]> out = new ArrayList<>();
    array.forEach(e -> out.add(hex(e)));
    return out;
  }

  static byte[] hex(JsonNode n) {
    if (!n.isTextual()) {
      throw new CliException(ExitCodes.BAD_INPUT, "the server's answer lacks a hex value");
    }
    try {
      return HEX.parseHex(n.asText());
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.BAD_INPUT, "the server's answer has a value that is not hex");
    }
  }
}
