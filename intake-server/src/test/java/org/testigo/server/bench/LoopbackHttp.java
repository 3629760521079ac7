package org.testigo.server.bench;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A lean keep-alive HTTP/1.1 client for load generation against a server on 127.0.0.1: one
 * socket, each request a pre-built byte array ({@link #post}) sent with a single write, each
 * response's status checked and its body read and discarded.
 *
 * <p>Why: on a 2-core machine the load generator shares the cores with the server it measures,
 * and the JDK HttpClient (request builders, publishers, its selector thread and the hand-offs
 * to it) cost about 15 % of the machine at 32 clients. A blocking socket per client thread
 * does the same exchange for a fraction of that.
 *
 * <p>It keeps to HTTP/1.1 (RFC 9112) for what a POST loop meets: a response body framed by
 * Content-Length, by the chunked coding (extensions and trailers skipped) or by the close of
 * the connection; interim 1xx responses skipped; {@code Connection: close}, or an HTTP/1.0
 * response without keep-alive, makes the next request open a new connection; a connection
 * idle for {@link #VALIDATE_AFTER_IDLE} is checked for a close by the server before reuse.
 * After any I/O or framing error the connection is dropped. Not thread-safe: one instance per
 * client thread.
 */
final class LoopbackHttp implements Closeable {
  /** Connect and read timeout. */
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  /** Idle time after which a kept-alive connection is checked before it is reused. */
  static final Duration VALIDATE_AFTER_IDLE = Duration.ofSeconds(1);
  private static final InetAddress LOOPBACK = loopback();
  private static final int MAX_LINE = 8192;
  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] [1-5][0-9][0-9]( .*)?");

  private final int port;
  private final StringBuilder line = new StringBuilder();
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private long lastUsedNanos;

  LoopbackHttp(int port) {
    this.port = port;
  }

  /**
   * The whole request, ready to send as often as needed: request line, Host, Content-Type,
   * Content-Length, then the body.
   */
  static byte[] post(int port, String path, String contentType, byte[] body) {
    byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: "
        + contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] request = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, request, head.length, body.length);
    return request;
  }

  /**
   * Sends one request built by {@link #post} and reads the whole response.
   *
   * @throws IOException on an I/O or framing error, or when the final status is not
   *     {@code expectedStatus} (the message names the status; the body is read, so the
   *     connection stays usable)
   */
  void exchange(byte[] request, int expectedStatus) throws IOException {
    int status;
    try {
      if (socket != null && System.nanoTime() - lastUsedNanos >= VALIDATE_AFTER_IDLE.toNanos()
          && closedByServer()) {
        close();
      }
      if (socket == null) {
        connect();
      }
      out.write(request);
      status = readResponse();
    } catch (IOException | RuntimeException e) {
      try {
        close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
    lastUsedNanos = System.nanoTime();
    if (status != expectedStatus) {
      throw new IOException("HTTP " + status + " from 127.0.0.1:" + port + ", expected " + expectedStatus);
    }
  }

  @Override
  public void close() throws IOException {
    Socket s = socket;
    socket = null;
    in = null;
    out = null;
    if (s != null) {
      s.close();
    }
  }

  private void connect() throws IOException {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(LOOPBACK, port), (int) TIMEOUT.toMillis());
      s.setSoTimeout((int) TIMEOUT.toMillis());
      in = new BufferedInputStream(s.getInputStream(), 8192);
      out = s.getOutputStream();
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
    socket = s;
  }

  /**
   * True when the server closed the idle connection (or sent something unasked, such as a
   * 408 before closing): a read that does not time out within a millisecond means either.
   */
  private boolean closedByServer() throws IOException {
    if (in.available() > 0) {
      return true;
    }
    socket.setSoTimeout(1);
    try {
      in.read();
      return true;
    } catch (SocketTimeoutException idle) {
      return false;
    } catch (IOException reset) {
      return true;
    } finally {
      if (!socket.isClosed()) {
        socket.setSoTimeout((int) TIMEOUT.toMillis());
      }
    }
  }

  /** Reads one final response (after any 1xx), discards its body; returns its status. */
  private int readResponse() throws IOException {
    while (true) {
      String statusLine = readLine();
      if (statusLine == null) {
        throw new IOException("connection closed by the server before a response");
      }
      if (!STATUS_LINE.matcher(statusLine).matches()) {
        throw new IOException("not an HTTP/1.x status line: " + statusLine);
      }
      int status = Integer.parseInt(statusLine.substring(9, 12));
      boolean keepAlive = statusLine.startsWith("HTTP/1.1");
      long contentLength = -1;
      String transferEncoding = null;
      for (String h = readHeaderLine(); !h.isEmpty(); h = readHeaderLine()) {
        int colon = h.indexOf(':');
        if (colon <= 0) {
          throw new IOException("malformed header line: " + h);
        }
        String name = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = h.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
        switch (name) {
          case "content-length" -> contentLength = contentLength(value);
          case "transfer-encoding" -> transferEncoding =
              transferEncoding == null ? value : transferEncoding + ", " + value;
          case "connection" -> {
            for (String token : value.split(",")) {
              keepAlive = switch (token.strip()) {
                case "close" -> false;
                case "keep-alive" -> true;
                default -> keepAlive;
              };
            }
          }
          default -> {
            // not needed for framing
          }
        }
      }
      if (status == 101) {
        throw new IOException("unexpected protocol switch (HTTP 101)");
      }
      if (status < 200) {
        continue; // interim response: no body, the final one follows
      }
      if (status == 204 || status == 304) {
        // no body by definition
      } else if (transferEncoding != null) {
        if (transferEncoding.endsWith("chunked")) {
          skipChunkedBody();
        } else {
          in.transferTo(OutputStream.nullOutputStream()); // delimited by the close
          keepAlive = false;
        }
      } else if (contentLength >= 0) {
        in.skipNBytes(contentLength);
      } else {
        in.transferTo(OutputStream.nullOutputStream()); // delimited by the close
        keepAlive = false;
      }
      if (!keepAlive) {
        close();
      }
      return status;
    }
  }

  private static long contentLength(String value) throws IOException {
    // A repeated field ("10, 10") is valid when every value is the same.
    long[] values;
    try {
      values = Arrays.stream(value.split(",")).map(String::strip).mapToLong(Long::parseLong).distinct().toArray();
    } catch (NumberFormatException e) {
      throw new IOException("bad Content-Length: " + value);
    }
    if (values.length != 1 || values[0] < 0) {
      throw new IOException("bad Content-Length: " + value);
    }
    return values[0];
  }

  private void skipChunkedBody() throws IOException {
    while (true) {
      String sizeLine = readHeaderLine();
      int extension = sizeLine.indexOf(';');
      String hex = (extension >= 0 ? sizeLine.substring(0, extension) : sizeLine).strip();
      long size;
      try {
        size = Long.parseLong(hex, 16);
      } catch (NumberFormatException e) {
        throw new IOException("bad chunk size line: " + sizeLine);
      }
      if (size < 0) {
        throw new IOException("bad chunk size line: " + sizeLine);
      }
      if (size == 0) {
        while (!readHeaderLine().isEmpty()) {
          // trailer fields: not needed
        }
        return;
      }
      in.skipNBytes(size);
      if (!readHeaderLine().isEmpty()) {
        throw new IOException("chunk not followed by CRLF");
      }
    }
  }

  private String readHeaderLine() throws IOException {
    String l = readLine();
    if (l == null) {
      throw new IOException("connection closed by the server inside a response");
    }
    return l;
  }

  /** A line without its CRLF (or bare LF); null at the end of the stream before any byte. */
  private String readLine() throws IOException {
    line.setLength(0);
    int b;
    while ((b = in.read()) != '\n') {
      if (b == -1) {
        if (line.length() == 0) {
          return null;
        }
        throw new IOException("connection closed by the server inside a line");
      }
      if (line.length() == MAX_LINE) {
        throw new IOException("response line longer than " + MAX_LINE + " bytes");
      }
      line.append((char) b);
    }
    int end = line.length();
    if (end > 0 && line.charAt(end - 1) == '\r') {
      end--;
    }
    return line.substring(0, end);
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
