package org.testigo.server.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CanonicalPathTest {
  @Test
  void theServersOwnPaths_areCanonical() {
    for (String p : List.of("/", "/report", "/status/follow-up", "/assets/testigo.js", "/api/v1/reviewer/submissions",
        "/api/v1/uploads/0123456789abcdef0123456789abcdef/commit", "/proof-of-filing/12/13/proof.txt",
        "/api/v1/log/leaves/3/envelope-header", "/tasks/log-level", "/healthcheck", "/a.b/c~d")) {
      assertThat(CanonicalPath.problem(p)).as(p).isNull();
    }
  }

  @Test
  void everyOtherSpellingOfAPath_isRefused() {
    for (String p : List.of("", "api", "*", "http://h/x", "/a;b", "/a/;/b", "/;", "/a%2fb", "/a%2Fb", "/%2e/a",
        "/a/%2e%2e/b", "/a%3bb", "/a%5cb", "/a%25", "/%61", "/a\\b", "//a", "/a//b", "/a/", "/a/./b", "/a/../b",
        "/a/.", "/a/..", "/..;/a", "/.", "/a b", "/a\tb", "/\u00e9", "/a\u0000", "/a#b", "/a?b", "/a\"b", "/a<b",
        "/a[b", "/a{b", "/a|b", "/a^b", "/a`b", "/" + "x".repeat(CanonicalPath.MAX_LENGTH))) {
      assertThat(CanonicalPath.problem(p)).as(p).isNotNull();
    }
  }
}
