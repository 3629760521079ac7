package org.testigo.server.browser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay between the browser and the server that records every byte the browser sends
 * (plain HTTP/1.1 on loopback), so a test can show that a marker typed into the page never
 * reached the server. It can also cut one upload piece in the middle, once, to exercise the
 * resumable upload.
 */
final class RecordingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int target;
  private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
  final AtomicBoolean cutNextUploadPiece = new AtomicBoolean();
  final AtomicInteger cuts = new AtomicInteger();

  RecordingProxy(int targetPort) throws IOException {
    this.target = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::accept, "recording-proxy");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Everything browsers sent through the proxy so far, as ISO-8859-1 text. */
  String sentText() {
    synchronized (sent) {
      return sent.toString(StandardCharsets.ISO_8859_1);
    }
  }

  byte[] sentBytes() {
    synchronized (sent) {
      return sent.toByteArray();
    }
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
        pump(client, server, true);
        pump(server, client, false);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, boolean record) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16384];
      long inPiece = -1;
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buf)) > 0; ) {
          if (record) {
            synchronized (sent) {
              sent.write(buf, 0, n);
            }
            String head = new String(buf, 0, Math.min(n, 64), StandardCharsets.ISO_8859_1);
            if (head.startsWith("PUT /api/v1/uploads/") && cutNextUploadPiece.get()) {
              inPiece = 0;
            }
            if (inPiece >= 0) {
              inPiece += n;
              if (inPiece > 300_000 && cutNextUploadPiece.compareAndSet(true, false)) {
                out.write(buf, 0, n);
                out.flush();
                cuts.incrementAndGet();
                from.close();
                to.close();
                return;
              }
            }
          }
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // connection closed
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException ignored) {
          // already closed
        }
      }
    });
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
