package org.testigo.server.tor;

import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.freehaven.tor.control.TorControlConnection;

/**
 * One authenticated connection to tor's control port, on top of jtorctl's
 * {@link TorControlConnection} (which owns the socket reader thread and matches replies to
 * commands).
 *
 * <p>jtorctl 0.4.5.7 has no ADD_ONION variant with {@code ClientAuthV3} or the PoW keywords
 * and hides reply lines in package-private fields; this class sends raw commands through
 * the protected {@code sendAndWaitForResponse} and reads those three fields reflectively
 * (one place, checked at class load). Every command is bounded by a timeout: on expiry the
 * socket is closed and the connection is dead.
 *
 * <p>Never logs: jtorctl's debug output stays off (it would print the cookie and keys).
 */
final class TorControl implements Closeable {
  private static final Field STATUS;
  private static final Field MSG;
  private static final Field REST;

  static {
    try {
      Class<?> line = Class.forName("net.freehaven.tor.control.TorControlConnection$ReplyLine");
      STATUS = line.getDeclaredField("status");
      MSG = line.getDeclaredField("msg");
      REST = line.getDeclaredField("rest");
      STATUS.setAccessible(true);
      MSG.setAccessible(true);
      REST.setAccessible(true);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** One reply line: status code, text after the code, and the data block of "+" lines. */
  record Reply(String status, String msg, String rest) {}

  private static final class Connection extends TorControlConnection {
    Connection(Socket s) throws IOException {
      super(s);
    }

    List<Reply> send(String command) throws IOException {
      List<?> lines = sendAndWaitForResponse(command + "\r\n", null);
      List<Reply> out = new ArrayList<>(lines.size());
      try {
        for (Object l : lines) {
          out.add(new Reply((String) STATUS.get(l), (String) MSG.get(l), (String) REST.get(l)));
        }
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
      return out;
    }
  }

  private final Socket socket;
  private final Connection connection;
  private final Thread reader;
  private final ExecutorService caller;
  private final long timeoutMillis;
  private volatile boolean closed;

  private TorControl(Socket socket, long timeoutMillis) throws IOException {
    this.socket = socket;
    this.timeoutMillis = timeoutMillis;
    this.connection = new Connection(socket);
    this.reader = connection.launchThread(true);
    this.caller = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "tor-control-call");
      t.setDaemon(true);
      return t;
    });
  }

