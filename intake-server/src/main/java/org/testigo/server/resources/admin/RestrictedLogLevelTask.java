package org.testigo.server.resources.admin;

import io.dropwizard.servlets.tasks.LogConfigurationTask;
import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * Admin port only: replaces Dropwizard's {@code POST /tasks/log-level} with one that changes
 * only the server's own loggers ({@code org.testigo} and below), which never log anything of a
 * request. Dropwizard's task could turn Jetty's or Jersey's DEBUG logging on, and those log
 * request headers (User-Agent, X-Forwarded-For) and paths with upload ids. Any other logger,
 * the root logger included, is refused (500 with the reason) and nothing changes.
 */
public final class RestrictedLogLevelTask extends Task {
  public static final String NAME = "log-level";
  private static final String ALLOWED = "org.testigo";
  private final LogConfigurationTask delegate = new LogConfigurationTask();

  public RestrictedLogLevelTask() {
    super(NAME);
  }

  /** True for the loggers this task may change: {@code org.testigo} and Java names below it. */
  public static boolean allowed(String logger) {
    return logger != null && logger.matches("org\\.testigo(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");
  }

  @Override
  public void execute(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
    List<String> loggers = parameters.getOrDefault("logger", List.of());
    if (loggers.isEmpty() || !loggers.stream().allMatch(RestrictedLogLevelTask::allowed)) {
      throw new IllegalArgumentException("only loggers under " + ALLOWED
          + " may be changed here: other loggers can see requests (SECURITY.md, the admin port)");
    }
    delegate.execute(parameters, output);
  }
}
