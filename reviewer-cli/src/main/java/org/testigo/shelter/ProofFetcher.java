package org.testigo.shelter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.testigo.api.ApiPaths;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.merkle.FilingProof;
import org.testigo.crypto.merkle.LogLeaf;
import org.testigo.crypto.merkle.SignedTreeHead;

/**
 * Best effort: a proof of filing (docs/spec/merkle-log-and-proofs.md §4) for an uploaded report, built from the
 * server's public transparency-log API ({@code GET /api/v1/log/sth} and
 * {@code GET /api/v1/log/proof/inclusion?leaf=HEX&size=N}) and verified here against the
 * stored manifest chain before it is printed. Empty when the server has no log, the report
 * is not yet under a signed tree head, or anything fails to verify; the proof can then be
 * fetched later from the status page.
 */
final class ProofFetcher {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ProofFetcher() {}

  static Optional<String> fetch(ShelterHttp http, ShelterProfile profile, byte[] envelopeHash,
      LocalDate receivedDay) {
    try {
      ShelterHttp.Response sth = http.get(profile.endpoint(ApiPaths.LOG_STH));
      if (sth.status() != 200) {
        return Optional.empty();
      }
      SignedTreeHead head = SignedTreeHead.parse(HexFormat.of().parseHex(
          JSON.readTree(sth.body()).path("encoded").asText()));
      LogLeaf leaf = LogLeaf.of(LogLeaf.EntryType.SUBMISSION,
          receivedDay.atStartOfDay().toInstant(ZoneOffset.UTC), envelopeHash);
      ShelterHttp.Response inc = http.get(profile.endpoint(ApiPaths.logInclusion(
          HexFormat.of().formatHex(leaf.leafHash()), head.treeSize())));
      if (inc.status() != 200) {
        return Optional.empty();
      }
      JsonNode p = JSON.readTree(inc.body());
      List<SignedManifest> chain = profile.storedChain().orElseThrow();
      KeyManifest inForce = null;
      for (SignedManifest s : chain) {
        if (!s.manifest().issuedAt().isAfter(Instant.ofEpochMilli(head.timestampMillis()))) {
          inForce = s.manifest();
        }
      }
      if (inForce == null) {
        return Optional.empty();
      }
      ByteArrayOutputStream enc = new ByteArrayOutputStream();
      enc.write("TSTGPOF".getBytes(StandardCharsets.US_ASCII));
      enc.write(FilingProof.VERSION);
      enc.write(leaf.encoded());
      enc.write(ByteBuffer.allocate(8).putLong(p.path("leafIndex").asLong(-1)).array());
      enc.write(head.encoded());
      enc.write(inForce.logKey().fingerprint().toBytes());
      JsonNode path = p.path("auditPath");
      enc.write(path.size());
      for (JsonNode h : path) {
        enc.write(HexFormat.of().parseHex(h.asText()));
      }
      FilingProof proof = FilingProof.parse(enc.toByteArray());
      proof.verify(chain, profile.root);
      return Optional.of(proof.toArmored());
    } catch (CryptoException | IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
