package org.testigo.crypto.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.testigo.crypto.CryptoException;

/** Fuzz target for signed case events as the server relays them to every reviewer. */
class SignedCaseEventFuzzTest {
  /**
   * {@code parse} either refuses with {@link CryptoException} or is canonical: the encoding
   * equals the input, the body is its prefix, and a re-parse gives an equal event.
   */
  @FuzzTest(maxDuration = "10m")
  void parse_refusesOrIsCanonical(byte[] data) throws CryptoException {
    SignedCaseEvent e;
    try {
      e = SignedCaseEvent.parse(data);
    } catch (CryptoException ex) {
      return;
    }
    assertThat(e.encoded()).isEqualTo(data);
    byte[] body = e.body();
    assertThat(data).startsWith(body);
    SignedCaseEvent again = SignedCaseEvent.parse(e.encoded());
    assertThat(again).isEqualTo(e);
    assertThat(again.eventId()).isEqualTo(e.eventId());
    assertThat(e.parents()).hasSizeLessThanOrEqualTo(SignedCaseEvent.MAX_PARENTS);
  }
}
