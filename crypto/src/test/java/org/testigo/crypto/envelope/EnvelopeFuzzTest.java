package org.testigo.crypto.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.key.RecipientPrivateKey;

/**
 * Fuzz targets for the envelope reader (header and payload framing). Seeds: the golden
 * envelope v1, its header alone, and small envelopes sealed to {@code TestKeys.recipient("fuzz")}.
 */
class EnvelopeFuzzTest {
  private static final RecipientPrivateKey KEY = TestKeys.recipient("fuzz");

  /**
   * {@code inspect} either refuses with {@link CryptoException} or accepts the whole input:
   * it copies exactly the bytes it was given, reports their length, and the header alone
   * parses to the same recipients and header length.
   */
  @FuzzTest(maxDuration = "10m")
  void inspect_refusesOrCopiesExactlyTheInput(byte[] data) throws IOException {
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    EnvelopeInfo info;
    try {
      info = Envelope.inspect(new ByteArrayInputStream(data), copy);
    } catch (CryptoException e) {
      return;
    }
    assertThat(copy.toByteArray()).isEqualTo(data);
    assertThat(info.totalLength()).isEqualTo(data.length);
    EnvelopeInfo head;
    try {
      head = Envelope.inspectHeader(new ByteArrayInputStream(data));
    } catch (CryptoException e) {
      throw new AssertionError("inspect accepted what inspectHeader refuses", e);
    }
    assertThat(head.recipients()).isEqualTo(info.recipients());
    assertThat(head.headerLength()).isEqualTo(info.headerLength());
    assertThat(head.context()).isEqualTo(info.context());
  }

  /**
   * {@code open} either refuses with {@link CryptoException} or returns plaintext; it never
   * opens what {@code inspect} refuses.
   */
  @FuzzTest(maxDuration = "10m")
  void open_refusesOrOpensOnlyWellFormedEnvelopes(byte[] data) throws IOException {
    byte[] plain;
    try {
      plain = Envelope.open(data, KEY, Envelope.CONTEXT_REPORT);
    } catch (CryptoException e) {
      return;
    }
    assertThat(plain).isNotNull();
    try {
      Envelope.inspect(new ByteArrayInputStream(data), java.io.OutputStream.nullOutputStream());
    } catch (CryptoException e) {
      throw new AssertionError("open accepted what inspect refuses", e);
    }
  }
}
