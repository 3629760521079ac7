package org.testigo.cli.remote;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.Callable;
import java.util.Optional;
import org.testigo.api.client.HttpTransport;
import org.testigo.api.client.Socks5;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.HomeOptions;
import org.testigo.crypto.Fingerprint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code server add URL --root FINGERPRINT [--name NAME] [--socks HOST:PORT]}: register a reviewer API. */
@Command(name = "server", description = "Register the reviewer API of your organisation.",
    mixinStandardHelpOptions = true, subcommands = {ServerCommand.Add.class})
public final class ServerCommand {

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = "Register a server by its reviewer API URL and the organisation's root key"
          + " fingerprint: the full 64 hex characters (from the key ceremony, or the demo's"
          + " root-fingerprint file), which pins everything later downloaded. It then prints the"
          + " fingerprint's short form, five groups of five digits: the one form people compare by"
          + " eye, as on the posters, the home page and the report page.")
  static final class Add implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Option(names = "--home", paramLabel = "DIR",
        description = "Testigo directory (default: $TESTIGO_HOME, else ~/.testigo).")
    java.nio.file.Path home;
    @Parameters(index = "0", paramLabel = "URL", description = "Reviewer API base URL, e.g."
        + " http://xyz.onion or http://127.0.0.1:8082")
    String url;
    @Option(names = "--root", required = true, paramLabel = "FINGERPRINT",
        description = "Root key fingerprint, the full 64 hex characters (not the five-group short form).")
    String root;
    @Option(names = {"--name", "-s", "--server"}, defaultValue = "default", paramLabel = "NAME",
        description = "Name, as the other commands take it with -s/--server (default: ${DEFAULT-VALUE}).")
    String name;
    @Option(names = "--socks", paramLabel = "HOST:PORT",
        description = "Reach the server through this SOCKS5 proxy (your tor's SocksPort, e.g."
            + " 127.0.0.1:9050); required for an .onion URL, whose name is resolved only by tor.")
    String socks;

    @Override
    public Integer call() throws IOException {
      if (!ServerRegistry.isValidName(name)) {
        throw new CliException(ExitCodes.BAD_INPUT, "a server name is 1 to 32 characters of a-z, 0-9, . _ -");
      }
      URI u;
      Fingerprint fp;
      try {
        u = ServerRegistry.parseUrl(url);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.BAD_INPUT, "not a server URL: use http(s)://host[:port]");
      }
      try {
        fp = Fingerprint.fromHex(root.replaceAll("\\s+", "").toLowerCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.BAD_INPUT, "a root fingerprint is 64 hex characters, from the key ceremony"
            + " record (or the demo's root-fingerprint file); the five groups of digits are its short form, for"
            + " comparing by eye, and cannot pin a server");
      }
      Optional<Socks5.Address> proxy = socks == null ? Optional.empty()
          : Optional.of(Socks5.Address.parse(socks));
      HttpTransport.checkRoute(u, proxy);
      HomeOptions h = new HomeOptions();
      h.home = home;
      ServerRegistry registry = new ServerRegistry(h.home());
      Optional<ServerRegistry.Server> before = registry.find(name);
      if (before.isPresent() && !before.get().root().equals(fp) && neverSynced(h.home().resolve("cache").resolve(name))) {
        // nothing was ever synced under the old pin (a mistyped fingerprint: the first sync refused
        // the server's manifest and stored nothing), so there is no other organisation's data to keep apart
        spec.commandLine().getOut().println("Server '" + name + "' was pinned to " + before.get().root().shortForm()
            + ", under which nothing was ever synced; the new pin replaces it.");
        before = Optional.empty();
      }
      if (before.isPresent() && !before.get().root().equals(fp)) {
        // Another organisation's cache and index must never be read as this one's.
        throw new CliException(ExitCodes.BAD_INPUT, "server '" + name + "' is already registered with another root"
            + " fingerprint (" + before.get().root().shortForm() + "); its cache belongs to that organisation. Register"
            + " this one under another name (--name NAME), or move " + h.home().resolve("cache").resolve(name)
            + " and " + h.home().resolve("index").resolve(name) + " away first.");
      }
      boolean moved = before.isPresent() && !before.get().url().equals(u);
      registry.put(new ServerRegistry.Server(name, u, fp, proxy));
      java.nio.file.Path cacheDir = h.home().resolve("cache").resolve(name);
      if (moved && java.nio.file.Files.isDirectory(cacheDir)) {
        // Same organisation, new address (a new onion address, a restored or moved server): its feed
        // positions may differ, and a cursor past the new server's end would skip reports silently.
        LocalCache.open(h.home(), name).rewindFeeds();
        spec.commandLine().getOut().println("Server '" + name + "' moved from " + before.get().url() + "; its cache"
            + " is kept (same root), and the next sync reads every feed from the start and checks what is cached.");
      }
      spec.commandLine().getOut().println("Registered server '" + name + "' at " + u
          + proxy.map(p -> " through the SOCKS proxy " + p).orElse(""));
      // The short form covers the first 100 bits only: a typo further on leaves it the same (user
      // pass), so the whole pin is shown too, in groups, to compare with where it was copied from.
      String full = fp.hex();
      spec.commandLine().getOut().println("Pinned root fingerprint; compare it with the posters and the home page: "
          + fp.shortForm());
      spec.commandLine().getOut().println("The whole pin, to compare with the key ceremony record (the short form"
          + " shows only its first 25 characters): " + full.substring(0, 16) + " " + full.substring(16, 32)
          + " " + full.substring(32, 48) + " " + full.substring(48) + ". The first sync checks it against the server.");
      spec.commandLine().getOut().println("Next: testigo-reviewer sync" + ("default".equals(name) ? "" : " --server " + name));
      return ExitCodes.OK;
    }
  }

  /** Whether a server's cache holds nothing: no verified manifest, no envelope, no event. */
  static boolean neverSynced(java.nio.file.Path cacheDir) throws IOException {
    if (java.nio.file.Files.exists(cacheDir.resolve("manifest-chain.txt"))) {
      return false;
    }
    for (String sub : new String[] {"submissions", "events"}) {
      java.nio.file.Path d = cacheDir.resolve(sub);
      if (java.nio.file.Files.isDirectory(d)) {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(d)) {
          if (files.findAny().isPresent()) {
            return false;
          }
        }
      }
    }
    return true;
  }
}
