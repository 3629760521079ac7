package org.testigo.server.resources.audit;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.HexFormat;
import java.util.List;
import org.testigo.api.ApiPaths;
import org.testigo.api.wire.ConsistencyProof;
import org.testigo.api.wire.EnvelopeHeaderLeaf;
import org.testigo.api.wire.InclusionProof;
import org.testigo.api.wire.Leaves;
import org.testigo.api.wire.TreeHead;
import org.testigo.crypto.merkle.SignedTreeHead;
import org.testigo.server.domain.InvalidInputException;
import org.testigo.server.log.EnvelopeHeaders;
import org.testigo.server.storage.TransparencyLog;

/**
 * The public transparency-log API (source port, no authentication): signed tree heads,
 * inclusion and consistency proofs, leaves, and the headers of submitted envelopes. JSON,
 * binary values in lowercase hex. Malformed or out-of-range parameters get a generic 400;
 * absent objects a generic 404. Formats: docs/spec/merkle-log-and-proofs.md.
 */
@Path(ApiPaths.LOG)
@Produces(MediaType.APPLICATION_JSON)
public final class LogResource {
  /** Leaves returned per request at most. */
  public static final int MAX_LEAVES = 1000;
  private static final HexFormat HEX = HexFormat.of();
  private final TransparencyLog log;
  private final EnvelopeHeaders headers;

  public LogResource(TransparencyLog log, EnvelopeHeaders headers) {
    this.log = log;
    this.headers = headers;
  }

  /** A signed tree head; {@code encoded} is the 113-byte SignedTreeHead v1. */
  static TreeHead treeHead(SignedTreeHead h) {
    return new TreeHead(h.version(), h.treeSize(), h.timestampMillis(), HEX.formatHex(h.rootHash()),
        HEX.formatHex(h.signature()), HEX.formatHex(h.encoded()));
  }

  @GET
  @Path("sth")
  public TreeHead latest() {
    return treeHead(log.latestTreeHead().orElseThrow(NotFoundException::new));
  }

  @GET
  @Path("sth/{size}")
  public TreeHead bySize(@PathParam("size") String size) {
    return treeHead(log.treeHead(number(size)).orElseThrow(NotFoundException::new));
  }

  @GET
  @Path("proof/inclusion")
  public InclusionProof inclusion(@QueryParam("leaf") String leafHash, @QueryParam("size") String size) {
    byte[] hash = hash(leafHash);
    long n = number(size);
    TransparencyLog.InclusionProof p = log.inclusionProof(hash, n).orElseThrow(NotFoundException::new);
    return new InclusionProof(p.leafIndex(), p.treeSize(), hex(p.path()));
  }

  @GET
  @Path("proof/consistency")
  public ConsistencyProof consistency(@QueryParam("from") String from, @QueryParam("to") String to) {
    long a = number(from);
    long b = number(to);
    List<byte[]> proof = log.consistencyProof(a, b).orElseThrow(() -> new InvalidInputException("error.request"));
    return new ConsistencyProof(a, b, hex(proof));
  }

  @GET
  @Path("leaves")
  public Leaves leaves(@QueryParam("start") String start, @QueryParam("end") String end) {
    long s = number(start);
    long e = number(end);
    if (e <= s || e - s > MAX_LEAVES || e > log.size()) {
      throw new InvalidInputException("error.request");
    }
    return new Leaves(s, e, hex(log.leaves(s, e)));
  }

  @GET
  @Path("leaves/{index}/envelope-header")
  public EnvelopeHeaderLeaf envelopeHeader(@PathParam("index") String index) {
    long i = number(index);
    byte[] header = headers.headerOf(i).orElseThrow(NotFoundException::new);
    return new EnvelopeHeaderLeaf(i, HEX.formatHex(header));
  }

  private static List<String> hex(List<byte[]> values) {
    return values.stream().map(HEX::formatHex).toList();
  }

  /** A decimal 0..2^63-1 of at most 19 digits, or a generic 400. */
  static long number(String s) {
    if (s == null || s.isEmpty() || s.length() > 19 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new InvalidInputException("error.request");
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new InvalidInputException("error.request");
    }
  }

  /** 64 hex characters, or a generic 400. */
  static byte[] hash(String s) {
    if (s == null || s.length() != 64) {
      throw new InvalidInputException("error.request");
    }
    try {
      return HEX.parseHex(s.toLowerCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("error.request");
    }
  }
}
