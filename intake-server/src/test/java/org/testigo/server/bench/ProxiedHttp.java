package org.testigo.server.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange per TCP connection to a server on 127.0.0.1, as tor delivers an onion
 * service's streams with {@code HiddenServiceExportCircuitID haproxy}: the connection starts
 * with the PROXY protocol v1 line whose source address carries the circuit id in its last 32
 * bits, then the request ({@code Connection: close}), then the whole response is read.
 * Loopback only; every socket has a connect and read timeout.
 */
final class ProxiedHttp {
  static final int TIMEOUT_MILLIS = 60_000;
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  /** A response: status, headers (lower-case names), body (de-chunked). */
  record Reply(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private ProxiedHttp() {}

  /** The line tor's export_hs_client_circuit_id writes: the circuit id is the address's last 32 bits. */
  static String proxyLine(long circuit) {
    return String.format(Locale.ROOT, "PROXY TCP6 fc00:dead:beef:4dad::%x:%x ::1 %d 80\r\n",
        (circuit >>> 16) & 0xffff, circuit & 0xffff, 1024 + (circuit & 0x7fff));
  }

  /**
   * Sends one request on a new connection to {@code port}, preceded by the PROXY line of
   * {@code circuit} unless it is negative; {@code body} null means no body (no Content-Length),
   * an empty array an explicit {@code Content-Length: 0}.
   */
  static Reply send(int port, long circuit, String method, String path, String contentType, byte[] body,
      Map<String, String> extraHeaders) throws IOException {
    try (Socket s = new Socket()) {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(LOOPBACK, port), TIMEOUT_MILLIS);
      s.setSoTimeout(TIMEOUT_MILLIS);
      StringBuilder h = new StringBuilder(256);
      if (circuit >= 0) {
        h.append(proxyLine(circuit));
      }
      h.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: example.onion\r\nConnection: close\r\n");
      for (Map.Entry<String, String> e : extraHeaders.entrySet()) {
        h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
      }
      if (body != null) {
        if (contentType != null) {
          h.append("Content-Type: ").append(contentType).append("\r\n");
        }
        h.append("Content-Length: ").append(body.length).append("\r\n");
      }
      h.append("\r\n");
      byte[] head = h.toString().getBytes(StandardCharsets.US_ASCII);
      OutputStream out = s.getOutputStream();
      if (body == null || body.length == 0) {
        out.write(head);
      } else {
        byte[] all = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        out.write(all);
      }
      out.flush();
      return parse(s.getInputStream());
    }
  }

  static Reply send(int port, long circuit, String method, String path, String contentType, byte[] body)
      throws IOException {
    return send(port, circuit, method, path, contentType, body, Map.of());
  }

  /** Reads the response until the server closes (the request said Connection: close). */
  static Reply parse(InputStream in) throws IOException {
    // A 429 with "Connection: close" sent before the body was read may be followed by a reset
    // when the server closes with the body unread: what arrived before it is still the answer.
    ByteArrayOutputStream got = new ByteArrayOutputStream(4096);
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) > 0; ) {
        got.write(buf, 0, n);
      }
    } catch (java.net.SocketException reset) {
      if (got.size() == 0) {
        throw reset;
      }
    }
    byte[] raw = got.toByteArray();
    int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
    if (end < 0) {
      throw new IOException("no complete response head (" + raw.length + " bytes)");
    }
    String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
    if (!lines[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.x status line: " + lines[0]);
    }
    int status = Integer.parseInt(lines[0].substring(9, 12));
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int c = lines[i].indexOf(':');
      if (c > 0) {
        headers.put(lines[i].substring(0, c).strip().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).strip());
      }
    }
    byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = unchunk(body);
    }
    return new Reply(status, headers, body);
  }

  static byte[] unchunk(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
    byte[] crlf = {'\r', '\n'};
    int i = 0;
    while (i < raw.length) {
      int eol = indexOf(raw, crlf, i);
      if (eol < 0) {
        throw new IOException("truncated chunked body");
      }
      String sizeLine = new String(raw, i, eol - i, StandardCharsets.US_ASCII);
      int semi = sizeLine.indexOf(';');
      int size = Integer.parseInt((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).strip(), 16);
      if (size == 0) {
        break;
      }
      if (eol + 2 + size > raw.length) {
        throw new IOException("truncated chunk");
      }
      out.write(raw, eol + 2, size);
      i = eol + 2 + size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] raw, byte[] what, int from) {
    outer:
    for (int i = from; i + what.length <= raw.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (raw[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
