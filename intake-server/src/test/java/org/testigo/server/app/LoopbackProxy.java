package org.testigo.server.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on 127.0.0.1 to another loopback port, for taking a database "away" from one
 * server under test without stopping the shared database. {@link #cutOff()} resets every
 * relayed connection and, until {@link #restore()}, resets every new one as soon as it is
 * accepted (what a client sees when the database restarts: the connection drops, new ones
 * fail). {@link #stall()} is the other kind of outage, a host that stops answering: relayed
 * bytes are held back and new connections are accepted but never answered. Never relays to
 * a non-loopback address.
 */
final class LoopbackProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Set<Socket> held = ConcurrentHashMap.newKeySet();
  private volatile boolean down;
  private volatile boolean stalled;
  private volatile boolean closed;
  private volatile int bytesPerSecond;

  LoopbackProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    Thread t = new Thread(this::acceptLoop, "loopback-proxy-" + port());
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Drops every relayed connection and refuses new ones until {@link #restore()}. */
  void cutOff() {
    down = true;
    for (Socket s : open) {
      reset(s);
    }
  }

  /** Stops relaying without closing anything; new connections are accepted and left unanswered. */
  void stall() {
    stalled = true;
  }

  /** Relays at most {@code bytesPerSecond} per direction and connection: a slow database link. */
  void slow(int bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
  }

  /** Relays again; connections accepted while stalled are reset (their clients gave up). */
  void restore() {
    down = false;
    stalled = false;
    bytesPerSecond = 0;
    for (Socket s : held) {
      reset(s);
    }
  }

  /** Connections relayed right now (both sides counted). */
  int openSockets() {
    return open.size();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (down) {
        reset(client);
        continue;
      }
      if (stalled) {
        held.add(client);
        continue;
      }
      Socket upstream = new Socket();
      try {
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
      } catch (IOException e) {
        reset(client);
        closeQuietly(upstream);
        continue;
      }
      open.add(client);
      open.add(upstream);
      pump(client, upstream);
      pump(upstream, client);
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          while (stalled && !down && !closed) {
            Thread.sleep(20);
          }
          if (down) {
            break;
          }
          out.write(buffer, 0, n);
          out.flush();
          int rate = bytesPerSecond;
          if (rate > 0) {
            Thread.sleep(Math.max(1, n * 1000L / rate));
          }
        }
      } catch (IOException | InterruptedException e) {
        // one side went away; the other is closed below
      } finally {
        reset(from);
        reset(to);
      }
    }, "loopback-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  /** Closes with an RST (linger 0), as a dying peer does. */
  private void reset(Socket s) {
    open.remove(s);
    held.remove(s);
    try {
      s.setSoLinger(true, 0);
    } catch (IOException e) {
      // already closed
    }
    closeQuietly(s);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  @Override
  public void close() {
    closed = true;
    cutOff();
    try {
      listener.close();
    } catch (IOException e) {
      // nothing to do
    }
  }
}
