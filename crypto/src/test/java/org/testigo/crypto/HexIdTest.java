package org.testigo.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.event.EventId;

/** The shared id implementation behind {@link CaseId} and {@link EventId}. */
class HexIdTest {
  @Test
  void parsesEitherCaseAndWritesLowercase() {
    CaseId c = CaseId.fromHex(" 00112233445566778899AABBCCDDEEFF\n");
    assertThat(c.hex()).isEqualTo("00112233445566778899aabbccddeeff");
    assertThat(c).hasToString(c.hex());
    assertThat(CaseId.fromBytes(c.toBytes())).isEqualTo(c).hasSameHashCodeAs(c);
  }

  @Test
  void refusesWrongLengthsAndCharacters() {
    assertThatThrownBy(() -> CaseId.fromHex("00")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a case id is 32 hex characters");
    assertThatThrownBy(() -> CaseId.fromHex(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CaseId.fromHex("0011223344556677889900aabbccddeg"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CaseId.fromBytes(new byte[15])).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a case id is 16 bytes");
    assertThatThrownBy(() -> EventId.fromBytes(null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an event id is 32 bytes");
    assertThatThrownBy(() -> EventId.fromHex("00112233445566778899aabbccddeeff"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("an event id is 64 hex characters");
  }

  @Test
  void copiesBytesInAndOut() {
    byte[] b = new byte[16];
    CaseId c = CaseId.fromBytes(b);
    b[0] = 1;
    c.toBytes()[1] = 1;
    assertThat(c.hex()).isEqualTo("0".repeat(32));
  }

  @Test
  void ordersByUnsignedBytes() {
    byte[] high = new byte[32];
    high[0] = (byte) 0x80;
    byte[] low = new byte[32];
    low[0] = 0x7f;
    List<EventId> ids = new ArrayList<>(List.of(EventId.fromBytes(high), EventId.fromBytes(low)));
    ids.sort(null);
    assertThat(ids).extracting(EventId::hex).containsExactly(EventId.fromBytes(low).hex(),
        EventId.fromBytes(high).hex());
  }

  @Test
  void idsOfDifferentKindsAreNeverEqual() {
    byte[] b = new byte[16];
    assertThat((Object) CaseId.fromBytes(b)).isNotEqualTo(new Object()).isNotEqualTo(null);
  }
}
