package org.testigo.server.storage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.testigo.api.EnvelopeId;
import org.testigo.server.domain.EnvelopeRecord;

/**
 * The form in which a stored envelope is served to reviewers and exported: the newest
 * rewrapped header ({@code envelope_rewraps}, docs/spec/reviewer-api-and-batches.md §5) in front of the original
 * payload bytes, or the envelope exactly as stored when it was never rewrapped. The stored
 * chunks are never changed; the original envelope's SHA-256 (its submission leaf) stays in
 * {@link EnvelopeRecord#sha256()}, the served form's in {@link #currentSha256}.
 */
public final class CurrentEnvelopes {
  private final EnvelopeStore envelopes;

  public CurrentEnvelopes(EnvelopeStore envelopes) {
    this.envelopes = envelopes;
  }

  public EnvelopeStore store() {
    return envelopes;
  }

  /** The newest rewrap of an envelope, if it was ever rewrapped. */
  public Optional<RewrapDao.Row> latestRewrap(EnvelopeId id) {
    return envelopes.latestRewrap(id);
  }

  /** The header of the envelope as first stored (exactly its bytes, nothing after). */
  public byte[] originalHeader(EnvelopeRecord record) {
    return envelopes.originalHeader(record);
  }

  /** The header served now: the newest rewrap's, else the original. */
  public byte[] currentHeader(EnvelopeRecord record) {
    return latestRewrap(record.id()).map(RewrapDao.Row::header).orElseGet(() -> originalHeader(record));
  }

  /** SHA-256 of the served form (= the stored envelope's SHA-256 if never rewrapped). */
  public byte[] currentSha256(EnvelopeRecord record) {
    return latestRewrap(record.id()).map(RewrapDao.Row::servedSha256).orElseGet(record::sha256);
  }

  /** Streams the served form, chunk by chunk. */
  public void copyTo(EnvelopeRecord record, OutputStream out) throws IOException {
    Optional<RewrapDao.Row> latest = latestRewrap(record.id());
    if (latest.isEmpty()) {
      envelopes.copyTo(record, out);
      return;
    }
    out.write(latest.get().header());
    envelopes.copyTo(record, new Skipping(out, originalHeader(record).length));
  }

  /** SHA-256 of {@code header} followed by the stored envelope's payload (its bytes after the original header). */
  public byte[] sha256WithHeader(EnvelopeRecord record, byte[] header) throws IOException {
    MessageDigest d;
    try {
      d = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    d.update(header);
    try (DigestOutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), d)) {
      envelopes.copyTo(record, new Skipping(out, originalHeader(record).length));
    }
    return d.digest();
  }

  /** Drops the first {@code skip} bytes written, passes on the rest; never closes the target. */
  private static final class Skipping extends FilterOutputStream {
    private long skip;

    Skipping(OutputStream out, long skip) {
      super(out);
      this.skip = skip;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      int drop = (int) Math.min(skip, len);
      skip -= drop;
      if (len > drop) {
        out.write(b, off + drop, len - drop);
      }
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
