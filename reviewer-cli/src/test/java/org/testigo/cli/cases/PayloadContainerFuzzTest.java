package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.testigo.crypto.payload.PartHeader;
import org.testigo.crypto.payload.PayloadWriter;

/**
 * Fuzz target for the payload container reader of the reviewer tool: the plaintext of an
 * envelope that opened, which a source (or anyone holding the public keys) wrote.
 */
class PayloadContainerFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A part with its body as hex, so that equals compares content. */
  record Read(String name, String filename, String type, String body) {}

  /**
   * {@code read} either refuses with {@link PayloadContainer.MalformedPayloadException} or
   * returns parts that {@link PayloadWriter} writes into a container that reads back the same.
   */
  @FuzzTest(maxDuration = "10m")
  void read_refusesOrRoundTripsThroughTheWriter(byte[] data) throws IOException {
    List<Read> parts;
    try {
      parts = readAll(data);
    } catch (PayloadContainer.MalformedPayloadException e) {
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PayloadWriter w = new PayloadWriter(out);
    for (Read p : parts) {
      assertThat(p.name()).isNotNull();
      PartHeader h = new PartHeader(p.name(), p.filename(), p.type());
      if (JSON.writeValueAsBytes(h).length > PayloadWriter.MAX_HEADER) {
        return; // escaping made the header longer than the writer allows
      }
      w.writePart(h, HexFormat.of().parseHex(p.body()));
    }
    w.finish();
    assertThat(readAll(out.toByteArray())).isEqualTo(parts);
  }

  static List<Read> readAll(byte[] data) throws IOException {
    List<Read> out = new ArrayList<>();
    for (PayloadContainer.Part p : PayloadContainer.read(new ByteArrayInputStream(data))) {
      out.add(new Read(p.name(), p.filename(), p.type(), HexFormat.of().formatHex(p.body())));
    }
    return out;
  }
}
