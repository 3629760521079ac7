package org.testigo.cli.shelter;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.testigo.cli.CliException;
import org.testigo.cli.ExitCodes;

/**
 * A minimal SOCKS5 client (RFC 1928): CONNECT only, and the target host sent as a DOMAINNAME
 * so that the proxy (Tor) resolves it. With an isolation token it offers username/password
 * authentication (RFC 1929) with the token as the username: Tor puts streams with different
 * credentials on different circuits ({@code IsolateSOCKSAuth}, on by default), so each report
 * a shelter uploads travels on a circuit of its own, unlinkable to the others by the server
 * and counted against its own per-circuit budget (SECURITY.md §22). The target name is never looked
 * up locally: an onion address never reaches the local DNS resolver. (The JDK's SOCKS
 * support resolves names locally before connecting, which is why it is not used.)
 */
final class Socks5 {
  private Socks5() {}

  /** A proxy address, {@code host:port}. */
  record Address(String host, int port) {
    static Address parse(String text) {
      int colon = text.lastIndexOf(':');
      if (colon <= 0 || colon == text.length() - 1) {
        throw new CliException(ExitCodes.BAD_INPUT, "--socks must be HOST:PORT, e.g."
            + " 127.0.0.1:9050");
      }
      int port;
      try {
        port = Integer.parseInt(text.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65535) {
        throw new CliException(ExitCodes.BAD_INPUT, "--socks port must be 1..65535");
      }
      return new Address(text.substring(0, colon), port);
    }

    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  /** Opens a TCP connection to {@code host:port} through the proxy, without credentials. */
  static Socket connect(Address proxy, String host, int port, int timeoutMillis)
      throws IOException {
    return connect(proxy, host, port, timeoutMillis, null);
  }

  /**
   * Opens a TCP connection to {@code host:port} through the proxy; a non-null
   * {@code isolation} (1..255 ASCII characters) is sent as the username so that Tor isolates
   * the stream on a circuit of its own.
   */
  static Socket connect(Address proxy, String host, int port, int timeoutMillis, String isolation)
      throws IOException {
    byte[] name = host.getBytes(StandardCharsets.US_ASCII);
    if (name.length == 0 || name.length > 255) {
      throw new IOException("host name too long for SOCKS5");
    }
    Socket s = new Socket();
    boolean ok = false;
    try {
      s.connect(new InetSocketAddress(proxy.host(), proxy.port()), timeoutMillis);
      s.setSoTimeout(timeoutMillis);
      OutputStream out = s.getOutputStream();
      DataInputStream in = new DataInputStream(s.getInputStream());
      if (isolation == null) {
        out.write(new byte[] {0x05, 0x01, 0x00});
      } else {
        out.write(new byte[] {0x05, 0x02, 0x00, 0x02});
      }
      out.flush();
      int greeting = in.readUnsignedByte();
      int method = in.readUnsignedByte();
      if (greeting != 0x05 || method != 0x00 && (method != 0x02 || isolation == null)) {
        throw new IOException("the SOCKS proxy wants authentication or is not SOCKS5");
      }
      if (method == 0x02) {
        byte[] user = isolation.getBytes(StandardCharsets.US_ASCII);
        if (user.length == 0 || user.length > 255) {
          throw new IOException("SOCKS isolation token must be 1..255 characters");
        }
        byte[] auth = new byte[3 + user.length + 1];
        auth[0] = 0x01;
        auth[1] = (byte) user.length;
        System.arraycopy(user, 0, auth, 2, user.length);
        auth[2 + user.length] = 0x01;
        auth[3 + user.length] = 'x';
        out.write(auth);
        out.flush();
        if (in.readUnsignedByte() != 0x01 || in.readUnsignedByte() != 0x00) {
          throw new IOException("the SOCKS proxy refused the isolation credentials");
        }
      }
      byte[] req = new byte[7 + name.length];
      req[0] = 0x05;
      req[1] = 0x01;
      req[2] = 0x00;
      req[3] = 0x03;
      req[4] = (byte) name.length;
      System.arraycopy(name, 0, req, 5, name.length);
      req[5 + name.length] = (byte) (port >>> 8);
      req[6 + name.length] = (byte) port;
      out.write(req);
      out.flush();
      int version = in.readUnsignedByte();
      int reply = in.readUnsignedByte();
      in.readUnsignedByte();
      int atyp = in.readUnsignedByte();
      if (version != 0x05) {
        throw new IOException("not a SOCKS5 proxy");
      }
      if (reply != 0x00) {
        throw new IOException("the SOCKS proxy could not connect (reply " + reply + ")");
      }
      int skip = switch (atyp) {
        case 0x01 -> 4;
        case 0x04 -> 16;
        case 0x03 -> in.readUnsignedByte();
        default -> throw new IOException("bad SOCKS5 reply");
      };
      skipFully(in, skip + 2);
      ok = true;
      return s;
    } finally {
      if (!ok) {
        s.close();
      }
    }
  }

  private static void skipFully(InputStream in, int n) throws IOException {
    for (int i = 0; i < n; i++) {
      if (in.read() < 0) {
        throw new IOException("SOCKS5 reply truncated");
      }
    }
  }
}
