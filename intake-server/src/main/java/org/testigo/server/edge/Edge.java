package org.testigo.server.edge;

import io.dropwizard.core.setup.Environment;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

/** Puts the {@link EdgeHandler} and the {@link EdgeErrorHandler} in front of the whole server. */
public final class Edge {
  private Edge() {}

  /**
   * Installs both when the server starts (after Dropwizard has built its handler tree), so they
   * cover every connector, the admin one included; silences the {@link RequestSeeingLoggers}.
   */
  public static void install(Environment env) {
    RequestSeeingLoggers.silence();
    env.lifecycle().addEventListener(new LifeCycle.Listener() {
      @Override
      public void lifeCycleStarting(LifeCycle event) {
        if (event instanceof Server server && !(server.getHandler() instanceof EdgeHandler)) {
          server.setErrorHandler(new EdgeErrorHandler());
          server.setHandler(new EdgeHandler(server.getHandler()));
        }
      }
    });
  }
}
