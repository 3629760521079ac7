package org.testigo.server.resources.reviewer.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReviewerAuthoritiesTest {
  static final String ONION = "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx";

  @Test
  void acceptsOnlyThisServersOwnNames() {
    ReviewerAuthorities a = new ReviewerAuthorities(List.of("Front.Example.onion"), ONION, () -> 8082);
    for (String ok : List.of("127.0.0.1:8082", "localhost:8082", "LOCALHOST:8082", "[::1]:8082", ONION + ".onion",
        ONION + ".onion:80", ONION.toUpperCase() + ".ONION", "front.example.onion")) {
      assertThat(a.accepts(ok)).as(ok).isTrue();
    }
    for (String no : List.of("127.0.0.1:8080", "127.0.0.1", "localhost", "127.0.0.2:8082", ONION + ".onion:8082",
        "other.onion", "", "front.example.onion:81")) {
      assertThat(a.accepts(no)).as(no).isFalse();
    }
    assertThat(a.accepts(null)).isFalse();
  }

  @Test
  void theReviewerOnion_isAcceptedOnceTheOnionServicesHaveLoadedTheirKey() {
    java.util.concurrent.atomic.AtomicReference<String> id = new java.util.concurrent.atomic.AtomicReference<>();
    ReviewerAuthorities a = ReviewerAuthorities.withOnion(List.of(), id::get, () -> 8082);
    assertThat(a.accepts(ONION + ".onion")).isFalse();
    id.set(ONION); // OnionServices.start() runs after the reviewer API is installed
    assertThat(a.accepts(ONION + ".onion")).isTrue();
    assertThat(a.accepts(ONION + ".onion:80")).isTrue();
    assertThat(a.accepts("other.onion")).isFalse();
  }

  @Test
  void beforeThePortIsKnown_onlyConfiguredNamesAreAccepted() {
    ReviewerAuthorities a = new ReviewerAuthorities(List.of(), null, () -> -1);
    assertThat(a.accepts("127.0.0.1:-1")).isFalse();
    assertThat(a.accepts("localhost:8082")).isFalse();
  }
}
