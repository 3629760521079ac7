package org.testigo.crypto.payload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.payload.PayloadReader.Limits;
import org.testigo.crypto.payload.PayloadReader.MalformedPayloadException;
import org.testigo.crypto.payload.PayloadReads.Read;

/**
 * The one payload reader, pull and push, against the byte layout of docs/spec/payload-and-questionnaire.md §1 and the
 * rules the intake server's and the reviewer tool's readers applied before it.
 */
class PayloadReaderTest {
  /** {@code "hola"} as a message part: the bytes the server's and the shelter's writer tests expect. */
  private static final String HEADER = "{\"name\":\"message\",\"type\":\"text/plain\"}";
  private static final String KNOWN = HexFormat.of().formatHex("TGPAYLD1".getBytes(StandardCharsets.US_ASCII))
      + "01" + String.format("%04x", HEADER.length())
      + HexFormat.of().formatHex(HEADER.getBytes(StandardCharsets.US_ASCII))
      + "00000004" + HexFormat.of().formatHex("hola".getBytes(StandardCharsets.US_ASCII))
      + "00000000" + "00";

  private static final List<Limits> BOTH = List.of(Limits.SERVER, Limits.REVIEWER);

  @Test
  void knownAnswer_readsTheSpecifiedBytesBothWays() throws Exception {
    byte[] known = HexFormat.of().parseHex(KNOWN);
    List<Read> expected = List.of(new Read(new PartHeader("message", null, "text/plain"),
        HexFormat.of().formatHex("hola".getBytes(StandardCharsets.US_ASCII))));
    for (Limits limits : BOTH) {
      assertThat(PayloadReads.pull(known, limits)).isEqualTo(expected);
      for (int piece = 1; piece <= known.length; piece++) {
        assertThat(PayloadReads.push(known, limits, piece)).isEqualTo(expected);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PayloadWriter w = new PayloadWriter(out);
    w.writePart(new PartHeader("message", null, "text/plain"), "hola".getBytes(StandardCharsets.UTF_8));
    w.finish();
    assertThat(HexFormat.of().formatHex(out.toByteArray())).isEqualTo(KNOWN);
  }

  @Test
  void roundTrip_streamsLargePartsInChunksAndToleratesZeroPadding() throws Exception {
    byte[] file = new byte[3 * PayloadWriter.MAX_CHUNK + 5];
    new Random(3).nextBytes(file);
    byte[] payload = payload(out -> {
      PayloadWriter w = new PayloadWriter(out);
      w.writePart(new PartHeader(PartHeader.QUESTIONNAIRE, null, "application/json"),
          "{}".getBytes(StandardCharsets.UTF_8));
      try (OutputStream part = w.beginPart(new PartHeader(PartHeader.FILE, "a.bin", "application/octet-stream"))) {
        for (int off = 0; off < file.length; off += 1000) {
          part.write(file, off, Math.min(1000, file.length - off));
        }
      }
      w.finish();
      out.write(new byte[100]);
    });
    PayloadReader r = new PayloadReader(new ByteArrayInputStream(payload));
    PayloadReader.Part p = r.next();
    assertThat(p.header().name()).isEqualTo("questionnaire");
    assertThat(p.body().readAllBytes()).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
    p = r.next();
    assertThat(p.header().filename()).isEqualTo("a.bin");
    assertThat(p.body().readAllBytes()).isEqualTo(file);
    assertThat(r.next()).isNull();
    assertThat(r.next()).isNull();
    assertThat(r.partCount()).isEqualTo(2);
    for (Limits limits : BOTH) {
      assertThat(PayloadReads.push(payload, limits, 4099)).isEqualTo(PayloadReads.pull(payload, limits));
    }
  }

  @Test
  void next_skipsWhatTheCallerDidNotRead() throws Exception {
    byte[] payload = payload(out -> {
      PayloadWriter w = new PayloadWriter(out);
      w.writePart(new PartHeader(PartHeader.FILE, "x", null), new byte[200_000]);
      w.writePart(new PartHeader(PartHeader.MESSAGE, null, null), "after".getBytes(StandardCharsets.UTF_8));
      w.finish();
    });
    PayloadReader r = new PayloadReader(new ByteArrayInputStream(payload));
    assertThat(r.next().body().read()).isZero();
    assertThat(r.next().body().readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("after");
    assertThat(r.next()).isNull();
  }

  @Test
  void refusesEveryFramingDefectWithTheSameMessageBothWays() throws Exception {
    byte[] known = HexFormat.of().parseHex(KNOWN);
    int afterHeader = 8 + 3 + HEADER.length();
    assertRefused("XXXXXXXX".getBytes(StandardCharsets.US_ASCII), "not a Testigo v1 payload");
    assertRefused(with(known, 8, 0x02), "unknown part kind");
    assertRefused(with(with(known, 9, 0), 10, 0), "bad part header length");
    assertRefused(with(with(known, 9, 0x10), 10, 0x01), "bad part header length"); // 4097
    assertRefused(with(known, afterHeader, 0x80), "bad chunk length");
    assertRefused(with(known, afterHeader + 1, 0x01), "bad chunk length"); // 65540
    assertRefused(with(known, 11, '['), "bad part header");
    byte[] trailing = Arrays.copyOf(known, known.length + 3);
    trailing[trailing.length - 1] = 7;
    assertRefused(trailing, "bytes after the end marker");
    assertRefused(Arrays.copyOf(known, known.length - 1), "payload truncated");
  }

  @Test
  void refusesATruncationAnywhere() throws Exception {
    byte[] known = HexFormat.of().parseHex(KNOWN);
    for (int n = 0; n < known.length; n++) {
      byte[] cut = Arrays.copyOf(known, n);
      for (Limits limits : BOTH) {
        assertThatThrownBy(() -> PayloadReads.pull(cut, limits)).isInstanceOf(MalformedPayloadException.class);
        assertThatThrownBy(() -> PayloadReads.push(cut, limits)).isInstanceOf(MalformedPayloadException.class);
      }
    }
  }

  @Test
  void tamperedOrRandomBytes_pullAndPushAgree() throws Exception {
    byte[] known = HexFormat.of().parseHex(KNOWN);
    Random random = new Random(11);
    for (int i = 0; i < known.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] t = known.clone();
        t[i] ^= (byte) (1 << bit);
        agree(t);
      }
    }
    for (int i = 0; i < 2000; i++) {
      byte[] garbage = new byte[random.nextInt(64)];
      random.nextBytes(garbage);
      if (random.nextBoolean()) {
        System.arraycopy(PayloadWriter.MAGIC, 0, garbage, 0, Math.min(8, garbage.length));
      }
      agree(garbage);
    }
  }

  @Test
  void partHeaderThatIsTheJsonLiteralNull_isAPartWithoutAName() throws Exception {
    byte[] p = raw(part("null", new byte[0]));
    assertRefused(p, "part without a name");
  }

  @Test
  void headerRules_boundIsTheServersTextualIsTheReviewerTools() throws Exception {
    byte[] extra = raw(part("{\"name\":\"file\",\"filename\":\"a.jpg\",\"extra\":1}", new byte[0]));
    assertThatThrownBy(() -> PayloadReads.pull(extra, Limits.SERVER)).hasMessage("bad part header");
    assertThatThrownBy(() -> PayloadReads.push(extra, Limits.SERVER)).hasMessage("bad part header");
    assertThat(PayloadReads.pull(extra, Limits.REVIEWER))
        .containsExactly(new Read(new PartHeader("file", "a.jpg", null), ""));

    byte[] numbers = raw(part("{\"name\":\"file\",\"filename\":7}", new byte[0]));
    assertThat(PayloadReads.pull(numbers, Limits.SERVER))
        .containsExactly(new Read(new PartHeader("file", "7", null), ""));
    assertThat(PayloadReads.push(numbers, Limits.REVIEWER))
        .containsExactly(new Read(new PartHeader("file", null, null), ""));

    byte[] numericName = raw(part("{\"name\":5}", new byte[0]));
    assertThat(PayloadReads.pull(numericName, Limits.SERVER))
        .containsExactly(new Read(new PartHeader("5", null, null), ""));
    assertThatThrownBy(() -> PayloadReads.pull(numericName, Limits.REVIEWER)).hasMessage("part without a name");

    byte[] array = raw(part("[]", new byte[0]));
    assertThatThrownBy(() -> PayloadReads.pull(array, Limits.SERVER)).hasMessage("bad part header");
    assertThatThrownBy(() -> PayloadReads.pull(array, Limits.REVIEWER)).hasMessage("part without a name");
  }

  @Test
  void caps_partCountAndFirstPartSize() throws Exception {
    byte[][] parts = new byte[101][];
    Arrays.fill(parts, part("{\"name\":\"file\"}", new byte[1]));
    byte[] hundredAndOne = raw(parts);
    byte[] hundred = raw(Arrays.copyOf(parts, 100));
    assertThat(PayloadReads.pull(hundred, Limits.REVIEWER)).hasSize(100);
    assertThat(PayloadReads.pull(hundredAndOne, Limits.SERVER)).hasSize(101);
    assertThatThrownBy(() -> PayloadReads.pull(hundredAndOne, Limits.REVIEWER)).hasMessage("more than 100 parts");
    assertThatThrownBy(() -> PayloadReads.push(hundredAndOne, Limits.REVIEWER)).hasMessage("more than 100 parts");

    int cap = 256 * 1024;
    byte[] atCap = payload(out -> {
      PayloadWriter w = new PayloadWriter(out);
      w.writePart(new PartHeader(PartHeader.QUESTIONNAIRE, null, null), new byte[cap]);
      w.writePart(new PartHeader(PartHeader.FILE, "big", null), new byte[cap + 1]);
      w.finish();
    });
    assertThat(PayloadReads.pull(atCap, Limits.REVIEWER)).hasSize(2);
    assertThat(PayloadReads.push(atCap, Limits.REVIEWER, 1000)).hasSize(2);
    byte[] overCap = payload(out -> {
      PayloadWriter w = new PayloadWriter(out);
      w.writePart(new PartHeader(PartHeader.QUESTIONNAIRE, null, null), new byte[cap + 1]);
      w.finish();
    });
    assertThat(PayloadReads.pull(overCap, Limits.SERVER)).hasSize(1);
    assertThatThrownBy(() -> PayloadReads.pull(overCap, Limits.REVIEWER))
        .hasMessage("the questionnaire is over 262144 bytes");
    assertThatThrownBy(() -> PayloadReads.push(overCap, Limits.REVIEWER, 777))
        .hasMessage("the questionnaire is over 262144 bytes");
    assertThatThrownBy(() -> new Limits(0, 1, PayloadReader.HeaderRule.BOUND))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decoder_discardsABodyWithoutASinkAndClosesTheSink() throws Exception {
    byte[] payload = payload(out -> {
      PayloadWriter w = new PayloadWriter(out);
      w.writePart(new PartHeader(PartHeader.MESSAGE, null, null), "m".getBytes(StandardCharsets.UTF_8));
      w.writePart(new PartHeader(PartHeader.FILE, "f", null), new byte[70_000]);
      w.finish();
    });
    boolean[] closed = new boolean[1];
    long[] sizes = new long[2];
    PayloadReader.Decoder d = PayloadReader.decoder(new PayloadReader.Parts() {
      @Override
      public OutputStream begin(int index, PartHeader header) {
        return index == 1 ? null : new ByteArrayOutputStream() {
          @Override
          public void close() {
            closed[0] = true;
          }
        };
      }

      @Override
      public void end(int index, long size) {
        sizes[index] = size;
      }
    }, Limits.SERVER);
    d.write(payload);
    d.finish();
    assertThat(closed[0]).isTrue();
    assertThat(sizes).containsExactly(1, 70_000);
    assertThat(d.partCount()).isEqualTo(2);
  }

  private interface Body {
    void write(ByteArrayOutputStream out) throws IOException;
  }

  private static byte[] payload(Body body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    body.write(out);
    return out.toByteArray();
  }

  private static byte[] part(String header, byte[] body) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x01);
    out.write(h.length >>> 8);
    out.write(h.length);
    out.writeBytes(h);
    if (body.length > 0) {
      out.writeBytes(new byte[] {0, 0, (byte) (body.length >>> 8), (byte) body.length});
      out.writeBytes(body);
    }
    out.writeBytes(new byte[4]);
    return out.toByteArray();
  }

  private static byte[] raw(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(PayloadWriter.MAGIC);
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    out.write(0x00);
    return out.toByteArray();
  }

  private static byte[] with(byte[] b, int index, int value) {
    byte[] c = b.clone();
    c[index] = (byte) value;
    return c;
  }

  private static void assertRefused(byte[] data, String message) {
    for (Limits limits : BOTH) {
      assertThatThrownBy(() -> PayloadReads.pull(data, limits)).isInstanceOf(MalformedPayloadException.class)
          .hasMessage(message);
      assertThatThrownBy(() -> PayloadReads.push(data, limits)).isInstanceOf(MalformedPayloadException.class)
          .hasMessage(message);
    }
  }

  private static void agree(byte[] data) throws IOException {
    for (Limits limits : BOTH) {
      List<Read> pulled;
      List<Read> pushed;
      try {
        pulled = PayloadReads.pull(data, limits);
      } catch (MalformedPayloadException e) {
        pulled = null;
      }
      try {
        pushed = PayloadReads.push(data, limits, 3);
      } catch (MalformedPayloadException e) {
        pushed = null;
      }
      assertThat(pushed).isEqualTo(pulled);
    }
  }
}