  /** Opens the TCP connection; does not authenticate. */
  static TorControl open(String host, int port, long timeoutMillis) throws TorControlException {
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress(host, port), (int) Math.min(timeoutMillis, Integer.MAX_VALUE));
      return new TorControl(s, timeoutMillis);
    } catch (IOException e) {
      try {
        s.close();
      } catch (IOException ignored) {
        // nothing to release
      }
      throw new TorControlException("cannot connect to tor's control port " + host + ":" + port
          + " (" + e.getMessage() + ")", e);
    }
  }

  /** Waits until the connection drops or {@code millis} pass; returns at once if closed. */
  void awaitClosed(long millis) {
    try {
      reader.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  boolean isAlive() {
    return !closed && reader.isAlive() && !socket.isClosed();
  }

  /**
   * Sends one command line (without CRLF) and returns the reply lines of a 2xx answer.
   * A non-2xx answer throws {@link TorReplyException} carrying tor's text; a dead
   * connection or a timeout throws {@link TorControlException} and closes the connection.
   */
  List<Reply> command(String line) throws TorControlException {
    if (!isAlive()) {
      throw new TorControlException("control connection to tor is closed");
    }
    Future<List<Reply>> f = caller.submit(() -> connection.send(line));
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    try {
      while (true) {
        try {
          return f.get(50, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          // jtorctl leaves a command unanswered forever if its reader thread has died
          if (!reader.isAlive()) {
            f.cancel(true);
            close();
            throw new TorControlException("control connection to tor lost");
          }
          if (System.nanoTime() > deadline) {
            throw e;
          }
        }
      }
    } catch (TimeoutException e) {
      f.cancel(true);
      close();
      throw new TorControlException("tor did not answer within " + timeoutMillis + " ms");
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new TorControlException("interrupted while waiting for tor");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof net.freehaven.tor.control.TorControlError err) {
        String text = err.getMessage() == null ? "" : err.getMessage();
        throw new TorReplyException(text.replaceFirst("^Error reply: ", ""));
      }
      close();
      throw new TorControlException("control connection to tor lost ("
          + (cause == null ? "unknown" : cause.getMessage()) + ")", cause);
    }
  }

  /** GETINFO for one key: the value of a one-line answer or the data block of a "+" answer. */
  String getInfo(String key) throws TorControlException {
    for (Reply r : command("GETINFO " + key)) {
      if (r.msg() != null && r.msg().startsWith(key + "=")) {
        String value = r.msg().substring(key.length() + 1);
        return r.rest() != null ? r.rest() : value;
      }
    }
    throw new TorControlException("tor gave no value for GETINFO " + key);
  }

  /** Service ids listed by GETINFO for {@code onions/current} or {@code onions/detached}. */
  List<String> onions(String which) throws TorControlException {
    List<String> ids = new ArrayList<>();
    for (String l : getInfo(which).split("\r?\n")) {
      if (!l.isBlank()) {
        ids.add(l.strip());
      }
    }
    return ids;
  }

  /**
   * Authenticates with the cookie file (SAFECOOKIE if tor offers it, else COOKIE) or the
   * password file of {@code settings}. The cookie is re-read on every connection because
   * tor writes a new one each time it starts.
   */
  void authenticate(TorSettings settings) throws TorControlException {
    List<Reply> info = command("PROTOCOLINFO 1");
    String methods = "";
    for (Reply r : info) {
      Matcher m = Pattern.compile("AUTH METHODS=([A-Z,]+)").matcher(r.msg() == null ? "" : r.msg());
      if (m.find()) {
        methods = m.group(1);
      }
    }
    List<String> offered = Arrays.asList(methods.split(","));
    if (settings.getCookieFile() != null) {
      byte[] cookie = readSecretFile(settings.getCookieFile(), "cookie file");
      try {
        if (cookie.length != 32) {
          throw new TorAuthenticationException("tor cookie file " + settings.getCookieFile()
              + " does not hold a 32-byte cookie");
        }
        if (offered.contains("SAFECOOKIE")) {
          safeCookie(cookie, settings.getCookieFile());
        } else if (offered.contains("COOKIE")) {
          sendAuthenticate(HexFormat.of().formatHex(cookie), "cookie file " + settings.getCookieFile());
        } else {
          throw new TorAuthenticationException("tor does not accept cookie authentication on its"
              + " control port (offered: " + methods + "); set CookieAuthentication 1 in torrc");
        }
      } finally {
        Arrays.fill(cookie, (byte) 0);
      }
    } else {
      if (!offered.contains("HASHEDPASSWORD")) {
        throw new TorAuthenticationException("tor does not accept password authentication on its"
            + " control port (offered: " + methods + "); set HashedControlPassword in torrc");
      }
      byte[] password = readSecretFile(settings.getPasswordFile(), "password file");
      try {
        int end = password.length;
        while (end > 0 && (password[end - 1] == '\n' || password[end - 1] == '\r')) {
          end--;
        }
        sendAuthenticate(HexFormat.of().formatHex(password, 0, end),
            "password file " + settings.getPasswordFile());
      } finally {
        Arrays.fill(password, (byte) 0);
      }
    }
  }

  private void safeCookie(byte[] cookie, Path file) throws TorControlException {
    byte[] clientNonce = new byte[32];
    new SecureRandom().nextBytes(clientNonce);
    List<Reply> reply = command("AUTHCHALLENGE SAFECOOKIE " + HexFormat.of().formatHex(clientNonce));
    Matcher m = Pattern.compile("SERVERHASH=([0-9A-Fa-f]{64}) SERVERNONCE=([0-9A-Fa-f]{64})")
        .matcher(reply.get(0).msg());
    if (!m.find()) {
      throw new TorControlException("unexpected AUTHCHALLENGE answer from tor");
    }
    byte[] serverHash = HexFormat.of().parseHex(m.group(1));
    byte[] serverNonce = HexFormat.of().parseHex(m.group(2));
    byte[] expected = hmac("Tor safe cookie authentication server-to-controller hash",
        cookie, clientNonce, serverNonce);
    if (!MessageDigest.isEqual(expected, serverHash)) {
      throw new TorAuthenticationException("the cookie in " + file + " is not the cookie of the"
          + " tor listening on this control port (tor restarted with another DataDirectory,"
          + " or another tor holds the port)");
    }
    byte[] clientHash = hmac("Tor safe cookie authentication controller-to-server hash",
        cookie, clientNonce, serverNonce);
    sendAuthenticate(HexFormat.of().formatHex(clientHash), "cookie file " + file);
  }

  private void sendAuthenticate(String hex, String source) throws TorControlException {
    try {
      command("AUTHENTICATE " + hex);
    } catch (TorReplyException e) {
      throw new TorAuthenticationException("tor rejected the control-port credentials from the "
          + source + " (" + e.getMessage() + ")");
    }
  }

  private static byte[] hmac(String key, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
      for (byte[] p : parts) {
        mac.update(p);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by Java", e);
    }
  }

  private static byte[] readSecretFile(Path file, String what) throws TorAuthenticationException {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new TorAuthenticationException("tor control " + what + " " + file + " does not exist"
          + (what.startsWith("cookie") ? " (is tor running with CookieAuthentication 1?)" : ""), e);
    } catch (IOException e) {
      throw new TorAuthenticationException("cannot read tor control " + what + " " + file + " ("
          + e.getClass().getSimpleName() + "; is the server's user in tor's group?)", e);
    }
  }

  /** tor's version, e.g. "0.4.9.11", from GETINFO version. */
  String version() throws TorControlException {
    return getInfo("version").split(" ")[0].toLowerCase(Locale.ROOT);
  }

  @Override
  public void close() {
    closed = true;
    caller.shutdownNow();
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a dead socket: nothing else to do
    }
  }
}
