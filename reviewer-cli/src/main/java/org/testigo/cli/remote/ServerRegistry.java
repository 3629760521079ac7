package org.testigo.cli.remote;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import org.testigo.api.client.HttpTransport;
import org.testigo.api.client.Socks5;
import org.testigo.crypto.Fingerprint;

/**
 * {@code servers.json} in the Testigo home: each registered reviewer API by name, with the
 * root fingerprint pinned for it and the SOCKS proxy to reach it through, if any. Everything
 * the tool trusts about a server follows from
 * that pin (the manifest chain must verify from it).
 */
public final class ServerRegistry {
  /**
   * A registered server; {@code socks} is the SOCKS5 proxy (the reviewer's tor) every request
   * to it goes through, required for an onion URL.
   */
  public record Server(String name, URI url, Fingerprint root, Optional<Socks5.Address> socks) {
    public Server {
      HttpTransport.checkRoute(url, socks);
    }

    /** A server reached directly. */
    public Server(String name, URI url, Fingerprint root) {
      this(name, url, root, Optional.empty());
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;

  public ServerRegistry(Path home) {
    this.file = home.resolve("servers.json");
  }

  public static boolean isValidName(String name) {
    return name.matches("[a-z0-9][a-z0-9._-]{0,31}");
  }

  /** Validates a server URL: http or https, a host, no user info, query or fragment. */
  public static URI parseUrl(String url) {
    URI u = URI.create(url.strip());
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null
        || u.getUserInfo() != null || u.getQuery() != null || u.getFragment() != null) {
      throw new IllegalArgumentException("a server URL is http(s)://host[:port][/prefix]");
    }
    String path = u.getRawPath() == null ? "" : u.getRawPath().replaceAll("/+$", "");
    return URI.create(scheme + "://" + u.getRawAuthority() + path);
  }

  public Optional<Server> find(String name) throws IOException {
    return Optional.ofNullable(read().get(name));
  }

  /** Adds or replaces a server; the file is written atomically with mode 0600. */
  public void put(Server server) throws IOException {
    TreeMap<String, Server> all = read();
    all.put(server.name(), server);
    ObjectNode root = JSON.createObjectNode();
    ObjectNode servers = root.putObject("servers");
    for (Server s : all.values()) {
      ObjectNode n = servers.putObject(s.name());
      n.put("url", s.url().toString());
      n.put("root", s.root().hex());
      s.socks().ifPresent(p -> n.put("socks", p.toString()));
    }
    PrivateFiles.writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
  }

  private TreeMap<String, Server> read() throws IOException {
    TreeMap<String, Server> out = new TreeMap<>();
    if (!Files.exists(file)) {
      return out;
    }
    var root = JSON.readTree(file.toFile()).path("servers");
    var names = root.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      var n = root.get(name);
      Optional<Socks5.Address> socks = n.hasNonNull("socks")
          ? Optional.of(Socks5.Address.parse(n.path("socks").asText())) : Optional.empty();
      out.put(name, new Server(name, parseUrl(n.path("url").asText()),
          Fingerprint.fromHex(n.path("root").asText()), socks));
    }
    return out;
  }
}
