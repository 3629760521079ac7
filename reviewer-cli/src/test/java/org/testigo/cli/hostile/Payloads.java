package org.testigo.cli.hostile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Payload containers v1 (docs/spec/payload-and-questionnaire.md §1) written by hand, so that a test can put in them
 * what no honest writer would: any file name, any questionnaire text.
 */
public final class Payloads {
  public static final ObjectMapper JSON = new ObjectMapper();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final DataOutputStream out = new DataOutputStream(bytes);

  public Payloads() throws IOException {
    out.write("TGPAYLD1".getBytes(StandardCharsets.US_ASCII));
  }

  public Payloads part(String name, String filename, byte[] body) throws IOException {
    ObjectNode h = JSON.createObjectNode().put("name", name);
    if (filename != null) {
      h.put("filename", filename).put("type", "application/octet-stream");
    }
    byte[] header = JSON.writeValueAsBytes(h);
    out.write(1);
    out.writeShort(header.length);
    out.write(header);
    if (body.length > 0) {
      out.writeInt(body.length);
      out.write(body);
    }
    out.writeInt(0);
    return this;
  }

  public byte[] finish() throws IOException {
    out.write(0);
    return bytes.toByteArray();
  }
}
