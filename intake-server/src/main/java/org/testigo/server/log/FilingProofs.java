package org.testigo.server.log;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.testigo.api.EnvelopeId;
import org.testigo.crypto.merkle.FilingProof;
import org.testigo.crypto.sign.SigningPublicKey;
import org.testigo.server.domain.FiledEnvelope;
import org.testigo.server.storage.TransparencyLog;

/**
 * Proofs of filing (FilingProof v1, custody's format) for a source's own submissions, built
 * against a stored signed tree head. A proof reveals the leaf (type, day, SHA-256 of the
 * envelope), its index and a tree head: all of it public in the log already.
 */
public final class FilingProofs {
  private final TransparencyLog log;
  private final SigningPublicKey logKey;

  public FilingProofs(TransparencyLog log, SigningPublicKey logKey) {
    this.log = log;
    this.logKey = logKey;
  }

  /**
   * One submission of a source: its leaf index and, once a signed tree head includes it, the
   * size of that head and the armored proof; before that {@code armored} is null (pending).
   * {@code envelope} says what it was (report or follow-up) and the day it came.
   */
  public record Filing(long leafIndex, long treeSize, String armored, FiledEnvelope envelope) {
    public boolean pending() {
      return armored == null;
    }
  }

  /** The filings of the given envelopes (in order), skipping envelopes that were never logged. */
  public List<Filing> of(List<FiledEnvelope> envelopes) {
    List<Filing> out = new ArrayList<>();
    for (FiledEnvelope e : envelopes) {
      EnvelopeId id = e.id();
      Optional<Long> index = log.indexOfEnvelope(id);
      if (index.isEmpty()) {
        continue;
      }
      Optional<FilingProof> proof = log.filingProof(index.get(), Optional.empty(), logKey);
      out.add(proof.map(p -> new Filing(index.get(), p.treeHead().treeSize(), p.toArmored(), e))
          .orElseGet(() -> new Filing(index.get(), 0, null, e)));
    }
    return out;
  }

  /** The armored proof of leaf {@code index} against the head signed for {@code treeSize}. */
  public Optional<String> armored(long index, long treeSize) {
    return log.filingProof(index, Optional.of(treeSize), logKey).map(FilingProof::toArmored);
  }
}
