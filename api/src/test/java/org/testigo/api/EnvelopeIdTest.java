package org.testigo.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.event.CaseId;

/**
 * The one check of envelope ids, against the seven regular expressions it replaces (each
 * copied here): the server's {@code EnvelopeId.parse} ({@code [0-9a-fA-F]+} of length 32),
 * {@code ApiHeaders.submissionId} ({@code [0-9a-fA-F]{32}} after strip), {@code UploadService}
 * and {@code VisitService} ({@code [0-9a-f]{32}}), the reviewer tool's {@code LocalCache} and
 * {@code ReportIndex} ({@code [0-9a-f]{32}}, prefixes {@code [0-9a-f]{6,32}}), and the
 * shelter's {@code Outbox} ({@code [0-9a-f]{32}}).
 */
class EnvelopeIdTest {
  private static final String[] SAMPLES = {"00112233445566778899aabbccddeeff", "00112233445566778899AABBCCDDEEFF",
      "00112233445566778899aabbccddeefg", "00112233445566778899aabbccddeef", "00112233445566778899aabbccddeeff0",
      " 00112233445566778899aabbccddeeff", "", "abcdef", "ABCDEF", "abcde", "0011223344556677889９aabbccddeeff",
      "00112233445566778899aabbccddeef\n", "+0112233445566778899aabbccddeeff"};

  @Test
  void parse_acceptsWhatTheServersChecksAccept() {
    for (String s : SAMPLES) {
      boolean server = s.length() == 32 && s.matches("[0-9a-fA-F]+");
      assertThat(EnvelopeId.isHex(s)).as(s).isEqualTo(server);
      assertThat(EnvelopeId.tryParse(s).isPresent()).as(s).isEqualTo(server);
      if (!server) {
        assertThatThrownBy(() -> EnvelopeId.parse(s)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("an envelope id is 32 hex characters");
      }
    }
    assertThat(EnvelopeId.parse("00112233445566778899AABBCCDDEEFF").hex())
        .isEqualTo("00112233445566778899aabbccddeeff");
  }

  @Test
  void isCanonical_isTheLowercaseForm() {
    for (String s : SAMPLES) {
      assertThat(EnvelopeId.isCanonical(s)).as(s).isEqualTo(s.matches("[0-9a-f]{32}"));
    }
    assertThat(EnvelopeId.isCanonical(null)).isFalse();
    assertThat(EnvelopeId.requireCanonical("00112233445566778899aabbccddeeff", "submission id"))
        .isEqualTo("00112233445566778899aabbccddeeff");
    assertThatThrownBy(() -> EnvelopeId.requireCanonical("ABC", "submission id"))
        .hasMessage("a submission id is 32 lowercase hex characters");
  }

  @Test
  void prefixes_asAReviewerTypesThem() {
    for (String s : SAMPLES) {
      assertThat(EnvelopeId.isPrefix(s)).as(s).isEqualTo(s.matches("[0-9a-f]{6,32}"));
      String typed = s.strip().toLowerCase(java.util.Locale.ROOT);
      assertThat(EnvelopeId.typedPrefix(s)).as(s)
          .isEqualTo(typed.matches("[0-9a-f]{6,32}") ? java.util.Optional.of(typed) : java.util.Optional.empty());
    }
    assertThat(EnvelopeId.typedPrefix(null)).isEmpty();
  }

  @Test
  void bytesRandomAndTheCaseIdOfAReport() {
    EnvelopeId id = EnvelopeId.random(new SecureRandom());
    assertThat(EnvelopeId.fromBytes(id.toBytes())).isEqualTo(id);
    assertThat(EnvelopeId.isCanonical(id.hex())).isTrue();
    assertThat(CaseId.fromHex(id.hex()).hex()).isEqualTo(id.hex());
    assertThat((Object) CaseId.fromHex(id.hex())).isNotEqualTo(id);
    assertThatThrownBy(() -> EnvelopeId.fromBytes(new byte[15])).hasMessage("an envelope id is 16 bytes");
  }
}
