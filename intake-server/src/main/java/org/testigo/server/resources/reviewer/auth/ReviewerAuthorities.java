package org.testigo.server.resources.reviewer.auth;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The names a signed reviewer request may give as its {@code @authority} (its {@code Host}):
 * this server's own, so that a request signed for another deployment that trusts the same
 * reviewer key never verifies here. Accepted: the reviewer connector's loopback forms
 * ({@code 127.0.0.1:PORT}, {@code localhost:PORT}, {@code [::1]:PORT}); the reviewer onion
 * this server publishes ({@code ID.onion}, with or without {@code :80}); and the names in
 * {@code reviewerApi.authorities} (an Onionbalance front, say). Compared in lower case.
 */
public final class ReviewerAuthorities {
  private final Set<String> configured = new HashSet<>();
  private final Supplier<String> onionServiceId;
  private final IntSupplier reviewerPort;

  /**
   * @param configured extra names, {@code host} or {@code host:port}
   * @param onionServiceId the reviewer onion's service id (56 characters), or null without tor
   * @param reviewerPort the reviewer connector's local port once known (-1 before)
   */
  public ReviewerAuthorities(List<String> configured, String onionServiceId, IntSupplier reviewerPort) {
    this(configured, reviewerPort, () -> onionServiceId);
  }

  /**
   * As above, with the onion's service id read at each request: the onion services load their
   * keys when the server starts, after the reviewer API is installed (null until then, or
   * without tor).
   */
  public static ReviewerAuthorities withOnion(List<String> configured, Supplier<String> onionServiceId,
      IntSupplier reviewerPort) {
    return new ReviewerAuthorities(configured, reviewerPort, onionServiceId);
  }

  private ReviewerAuthorities(List<String> configured, IntSupplier reviewerPort, Supplier<String> onionServiceId) {
    for (String c : configured) {
      this.configured.add(c.strip().toLowerCase(Locale.ROOT));
    }
    this.onionServiceId = onionServiceId;
    this.reviewerPort = reviewerPort;
  }

  /** True if a request naming {@code host} (its Host header) may be for this server. */
  public boolean accepts(String host) {
    if (host == null) {
      return false;
    }
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (configured.contains(h)) {
      return true;
    }
    String id = onionServiceId.get();
    if (id != null && (h.equals(id + ".onion") || h.equals(id + ".onion:80"))) {
      return true;
    }
    int port = reviewerPort.getAsInt();
    return port > 0 && (h.equals("127.0.0.1:" + port) || h.equals("localhost:" + port) || h.equals("[::1]:" + port));
  }
}
