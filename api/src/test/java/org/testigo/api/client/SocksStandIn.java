package org.testigo.api.client;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny SOCKS5 proxy for tests (no authentication or any username/password, CONNECT only): records the address type
 * and host each client asked for, and connects every request to one fixed loopback port,
 * the way Tor would connect an onion address; or, with a refusal code, answers every CONNECT
 * with that reply (e.g. 0xF4, Tor's "client authorization missing").
 */
public final class SocksStandIn implements AutoCloseable {
  public final List<String> requestedHosts = new CopyOnWriteArrayList<>();
  /** The username of each connection that authenticated (RFC 1929), in order. */
  public final List<String> usernames = new CopyOnWriteArrayList<>();
  private final ServerSocket server;
  private final int targetPort;
  private final int refusal;

  public SocksStandIn(int targetPort) throws IOException {
    this(targetPort, 0);
  }

  /** A proxy that answers every CONNECT with {@code refusal} (0 connects). */
  public SocksStandIn(int targetPort, int refusal) throws IOException {
    this.targetPort = targetPort;
    this.refusal = refusal;
    this.server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "socks-stand-in");
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread t = new Thread(() -> serve(client));
        t.setDaemon(true);
        t.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      DataInputStream in = new DataInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      if (in.readUnsignedByte() != 5) {
        return;
      }
      byte[] methods = new byte[in.readUnsignedByte()];
      in.readFully(methods);
      boolean userPass = false;
      for (byte m : methods) {
        userPass |= m == 2;
      }
      if (userPass) {
        out.write(new byte[] {5, 2});
        if (in.readUnsignedByte() != 1) {
          return;
        }
        byte[] user = new byte[in.readUnsignedByte()];
        in.readFully(user);
        in.readFully(new byte[in.readUnsignedByte()]);
        usernames.add(new String(user, StandardCharsets.US_ASCII));
        out.write(new byte[] {1, 0});
      } else {
        out.write(new byte[] {5, 0});
      }
      byte[] req = new byte[4];
      in.readFully(req);
      String host;
      if (req[3] == 3) {
        byte[] name = new byte[in.readUnsignedByte()];
        in.readFully(name);
        host = "domain:" + new String(name, StandardCharsets.US_ASCII);
      } else if (req[3] == 1) {
        byte[] ip = new byte[4];
        in.readFully(ip);
        host = "ipv4:" + InetAddress.getByAddress(ip).getHostAddress();
      } else {
        return;
      }
      int port = in.readUnsignedShort();
      requestedHosts.add(host + ":" + port);
      if (refusal != 0) {
        out.write(new byte[] {5, (byte) refusal, 0, 1, 0, 0, 0, 0, 0, 0});
        out.flush();
        return;
      }
      try (Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
        out.write(new byte[] {5, 0, 0, 1, 127, 0, 0, 1, 0, 0});
        out.flush();
        Thread up = new Thread(() -> pump(in, target));
        up.setDaemon(true);
        up.start();
        pump(target.getInputStream(), client);
      }
    } catch (IOException e) {
      // a test client went away
    }
  }

  private static void pump(InputStream from, Socket to) {
    try {
      from.transferTo(to.getOutputStream());
      to.shutdownOutput();
    } catch (IOException e) {
      // connection closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
