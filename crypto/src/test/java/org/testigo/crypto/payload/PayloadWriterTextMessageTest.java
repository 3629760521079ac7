package org.testigo.crypto.payload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link PayloadWriter#textMessage} writes exactly the bytes of the reviewer tool's own reply
 * writer ({@code cli.report.PayloadContainer.textMessage}, copied below as it stands), which it
 * replaces, and reads back through {@link PayloadReader}.
 */
class PayloadWriterTextMessageTest {
  /** The reviewer tool's reply writer, byte for byte. */
  private static byte[] cliTextMessage(String text) throws IOException {
    byte[] h = "{\"name\":\"message\",\"type\":\"text/plain; charset=utf-8\"}".getBytes(StandardCharsets.UTF_8);
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write("TGPAYLD1".getBytes(StandardCharsets.US_ASCII));
    out.write(0x01);
    out.write(h.length >>> 8);
    out.write(h.length);
    out.write(h);
    for (int off = 0; off < body.length; off += 65536) {
      int n = Math.min(65536, body.length - off);
      out.write(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
      out.write(body, off, n);
    }
    out.write(new byte[4]);
    out.write(0x00);
    return out.toByteArray();
  }

  @Test
  void sameBytesAsTheReviewerToolsReplyWriter() throws Exception {
    for (String text : List.of("", "Gracias, recibimos su denuncia.", "ñ".repeat(40_000), "x".repeat(65536),
        "y".repeat(65537))) {
      byte[] payload = PayloadWriter.textMessage(text);
      assertThat(payload).isEqualTo(cliTextMessage(text));
      assertThat(PayloadReads.pull(payload, PayloadReader.Limits.REVIEWER)).containsExactly(new PayloadReads.Read(
          new PartHeader("message", null, "text/plain; charset=utf-8"),
          java.util.HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8))));
    }
  }
}
