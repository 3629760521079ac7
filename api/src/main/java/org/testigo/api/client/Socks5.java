package org.testigo.api.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The one SOCKS5 client of the Testigo tools (RFC 1928), used by {@code testigo-reviewer} and
 * {@code testigo-shelter} alike through {@link HttpTransport}: CONNECT only, and the target
 * host always sent as a DOMAINNAME so that the proxy (Tor) resolves it. The target name is never
 * looked up locally: an onion address never reaches the local DNS resolver. (The JDK's SOCKS
 * support resolves names locally before connecting, and {@code java.net.http} has none, which is
 * why neither is used.)
 *
 * <p>With an isolation token it offers username/password authentication (RFC 1929) with the
 * token as the username: Tor puts streams with different credentials on different circuits
 * ({@code IsolateSOCKSAuth}, on by default), so each report a shelter uploads travels on a
 * circuit of its own, unlinkable to the others by the server and counted against its own
 * per-circuit budget (docs/decisions/0016-fair-shares-per-circuit.md).
 *
 * <p>Failures are {@link SocksException}s whose message says what to do: the proxy is not
 * running, is not a SOCKS5 proxy, or could not reach the target; Tor's extended error codes
 * (0xF0–0xF7, given when the SocksPort has the {@code ExtendedErrors} flag) are explained.
 */
public final class Socks5 {
  private Socks5() {}

  /** A SOCKS failure, with a message meant for the person at the keyboard. */
  public static final class SocksException extends IOException {
    private final int reply;

    SocksException(String message, int reply) {
      super(message);
      this.reply = reply;
    }

    /** The SOCKS5 reply code (0x01–0xFF), or -1 when the proxy never got to answer one. */
    public int reply() {
      return reply;
    }
  }

