package org.testigo.shelter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** An independent, strict reader of payload container v1 for the tests. */
final class TestPayload {
  record Part(JsonNode header, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private TestPayload() {}

  static List<Part> parts(byte[] payload) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
    byte[] magic = new byte[8];
    in.readFully(magic);
    if (!Arrays.equals(magic, "TGPAYLD1".getBytes(StandardCharsets.US_ASCII))) {
      throw new IOException("bad magic");
    }
    List<Part> parts = new ArrayList<>();
    while (true) {
      int kind = in.readUnsignedByte();
      if (kind == 0) {
        for (int b; (b = in.read()) >= 0; ) {
          if (b != 0) {
            throw new IOException("trailing bytes");
          }
        }
        return parts;
      }
      if (kind != 1) {
        throw new IOException("bad kind");
      }
      byte[] header = new byte[in.readUnsignedShort()];
      in.readFully(header);
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      for (int n; (n = in.readInt()) != 0; ) {
        if (n < 0 || n > 65536) {
          throw new IOException("bad chunk");
        }
        byte[] chunk = new byte[n];
        in.readFully(chunk);
        body.write(chunk);
      }
      parts.add(new Part(new ObjectMapper().readTree(header), body.toByteArray()));
    }
  }
}
