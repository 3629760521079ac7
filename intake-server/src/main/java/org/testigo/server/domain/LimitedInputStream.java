package org.testigo.server.domain;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Passes bytes through and throws {@link PayloadTooLargeException} once more than the cap was read. */
public final class LimitedInputStream extends FilterInputStream {
  private final long cap;
  private long count;

  public LimitedInputStream(InputStream in, long cap) {
    super(in);
    this.cap = cap;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      add(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      add(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long s = super.skip(n);
    add(s);
    return s;
  }

  private void add(long n) {
    count += n;
    if (count > cap) {
      throw new PayloadTooLargeException();
    }
  }

  public long count() {
    return count;
  }
}
