package org.testigo.crypto.payload;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import org.testigo.crypto.payload.PayloadReads.Read;

/**
 * Fuzz target for the one payload container reader (docs/spec/payload-and-questionnaire.md §1): the intake server reads
 * replies and the shelter's uploads with it, the reviewer tool every report it decrypts; here
 * the bytes are hostile.
 */
class PayloadReaderFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Under both sets of limits, pulling ({@link PayloadReader#next}) and pushing
   * ({@link PayloadReader#decoder}, written in uneven pieces) either both refuse with
   * {@link PayloadReader.MalformedPayloadException} or both yield the same parts, and those
   * parts, written again by {@link PayloadWriter}, read back the same.
   */
  @FuzzTest(maxDuration = "10m")
  void readBothWays_refuseAlikeOrRoundTripThroughTheWriter(byte[] data) throws IOException {
    for (PayloadReader.Limits limits : List.of(PayloadReader.Limits.SERVER, PayloadReader.Limits.REVIEWER)) {
      List<Read> pulled = orNull(data, limits, true);
      List<Read> pushed = orNull(data, limits, false);
      assertThat(pushed).isEqualTo(pulled);
      if (pulled == null) {
        continue;
      }
      assertThat(pulled.size()).isLessThanOrEqualTo(limits.maxParts());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PayloadWriter w = new PayloadWriter(out);
      boolean writable = true;
      for (Read p : pulled) {
        assertThat(p.header().name()).isNotNull();
        if (JSON.writeValueAsBytes(p.header()).length > PayloadWriter.MAX_HEADER) {
          writable = false; // escaping made the header longer than the writer allows
          break;
        }
        w.writePart(p.header(), HexFormat.of().parseHex(p.body()));
      }
      if (writable) {
        w.finish();
        assertThat(PayloadReads.pull(out.toByteArray(), limits)).isEqualTo(pulled);
      }
    }
  }

  private static List<Read> orNull(byte[] data, PayloadReader.Limits limits, boolean pull) throws IOException {
    try {
      return pull ? PayloadReads.pull(data, limits) : PayloadReads.push(data, limits, 1 + data.length % 7);
    } catch (PayloadReader.MalformedPayloadException e) {
      return null;
    }
  }
}
