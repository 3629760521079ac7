package org.testigo.server.circuit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who a connection counts as, for fair shares only: the Tor circuit it came over, or, when tor
 * sent no PROXY line, the TCP connection itself. The value is an in-memory map key and nothing
 * else: {@link #toString()} never shows it, and nothing writes it anywhere.
 *
 * <p>With {@code HiddenServiceExportCircuitID haproxy} tor begins each connection to the
 * service with {@code PROXY TCP6 fc00:dead:beef:4dad::XXXX:YYYY ::1 <port> <port>}, the last
 * 32 bits of the source address being the circuit's global identifier (tor's
 * {@code export_hs_client_circuit_id}). Streams of one circuit share that identifier; a
 * different circuit has another.
 */
public final class CircuitKey {
  private static final byte[] TOR_PREFIX = {
      (byte) 0xfc, 0x00, (byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0x4d, (byte) 0xad, 0, 0, 0, 0};
  private static final AtomicLong CONNECTIONS = new AtomicLong();

  private final boolean circuit;
  private final long value;

  private CircuitKey(boolean circuit, long value) {
    this.circuit = circuit;
    this.value = value;
  }

  /**
   * The key of a connection whose remote address is {@code remote}: the Tor circuit when the
   * address is one tor's PROXY line gives, otherwise a key of its own that no other connection
   * shares (the address itself is not kept).
   */
  public static CircuitKey of(SocketAddress remote) {
    if (remote instanceof InetSocketAddress a) {
      InetAddress ip = a.getAddress();
      byte[] b = ip == null ? null : ip.getAddress();
      if (b != null && b.length == 16 && startsWithTorPrefix(b)) {
        long id = ((b[12] & 0xffL) << 24) | ((b[13] & 0xffL) << 16) | ((b[14] & 0xffL) << 8) | (b[15] & 0xffL);
        return new CircuitKey(true, id);
      }
    }
    return ownConnection();
  }

  /** A key no other connection shares. */
  public static CircuitKey ownConnection() {
    return new CircuitKey(false, CONNECTIONS.incrementAndGet());
  }

  private static boolean startsWithTorPrefix(byte[] b) {
    for (int i = 0; i < TOR_PREFIX.length; i++) {
      if (b[i] != TOR_PREFIX[i]) {
        return false;
      }
    }
    return true;
  }

  /** True when tor named the circuit (a PROXY line); false for a connection on its own. */
  public boolean isTorCircuit() {
    return circuit;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CircuitKey k && k.circuit == circuit && k.value == value;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(value) * 31 + (circuit ? 1 : 0);
  }

  /** Never the identifier: this string may end up in a log or an exception message. */
  @Override
  public String toString() {
    return circuit ? "tor-circuit" : "connection";
  }
}