  /** A proxy address, {@code host:port}. */
  public record Address(String host, int port) {
    /** Parses {@code HOST:PORT}; a malformed value is a {@link ClientException} ({@link ClientException.Kind#BAD_INPUT}). */
    public static Address parse(String text) {
      int colon = text.lastIndexOf(':');
      if (colon <= 0 || colon == text.length() - 1) {
        throw new ClientException(ClientException.Kind.BAD_INPUT, "--socks must be HOST:PORT, e.g."
            + " 127.0.0.1:9050");
      }
      int port;
      try {
        port = Integer.parseInt(text.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65535) {
        throw new ClientException(ClientException.Kind.BAD_INPUT, "--socks port must be 1..65535");
      }
      String host = text.substring(0, colon);
      if (HttpTransport.isOnion(host)) {
        throw new ClientException(ClientException.Kind.BAD_INPUT, "--socks must name the local"
            + " proxy (tor's SocksPort, e.g. 127.0.0.1:9050), not an onion address");
      }
      return new Address(host, port);
    }

    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  /** Opens a TCP connection to {@code host:port} through the proxy, without credentials. */
  public static Socket connect(Address proxy, String host, int port, int proxyConnectMillis,
      int handshakeMillis) throws IOException {
    return connect(proxy, host, port, proxyConnectMillis, handshakeMillis, null);
  }

  /**
   * Opens a TCP connection to {@code host:port} through the proxy; a non-null
   * {@code isolation} (1..255 ASCII characters) is sent as the username so that Tor isolates
   * the stream on a circuit of its own. {@code proxyConnectMillis} bounds the TCP connection to
   * the (local) proxy; {@code handshakeMillis} bounds the wait for the proxy's answer, which for
   * an onion service includes fetching its descriptor and building a rendezvous circuit (Tor
   * itself gives up after its {@code SocksTimeout}, 120 s by default).
   */
  public static Socket connect(Address proxy, String host, int port, int proxyConnectMillis,
      int handshakeMillis, String isolation) throws IOException {
    byte[] name = host.getBytes(StandardCharsets.US_ASCII);
    if (name.length == 0 || name.length > 255) {
      throw new SocksException("host name too long for SOCKS5", -1);
    }
    Socket s = new Socket();
    boolean ok = false;
    try {
      try {
        s.connect(new InetSocketAddress(proxy.host(), proxy.port()), proxyConnectMillis);
      } catch (ConnectException | SocketTimeoutException e) {
        throw new SocksException("the proxy is not accepting connections (is tor running,"
            + " and is its SocksPort " + proxy.port() + "?)", -1);
      }
      OutputStream out = s.getOutputStream();
      Reader in = new Reader(s, proxy, host, handshakeMillis);
      if (isolation == null) {
        out.write(new byte[] {0x05, 0x01, 0x00});
      } else {
        out.write(new byte[] {0x05, 0x02, 0x00, 0x02});
      }
      out.flush();
      int greeting = in.next();
      int method = in.next();
      if (greeting != 0x05) {
        throw notSocks(proxy);
      }
      if (method != 0x00 && (method != 0x02 || isolation == null)) {
        throw new SocksException("the proxy wants a kind of authentication Testigo does not"
            + " offer (use tor's SocksPort)", -1);
      }
      if (method == 0x02) {
        byte[] user = isolation.getBytes(StandardCharsets.US_ASCII);
        if (user.length == 0 || user.length > 255) {
          throw new SocksException("SOCKS isolation token must be 1..255 characters", -1);
        }
        byte[] auth = new byte[3 + user.length + 1];
        auth[0] = 0x01;
        auth[1] = (byte) user.length;
        System.arraycopy(user, 0, auth, 2, user.length);
        auth[2 + user.length] = 0x01;
        auth[3 + user.length] = 'x';
        out.write(auth);
        out.flush();
        if (in.next() != 0x01 || in.next() != 0x00) {
          throw new SocksException("the proxy refused the isolation credentials", -1);
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
      in.connecting = true;
      int version = in.next();
      int reply = in.next();
      in.next();
      int atyp = in.next();
      if (version != 0x05) {
        throw notSocks(proxy);
      }
      if (reply != 0x00) {
        throw new SocksException("the proxy could not connect: " + explain(reply, host), reply);
      }
      int skip = switch (atyp) {
        case 0x01 -> 4;
        case 0x04 -> 16;
        case 0x03 -> in.next();
        default -> throw notSocks(proxy);
      };
      for (int i = 0; i < skip + 2; i++) {
        in.next();
      }
      ok = true;
      return s;
    } finally {
      if (!ok) {
        s.close();
      }
    }
  }

  /**
   * What a SOCKS5 reply code means and what to do about it, including Tor's extended codes for
   * onion services (tor's {@code SocksPort ... ExtendedErrors}).
   */
  public static String explain(int reply, String host) {
    boolean onion = host.toLowerCase(Locale.ROOT).endsWith(".onion");
    return switch (reply) {
      case 0x01 -> "general failure (reply 0x01)" + (onion ? "; the onion service may be down, or"
          + " this computer lacks its client-authorization key; add ExtendedErrors to tor's"
          + " SocksPort for the precise reason" : "");
      case 0x02 -> "not allowed by the proxy's rules (reply 0x02)";
      case 0x03 -> "network unreachable (reply 0x03); is this computer online?";
      case 0x04 -> "host unreachable (reply 0x04)" + (onion ? "; the onion service may be down" : "");
      case 0x05 -> "connection refused (reply 0x05): the server is not listening";
      case 0x06 -> "timed out (reply 0x06); the Tor network may be slow, try again";
      case 0x07 -> "command not supported (reply 0x07): is this a SOCKS5 proxy such as tor?";
      case 0x08 -> "address type not supported (reply 0x08)";
      case 0xF0 -> "onion service descriptor not found (Tor F0): the address is wrong or the"
          + " service is not running or not yet published";
      case 0xF1 -> "onion service descriptor is invalid (Tor F1)";
      case 0xF2 -> "onion service introduction failed (Tor F2): the service may be overloaded"
          + " or restarting; try again";
      case 0xF3 -> "onion service rendezvous failed (Tor F3); try again";
      case 0xF4 -> "client authorization missing (Tor F4): this onion is restricted; write your"
          + " key with 'testigo-reviewer tor client-file' into tor's ClientOnionAuthDir, and ask"
          + " the custodians whether your key is in the manifest in force";
      case 0xF5 -> "client authorization rejected (Tor F5): your key is not among the"
          + " service's authorised clients (not in the manifest in force, or the server has not"
          + " yet loaded it), or the file in ClientOnionAuthDir is wrong";
      case 0xF6 -> "invalid onion address (Tor F6): check the URL";
      case 0xF7 -> "onion service introduction timed out (Tor F7); try again";
      default -> "reply 0x" + Integer.toHexString(reply);
    };
  }

  private static SocksException notSocks(Address proxy) {
    return new SocksException("the proxy did not answer as a SOCKS5 proxy (is " + proxy
        + " tor's SocksPort, not an HTTP proxy or tor's ControlPort?)", -1);
  }

  /**
   * Reads the proxy's answers byte by byte under one deadline for the whole handshake: a proxy
   * that trickles its bytes (each within the socket timeout) cannot hold the caller longer than
   * {@code handshakeMillis} in all.
   */
  private static final class Reader {
    private final Socket socket;
    private final InputStream in;
    private final Address proxy;
    private final String host;
    private final int millis;
    private final long deadline;
    /** True once the CONNECT request is sent: a timeout then means the target is slow, not the proxy. */
    boolean connecting;

    Reader(Socket socket, Address proxy, String host, int millis) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.proxy = proxy;
      this.host = host;
      this.millis = millis;
      this.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    int next() throws IOException {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      int b;
      try {
        if (left <= 0) {
          throw new SocketTimeoutException();
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
        b = in.read();
      } catch (SocketTimeoutException e) {
        throw connecting
            ? new SocksException("the proxy could not reach " + host + " within " + millis / 1000
                + " s (the Tor network may be slow or the service down; try again)", -1)
            : new SocksException("the proxy did not complete the SOCKS handshake within " + millis / 1000
                + " s (is " + proxy + " tor's SocksPort?)", -1);
      }
      if (b < 0) {
        throw new SocksException("the proxy closed the connection in the middle of the"
            + " handshake (is " + proxy + " a SOCKS5 proxy such as tor's SocksPort?)", -1);
      }
      return b;
    }
  }
}
