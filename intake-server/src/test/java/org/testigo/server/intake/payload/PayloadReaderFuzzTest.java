package org.testigo.server.intake.payload;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.testigo.crypto.payload.PartHeader;
import org.testigo.crypto.payload.PayloadWriter;

/**
 * Fuzz target for the server's payload container reader (SECURITY.md §6). The server reads
 * containers it sealed itself and the shelter's uploads; here the bytes are hostile.
 */
class PayloadReaderFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One part as read: its header and its whole body. */
  record Read(PartHeader header, String body) {}

  /**
   * Reading every part either refuses with {@link PayloadReader.MalformedPayloadException} or
   * yields parts that {@link PayloadWriter} writes back into a container that reads as the
   * same parts.
   */
  @FuzzTest(maxDuration = "10m")
  void read_refusesOrRoundTripsThroughTheWriter(byte[] data) throws IOException {
    List<Read> parts;
    try {
      parts = readAll(data);
    } catch (PayloadReader.MalformedPayloadException e) {
      return;
    }
    for (Read p : parts) {
      assertThat(p.header().name()).isNotNull();
      if (JSON.writeValueAsBytes(p.header()).length > PayloadWriter.MAX_HEADER) {
        return; // escaping made the header longer than the writer allows
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PayloadWriter w = new PayloadWriter(out);
    for (Read p : parts) {
      w.writePart(p.header(), java.util.HexFormat.of().parseHex(p.body()));
    }
    w.finish();
    assertThat(readAll(out.toByteArray())).isEqualTo(parts);
  }

  static List<Read> readAll(byte[] data) throws IOException {
    PayloadReader r = new PayloadReader(new ByteArrayInputStream(data));
    List<Read> parts = new ArrayList<>();
    PayloadReader.Part p;
    while ((p = r.next()) != null) {
      byte[] body = p.body().readAllBytes();
      parts.add(new Read(p.header(), java.util.HexFormat.of().formatHex(body)));
      Arrays.fill(body, (byte) 0);
    }
    return parts;
  }
}
