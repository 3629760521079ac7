package org.testigo.server.intake.multipart;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.testigo.server.domain.InvalidInputException;

/**
 * Fuzz target for the streaming multipart/form-data reader that every source submission goes
 * through. Input: the Content-Type header value, a LF, then the request body.
 */
class MultipartReaderFuzzTest {
  private static final Set<String> KEYS = Set.of("error.multipart", "error.content_type");

  /** One part as read. */
  record Read(String name, String filename, String contentType, String body) {}

  /**
   * {@code boundaryOf} and reading every part either refuse with
   * {@link InvalidInputException} ({@code error.multipart} or {@code error.content_type}) or
   * yield a boundary of 1..70 printable characters and parts that, written back in canonical
   * form with the same boundary, read as the same parts.
   */
  @FuzzTest(maxDuration = "10m")
  void read_refusesOrRoundTrips(byte[] data) throws IOException {
    int lf = indexOf(data, (byte) '\n');
    if (lf < 0) {
      return;
    }
    String contentType = new String(data, 0, lf, StandardCharsets.ISO_8859_1);
    byte[] body = java.util.Arrays.copyOfRange(data, lf + 1, data.length);
    String boundary;
    List<Read> parts;
    try {
      boundary = MultipartReader.boundaryOf(contentType);
      parts = readAll(body, boundary);
    } catch (InvalidInputException e) {
      assertThat(KEYS).contains(e.messageKey());
      return;
    }
    assertThat(boundary).hasSizeBetween(1, 70).matches("[\\x21-\\x7e]+");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Read p : parts) {
      if (!quotable(p.name()) || (p.filename() != null && !quotable(p.filename()))) {
        return; // the canonical writer below does not escape
      }
      out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.name()
          + "\"" + (p.filename() == null ? "" : "; filename=\"" + p.filename() + "\"") + "\r\n"
          + (p.contentType() == null ? "" : "Content-Type: " + p.contentType() + "\r\n") + "\r\n")
          .getBytes(StandardCharsets.UTF_8));
      out.writeBytes(HexFormat.of().parseHex(p.body()));
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    assertThat(readAll(out.toByteArray(), boundary)).isEqualTo(parts);
  }

  static List<Read> readAll(byte[] body, String boundary) throws IOException {
    MultipartReader r = new MultipartReader(new ByteArrayInputStream(body), boundary);
    List<Read> parts = new ArrayList<>();
    MultipartReader.Part p;
    while ((p = r.next()) != null) {
      parts.add(new Read(p.name(), p.filename(), p.contentType(),
          HexFormat.of().formatHex(p.body().readAllBytes())));
    }
    return parts;
  }

  private static boolean quotable(String s) {
    return s.chars().noneMatch(c -> c == '"' || c == '\\' || c == '\r' || c == '\n' || c == ';')
        && s.equals(s.strip());
  }

  private static int indexOf(byte[] b, byte x) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == x) {
        return i;
      }
    }
    return -1;
  }
}
