package org.testigo.server.circuit;

import jakarta.servlet.ServletRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testigo.server.config.FairnessSettings;

/**
 * The circuits the source connector sees now. As a Jetty {@link Connection.Listener} on that
 * connector it learns each connection's circuit when it opens (from the PROXY line tor sent,
 * or the connection itself) and forgets the circuit when its last connection has closed,
 * nothing it started is still open and its budgets have refilled ({@link Circuit#idle}); at
 * most {@code maxTrackedCircuits} are kept. Nothing here is logged, stored or exported:
 * the key is a map key, and the only figure that leaves is {@link #size()}.
 */
public final class CircuitTable implements Connection.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(CircuitTable.class);

  private final FairnessSettings settings;
  private final LongSupplier nanos;
  private final Map<CircuitKey, Circuit> circuits = new ConcurrentHashMap<>();
  private final Map<Connection, Circuit> byConnection = new ConcurrentHashMap<>();
  private final AtomicBoolean sawProxyLine = new AtomicBoolean();

  public CircuitTable(FairnessSettings settings) {
    this(settings, System::nanoTime);
  }

  CircuitTable(FairnessSettings settings, LongSupplier nanos) {
    this.settings = settings;
    this.nanos = nanos;
  }

  public FairnessSettings settings() {
    return settings;
  }

  @Override
  public void onOpened(Connection connection) {
    EndPoint end = connection.getEndPoint();
    opened(connection, CircuitKey.of(end == null ? null : end.getRemoteSocketAddress()));
  }

  @Override
  public void onClosed(Connection connection) {
    closed(connection);
  }

  void opened(Object connection, CircuitKey key) {
    if (key.isTorCircuit() && sawProxyLine.compareAndSet(false, true)) {
      LOG.info("tor sends PROXY lines on the source connector: fair shares are per Tor circuit");
    }
    if (circuits.size() >= settings.getMaxTrackedCircuits()) {
      forgetOldest();
    }
    Circuit c = circuits.compute(key, (k, v) -> {
      Circuit circuit = v == null ? new Circuit(k, settings, nanos) : v;
      circuit.connectionOpened();
      return circuit;
    });
    if (connection instanceof Connection conn) {
      byConnection.put(conn, c);
    }
  }

  void closed(Object connection) {
    Circuit c = byConnection.remove(connection);
    if (c != null) {
      closed(c);
    }
  }

  void closed(Circuit c) {
    circuits.computeIfPresent(c.key(), (k, v) -> {
      v.connectionClosed();
      // A connection without a PROXY line is a circuit of its own that can never come back:
      // keeping its spent budgets would only grow the table.
      return v.idle() || !k.isTorCircuit() && v.holdsNothing() ? null : v;
    });
  }

  /** The circuit of the connection {@code request} arrived on; null when unknown. */
  public Circuit of(ServletRequest request) {
    ServletContextRequest r = ServletContextRequest.getServletContextRequest(request);
    if (r == null) {
      return null;
    }
    return byConnection.get(r.getConnectionMetaData().getConnection());
  }

  /** The circuit remembered under {@code key} (tests and the opened/closed pair only). */
  Circuit get(CircuitKey key) {
    return circuits.get(key);
  }

  /** Forgets every circuit that no longer holds anything and whose budgets have refilled. */
  public void sweep() {
    circuits.values().removeIf(Circuit::idle);
  }

  /** How many circuits are remembered now (a gauge; nothing about any one of them). */
  public int size() {
    return circuits.size();
  }

  /** True once a PROXY line from tor has been seen. */
  public boolean sawProxyLine() {
    return sawProxyLine.get();
  }

  /**
   * Over the bound: forgets circuits that hold nothing (no connection, request or upload) until
   * the table is at 90 % of it, so that the next few thousand new circuits cost nothing. Which
   * ones is arbitrary (they only had budgets still refilling); no sort, no per-connection sweep.
   */
  private synchronized void forgetOldest() {
    int target = settings.getMaxTrackedCircuits() * 9 / 10;
    if (circuits.size() < settings.getMaxTrackedCircuits()) {
      return;
    }
    sweep();
    for (var i = circuits.values().iterator(); i.hasNext() && circuits.size() > target; ) {
      if (i.next().holdsNothing()) {
        i.remove();
      }
    }
  }
}
