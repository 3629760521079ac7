package org.testigo.server.intake.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.payload.PartHeader;
import org.testigo.crypto.payload.PayloadReader;
import org.testigo.crypto.payload.PayloadWriter;

class PayloadContainerTest {
  @Test
  void writer_producesTheSpecifiedBytesForASmallPayload() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PayloadWriter w = new PayloadWriter(out);
    w.writePart(new PartHeader("message", null, "text/plain"), "hola".getBytes(StandardCharsets.UTF_8));
    w.finish();
    String header = "{\"name\":\"message\",\"type\":\"text/plain\"}";
    String expected = HexFormat.of().formatHex("TGPAYLD1".getBytes(StandardCharsets.US_ASCII))
        + "01" + String.format("%04x", header.length())
        + HexFormat.of().formatHex(header.getBytes(StandardCharsets.US_ASCII))
        + "00000004" + HexFormat.of().formatHex("hola".getBytes(StandardCharsets.US_ASCII))
        + "00000000" + "00";
    assertThat(HexFormat.of().formatHex(out.toByteArray())).isEqualTo(expected);
  }

  @Test
  void roundTrip_streamsLargePartsInChunksAndToleratesZeroPadding() throws Exception {
    byte[] file = new byte[3 * PayloadWriter.MAX_CHUNK + 5];
    new Random(3).nextBytes(file);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PayloadWriter w = new PayloadWriter(out);
    w.writePart(new PartHeader(PartHeader.QUESTIONNAIRE, null, "application/json"), "{}".getBytes(StandardCharsets.UTF_8));
    try (OutputStream part = w.beginPart(new PartHeader(PartHeader.FILE, "a.bin", "application/octet-stream"))) {
      for (int off = 0; off < file.length; off += 1000) {
        part.write(file, off, Math.min(1000, file.length - off));
      }
    }
    w.finish();
    out.write(new byte[100]);
    PayloadReader r = new PayloadReader(new ByteArrayInputStream(out.toByteArray()));
    PayloadReader.Part p = r.next();
    assertThat(p.header().name()).isEqualTo("questionnaire");
    assertThat(p.body().readAllBytes()).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
    p = r.next();
    assertThat(p.header().filename()).isEqualTo("a.bin");
    assertThat(p.body().readAllBytes()).isEqualTo(file);
    assertThat(r.next()).isNull();
  }

  @Test
  void reader_rejectsBadMagicTruncationAndTrailingGarbage() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PayloadWriter w = new PayloadWriter(out);
    w.writePart(new PartHeader("message", null, "text/plain"), new byte[500]);
    w.finish();
    byte[] good = out.toByteArray();
    assertThatThrownBy(() -> new PayloadReader(new ByteArrayInputStream("XXXXXXXX".getBytes(StandardCharsets.US_ASCII))))
        .isInstanceOf(PayloadReader.MalformedPayloadException.class);
    byte[] truncated = Arrays.copyOf(good, good.length - 10);
    assertThatThrownBy(() -> {
      PayloadReader r = new PayloadReader(new ByteArrayInputStream(truncated));
      while (r.next() != null) {
        // drain
      }
    }).isInstanceOf(PayloadReader.MalformedPayloadException.class);
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    trailing[trailing.length - 1] = 7;
    assertThatThrownBy(() -> {
      PayloadReader r = new PayloadReader(new ByteArrayInputStream(trailing));
      while (r.next() != null) {
        // drain
      }
    }).isInstanceOf(PayloadReader.MalformedPayloadException.class);
  }

  @Test
  void reader_rejectsAPartHeaderThatIsTheJsonLiteralNull() throws Exception {
    // Found by PayloadReaderFuzzTest (corpus entry crash-null-part-header): it threw a
    // NullPointerException instead of MalformedPayloadException.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(PayloadWriter.MAGIC);
    out.writeBytes(new byte[] {0x01, 0x00, 0x04});
    out.writeBytes("null".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(new byte[] {0, 0, 0, 0, 0x00});
    PayloadReader r = new PayloadReader(new ByteArrayInputStream(out.toByteArray()));
    assertThatThrownBy(r::next).isInstanceOf(PayloadReader.MalformedPayloadException.class)
        .hasMessage("part without a name");
  }
}
