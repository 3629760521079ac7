package org.testigo.crypto.payload;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Test helper: a payload read whole, by the pull reader or by the push decoder. */
final class PayloadReads {
  private PayloadReads() {}

  /** One part as read, its body as hex so that equals compares content. */
  record Read(PartHeader header, String body) {}

  static List<Read> pull(byte[] data, PayloadReader.Limits limits) throws IOException {
    PayloadReader r = new PayloadReader(new ByteArrayInputStream(data), limits);
    List<Read> parts = new ArrayList<>();
    for (PayloadReader.Part p = r.next(); p != null; p = r.next()) {
      parts.add(new Read(p.header(), HexFormat.of().formatHex(p.body().readAllBytes())));
    }
    return parts;
  }

  static List<Read> push(byte[] data, PayloadReader.Limits limits) throws IOException {
    return push(data, limits, data.length);
  }

  /** Writes {@code data} into the decoder in pieces of {@code piece} bytes. */
  static List<Read> push(byte[] data, PayloadReader.Limits limits, int piece) throws IOException {
    List<Read> parts = new ArrayList<>();
    PartHeader[] header = new PartHeader[1];
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    PayloadReader.Decoder d = PayloadReader.decoder(new PayloadReader.Parts() {
      @Override
      public OutputStream begin(int index, PartHeader h) {
        if (index != parts.size()) {
          throw new AssertionError("index " + index + " after " + parts.size() + " parts");
        }
        header[0] = h;
        body.reset();
        return body;
      }

      @Override
      public void end(int index, long size) {
        if (size != body.size()) {
          throw new AssertionError("size " + size + " for " + body.size() + " bytes");
        }
        parts.add(new Read(header[0], HexFormat.of().formatHex(body.toByteArray())));
      }
    }, limits);
    for (int off = 0; off < data.length; off += Math.max(1, piece)) {
      d.write(data, off, Math.min(Math.max(1, piece), data.length - off));
    }
    d.finish();
    if (d.partCount() != parts.size()) {
      throw new AssertionError("partCount " + d.partCount() + " for " + parts.size() + " parts");
    }
    return parts;
  }
}
