package org.testigo.cli.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of {@code audit verify}: one entry per check, each PASS, FAIL, WARN (holds
 * with a caveat, or not checked yet) or SKIP (could not run because an earlier check
 * failed), with a one-line detail and, for per-entry checks, the failing entries.
 */
final class AuditReport {
  enum Status { PASS, FAIL, WARN, SKIP }

  record Check(String name, Status status, String detail, List<String> failures) {}

  private static final int MAX_LISTED = 50;
  private final List<Check> checks = new ArrayList<>();
  final ObjectNode facts = new ObjectMapper().createObjectNode();

  void add(String name, Status status, String detail) {
    add(name, status, detail, List.of());
  }

  void add(String name, Status status, String detail, List<String> failures) {
    checks.add(new Check(name, status, detail, List.copyOf(failures)));
  }

  List<Check> checks() {
    return List.copyOf(checks);
  }

  boolean holds() {
    return checks.stream().noneMatch(c -> c.status() == Status.FAIL || c.status() == Status.SKIP);
  }

  Status statusOf(String name) {
    return checks.stream().filter(c -> c.name().equals(name)).map(Check::status).findFirst().orElse(null);
  }

  String toText() {
    StringBuilder sb = new StringBuilder();
    for (Check c : checks) {
      sb.append(String.format("[%-4s] %-22s %s%n", c.status(), c.name(), c.detail()));
      c.failures().stream().limit(MAX_LISTED).forEach(f -> sb.append("         - ").append(f).append('\n'));
      if (c.failures().size() > MAX_LISTED) {
        sb.append("         ... and ").append(c.failures().size() - MAX_LISTED).append(" more\n");
      }
    }
    long failed = checks.stream().filter(c -> c.status() != Status.PASS && c.status() != Status.WARN).count();
    sb.append(failed == 0 ? "RESULT: every check holds.\n"
        : "RESULT: " + failed + " of " + checks.size() + " checks do NOT hold.\n");
    return sb.toString();
  }

  ObjectNode toJson() {
    ObjectMapper m = new ObjectMapper();
    ObjectNode root = m.createObjectNode();
    root.put("holds", holds());
    root.setAll(facts);
    ArrayNode arr = root.putArray("checks");
    for (Check c : checks) {
      ObjectNode o = arr.addObject();
      o.put("name", c.name());
      o.put("status", c.status().name().toLowerCase(java.util.Locale.ROOT));
      o.put("detail", c.detail());
      ArrayNode f = o.putArray("failures");
      c.failures().forEach(f::add);
    }
    return root;
  }
}
