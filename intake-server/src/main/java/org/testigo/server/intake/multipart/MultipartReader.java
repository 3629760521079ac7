package org.testigo.server.intake.multipart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.testigo.server.domain.InvalidInputException;

/**
 * A streaming reader of {@code multipart/form-data} (RFC 7578 / RFC 2046 framing). It holds
 * one fixed buffer and never writes anything to disk: each part's body is an
 * {@link InputStream} read straight from the request. A part must be read (or is skipped)
 * before the next one is returned.
 *
 * <p>Any framing defect — missing or bad boundary, truncated body, oversized headers —
 * throws {@link InvalidInputException} with key {@code error.multipart}.
 */
public final class MultipartReader {
  private static final int BUFFER_SIZE = 32 * 1024;
  private static final int MAX_HEADER_LINE = 2048;
  private static final int MAX_HEADER_LINES = 16;
  private static final int MAX_BOUNDARY = 70;

  private final InputStream in;
  private final byte[] delimiter;
  private final byte[] buf = new byte[BUFFER_SIZE];
  private int pos;
  private int limit;
  private boolean eof;
  private boolean started;
  private boolean finished;
  private PartBody current;

  /** One part: its form name, file name (null for a plain field), content type and body. */
  public record Part(String name, String filename, String contentType, InputStream body) {
    public boolean isFile() {
      return filename != null;
    }
  }

  public MultipartReader(InputStream in, String boundary) {
    if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
      throw new InvalidInputException("error.multipart");
    }
    this.in = in;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    // The first delimiter has no preceding CRLF; pretend it had one.
    buf[0] = '\r';
    buf[1] = '\n';
    limit = 2;
  }

  /** Extracts the boundary parameter of a multipart/form-data content type, or throws. */
  public static String boundaryOf(String contentType) {
    if (contentType == null) {
      throw new InvalidInputException("error.content_type");
    }
    String[] params = contentType.split(";", -1); // -1: ";" gives ["", ""], never []
    if (!params[0].strip().equalsIgnoreCase("multipart/form-data")) {
      throw new InvalidInputException("error.content_type");
    }
    for (int i = 1; i < params.length; i++) {
      String p = params[i].strip();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase("boundary")) {
        String b = p.substring(eq + 1).strip();
        if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
          b = b.substring(1, b.length() - 1);
        }
        if (b.isEmpty() || b.length() > MAX_BOUNDARY || !b.chars().allMatch(c -> c > 32 && c < 127)) {
          throw new InvalidInputException("error.multipart");
        }
        return b;
      }
    }
    throw new InvalidInputException("error.multipart");
  }

  /** The next part, or null after the closing delimiter. */
  public Part next() throws IOException {
    if (finished) {
      return null;
    }
    if (current != null) {
      current.skipAll();
      current = null;
    } else if (!started) {
      new PartBody().skipAll(); // the preamble
    }
    started = true;
    int a = readByte();
    int b = readByte();
    if (a == '-' && b == '-') {
      finished = true;
      return null;
    }
    while (a == ' ' || a == '\t') { // transport padding
      a = b;
      b = readByte();
    }
    if (a != '\r' || b != '\n') {
      throw malformed();
    }
    Map<String, String> headers = readHeaders();
    String disposition = headers.get("content-disposition");
    if (disposition == null) {
      throw malformed();
    }
    Map<String, String> params = parseDisposition(disposition);
    String name = params.get("name");
    if (name == null) {
      throw malformed();
    }
    current = new PartBody();
    return new Part(name, params.get("filename"), headers.get("content-type"), current);
  }

  private Map<String, String> readHeaders() throws IOException {
    Map<String, String> headers = new HashMap<>();
    for (int lines = 0; ; lines++) {
      if (lines > MAX_HEADER_LINES) {
        throw malformed();
      }
      String line = readLine();
      if (line.isEmpty()) {
        return headers;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw malformed();
      }
      headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int c = readByte();
      if (c == '\r') {
        if (readByte() != '\n') {
          throw malformed();
        }
        return line.toString(StandardCharsets.UTF_8);
      }
      line.write(c);
      if (line.size() > MAX_HEADER_LINE) {
        throw malformed();
      }
    }
  }

  static Map<String, String> parseDisposition(String value) {
    Map<String, String> params = new HashMap<>();
    int i = value.indexOf(';');
    if (i < 0 || !value.substring(0, i).strip().equalsIgnoreCase("form-data")) {
      throw malformed();
    }
    i++;
    while (i < value.length()) {
      while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == ';' || value.charAt(i) == '\t')) {
        i++;
      }
      int eq = value.indexOf('=', i);
      if (eq < 0) {
        break;
      }
      String key = value.substring(i, eq).strip().toLowerCase(Locale.ROOT);
      i = eq + 1;
      StringBuilder v = new StringBuilder();
      if (i < value.length() && value.charAt(i) == '"') {
        i++;
        while (i < value.length() && value.charAt(i) != '"') {
          char c = value.charAt(i++);
          if (c == '\\' && i < value.length()) {
            c = value.charAt(i++);
          }
          v.append(c);
        }
        if (i >= value.length()) {
          throw malformed();
        }
        i++;
      } else {
        while (i < value.length() && value.charAt(i) != ';') {
          v.append(value.charAt(i++));
        }
      }
      params.putIfAbsent(key, v.toString().strip());
    }
    return params;
  }

  private int readByte() throws IOException {
    if (pos == limit && !fill()) {
      throw malformed();
    }
    return buf[pos++] & 0xff;
  }

  /** Compacts the buffer and reads more; false at end of input. */
  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    int n = in.read(buf, limit, buf.length - limit);
    if (n < 0) {
      eof = true;
      return false;
    }
    limit += n;
    return true;
  }

  private int findDelimiter() {
    int last = limit - delimiter.length;
    outer:
    for (int i = pos; i <= last; i++) {
      if (buf[i] != '\r') {
        continue;
      }
      for (int j = 1; j < delimiter.length; j++) {
        if (buf[i + j] != delimiter[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static InvalidInputException malformed() {
    return new InvalidInputException("error.multipart");
  }

  /** The body of the current part: ends just before the next delimiter. */
  private final class PartBody extends InputStream {
    private boolean ended;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (ended) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      while (true) {
        int found = findDelimiter();
        if (found == pos) {
          ended = true;
          pos += delimiter.length;
          return -1;
        }
        int safe = found >= 0 ? found - pos : limit - pos - (delimiter.length - 1);
        if (safe > 0) {
          int n = Math.min(len, safe);
          System.arraycopy(buf, pos, b, off, n);
          pos += n;
          return n;
        }
        if (!fill()) {
          throw malformed();
        }
      }
    }

    void skipAll() throws IOException {
      byte[] sink = new byte[8192];
      while (read(sink, 0, sink.length) >= 0) {
        // discard
      }
    }
  }
}
