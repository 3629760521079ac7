package org.testigo.cli.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Payload container v1 (SECURITY.md section 6.1), the plaintext inside every report,
 * follow-up and reply envelope: {@code "TGPAYLD1"}, parts of (JSON header, length-prefixed
 * chunks, zero terminator), an end byte, zero padding. A reader of its own so that the
 * reviewer tool does not depend on the server module. Strict: any framing defect throws
 * {@link MalformedPayloadException}.
 */
public final class PayloadContainer {
  static final byte[] MAGIC = "TGPAYLD1".getBytes(StandardCharsets.US_ASCII);
  static final int MAX_HEADER = 4096;
  static final int MAX_CHUNK = 65536;
  private static final ObjectMapper JSON = new ObjectMapper();

  private PayloadContainer() {}

  /** One part, fully read: role, optional file name and media type, and its bytes. */
  public record Part(String name, String filename, String type, byte[] body) {}

  /** The plaintext is not a valid v1 payload container. */
  public static final class MalformedPayloadException extends IOException {
    public MalformedPayloadException(String message) {
      super(message);
    }
  }

  /** Reads every part; the whole payload is held in memory (bounded by the envelope size). */
  public static List<Part> read(InputStream raw) throws IOException {
    DataInputStream in = new DataInputStream(raw);
    List<Part> parts = new ArrayList<>();
    try {
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new MalformedPayloadException("not a Testigo v1 payload");
      }
      while (true) {
        int kind = in.readUnsignedByte();
        if (kind == 0x00) {
          int b;
          while ((b = in.read()) >= 0) {
            if (b != 0) {
              throw new MalformedPayloadException("bytes after the end marker");
            }
          }
          return parts;
        }
        if (kind != 0x01) {
          throw new MalformedPayloadException("unknown part kind");
        }
        int hlen = in.readUnsignedShort();
        if (hlen == 0 || hlen > MAX_HEADER) {
          throw new MalformedPayloadException("bad part header length");
        }
        byte[] header = new byte[hlen];
        in.readFully(header);
        JsonNode h;
        try {
          h = JSON.readTree(header);
        } catch (IOException e) {
          throw new MalformedPayloadException("bad part header");
        }
        if (h == null || !h.isObject() || !h.path("name").isTextual()) {
          throw new MalformedPayloadException("part without a name");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
          int n = in.readInt();
          if (n == 0) {
            break;
          }
          if (n < 0 || n > MAX_CHUNK) {
            throw new MalformedPayloadException("bad chunk length");
          }
          byte[] chunk = new byte[n];
          in.readFully(chunk);
          body.write(chunk);
        }
        parts.add(new Part(h.get("name").asText(), text(h, "filename"), text(h, "type"), body.toByteArray()));
      }
    } catch (EOFException e) {
      throw new MalformedPayloadException("payload truncated");
    }
  }

  private static String text(JsonNode h, String field) {
    JsonNode n = h.get(field);
    return n != null && n.isTextual() ? n.asText() : null;
  }

  /** A payload of one {@code message} part holding UTF-8 text: what a reply carries. */
  public static byte[] textMessage(String text) throws IOException {
    ObjectNode header = JSON.createObjectNode();
    header.put("name", "message");
    header.put("type", "text/plain; charset=utf-8");
    byte[] h = JSON.writeValueAsBytes(header);
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(MAGIC);
    out.write(0x01);
    out.write(h.length >>> 8);
    out.write(h.length);
    out.write(h);
    for (int off = 0; off < body.length; off += MAX_CHUNK) {
      int n = Math.min(MAX_CHUNK, body.length - off);
      out.write(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
      out.write(body, off, n);
    }
    out.write(new byte[4]);
    out.write(0x00);
    return out.toByteArray();
  }
}
