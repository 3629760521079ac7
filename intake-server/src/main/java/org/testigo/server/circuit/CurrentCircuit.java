package org.testigo.server.circuit;

/**
 * The circuit of the request this thread is serving, set by {@link CircuitFilter} for the
 * request's length (Jersey and the API's servlets answer on the filter's thread). Null outside
 * a source request: the reviewer side, the admin tasks, unit tests of a service.
 */
public final class CurrentCircuit {
  private static final ThreadLocal<Circuit> CURRENT = new ThreadLocal<>();

  private CurrentCircuit() {}

  public static Circuit get() {
    return CURRENT.get();
  }

  /** Makes {@code circuit} the current one; returns the one before, for {@link #restore}. */
  public static Circuit enter(Circuit circuit) {
    Circuit before = CURRENT.get();
    CURRENT.set(circuit);
    return before;
  }

  /** Puts back what {@link #enter} returned (in a finally block). */
  public static void restore(Circuit before) {
    if (before == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(before);
    }
  }
}
