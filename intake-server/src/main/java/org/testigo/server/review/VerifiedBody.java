package org.testigo.server.review;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import org.testigo.crypto.httpsig.ContentDigest;
import org.testigo.server.domain.PayloadTooLargeException;

/**
 * The body of a signed reviewer request, hashed as it streams. A consumer MUST call
 * {@link #finish()} before it commits anything derived from the body: it reads what is left,
 * compares SHA-256 of all bytes with the signed {@code Content-Digest} in constant time, and
 * throws {@link UnauthorizedException} on a mismatch, so a transaction around the consumer
 * rolls back. Reads beyond {@code maxBytes} throw {@link PayloadTooLargeException}.
 */
public final class VerifiedBody extends FilterInputStream {
  private final byte[] expectedSha256;
  private final long maxBytes;
  private final MessageDigest digest = ContentDigest.newDigest();
  private long count;

  public VerifiedBody(InputStream in, byte[] expectedSha256, long maxBytes) {
    super(in);
    this.expectedSha256 = expectedSha256.clone();
    this.maxBytes = maxBytes;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      count += n;
      if (count > maxBytes) {
        throw new PayloadTooLargeException();
      }
      digest.update(b, off, n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] sink = new byte[(int) Math.min(8192, Math.max(0, n))];
    long done = 0;
    while (done < n) {
      int r = read(sink, 0, (int) Math.min(sink.length, n - done));
      if (r < 0) {
        break;
      }
      done += r;
    }
    return done;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /**
   * Reads the rest of the body, checks the digest (401 on mismatch) and returns how many
   * bytes were left unread by the consumer before this call.
   */
  public long finish() throws IOException {
    long before = count;
    byte[] sink = new byte[8192];
    while (read(sink, 0, sink.length) >= 0) {
      // drain into the digest
    }
    if (!MessageDigest.isEqual(digest.digest(), expectedSha256)) {
      throw new UnauthorizedException();
    }
    return count - before;
  }
}
