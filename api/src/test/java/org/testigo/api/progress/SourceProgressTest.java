package org.testigo.api.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.testigo.api.progress.SourceProgress.InvalidProgressException;
import org.testigo.crypto.payload.PartHeader;
import org.testigo.crypto.payload.PayloadWriter;

class SourceProgressTest {
  private static final HexFormat HEX = HexFormat.of();

  private static JsonNode golden() throws IOException {
    try (InputStream in = SourceProgressTest.class.getResourceAsStream("/golden/source-progress-v1.json")) {
      return new ObjectMapper().readTree(in);
    }
  }

  @Test
  void golden_recordsAndPayloadsMatchTheIndependentlyComputedBytes() throws Exception {
    JsonNode vectors = golden().get("vectors");
    assertThat(vectors).hasSize(5);
    for (JsonNode v : vectors) {
      byte[] json = v.get("json").asText().getBytes(StandardCharsets.UTF_8);
      byte[] payload = HEX.parseHex(v.get("payloadHex").asText());
      SourceProgress p = SourceProgress.parse(json);
      assertThat(p.encode()).isEqualTo(json);
      assertThat(p.payload()).isEqualTo(payload);
      assertThat(SourceProgress.fromReplyPayload(payload)).contains(p);
    }
    assertThat(SourceProgress.parse(vectors.get(3).get("json").asText()))
        .isEqualTo(SourceProgress.referred(4, "CNDH", "CNDH/5/2026/1234/Q"));
    assertThat(SourceProgress.parse(vectors.get(4).get("json").asText()))
        .isEqualTo(SourceProgress.closed(5, SourceProgress.Outcome.INSUFFICIENT_EVIDENCE));
  }

  @Test
  void parse_rejectsEveryMalformedOrForgedRecordWithoutEchoingIt() {
    String longInstitution = "M".repeat(SourceProgress.MAX_INSTITUTION + 1);
    String longReference = "R".repeat(SourceProgress.MAX_REFERENCE + 1);
    List<String> bad = List.of(
        "", "[]", "null", "\"received\"", "{}",
        "{\"v\":2,\"status\":\"received\"}",
        "{\"v\":\"1\",\"status\":\"received\"}",
        "{\"v\":1.0,\"status\":\"received\"}",
        "{\"v\":18446744073709551617,\"status\":\"received\"}",
        "{\"v\":1}",
        "{\"v\":1,\"status\":\"received\"}",
        "{\"v\":1,\"n\":0,\"status\":\"received\"}",
        "{\"v\":1,\"n\":100000,\"status\":\"received\"}",
        "{\"v\":1,\"n\":1.5,\"status\":\"received\"}",
        "{\"v\":1,\"n\":\"1\",\"status\":\"received\"}",
        "{\"v\":1,\"n\":-1,\"status\":\"received\"}",
        "{\"v\":1,\"n\":4294967297,\"status\":\"received\"}",
        "{\"v\":1,\"n\":1,\"status\":\"RECEIVED\"}",
        "{\"v\":1,\"n\":1,\"status\":\"sentenced\"}",
        "{\"v\":1,\"n\":1,\"status\":\"received\",\"status\":\"closed\"}",
        "{\"v\":1,\"n\":1,\"status\":\"received\"} {}",
        "{\"v\":1,\"n\":1,\"status\":\"received\",\"note\":\"MARKER\"}",
        "{\"v\":1,\"n\":1,\"status\":\"received\",\"institution\":\"MARKER\"}",
        "{\"v\":1,\"n\":1,\"status\":\"investigating\",\"reference\":\"MARKER\"}",
        "{\"v\":1,\"n\":1,\"status\":\"referred\"}",
        "{\"v\":1,\"n\":1,\"status\":\"referred\",\"reference\":\"MARKER\"}",
        "{\"v\":1,\"n\":1,\"status\":\"referred\",\"institution\":null}",
        "{\"v\":1,\"n\":1,\"status\":\"referred\",\"institution\":7}",
        "{\"v\":1,\"n\":1,\"status\":\"referred\",\"institution\":\"\"}",
        "{\"v\":1,\"n\":1,\"status\":\"referred\",\"institution\":\" MARKER\"}",
        "{\"v\":1,\"n\":1,\"status\":\"referred\",\"institution\":\"MARKER\\nline two\"}",
        "{\"v\":1,\"n\":1,\"status\":\"referred\",\"institution\":\"MARKER\\u202egnp.exe\"}",
        "{\"v\":1,\"n\":1,\"status\":\"referred\",\"institution\":\"MARK\\u200bER\"}",
        "{\"v\":1,\"n\":1,\"status\":\"referred\",\"institution\":\"MARKER\\u2028\"}",
        "{\"v\":1,\"n\":1,\"status\":\"referred\",\"institution\":\"MARKER\\ud800\"}",
        "{\"v\":1,\"n\":1,\"status\":\"referred\",\"institution\":\"MARKER\\ue000\"}",
        "{\"v\":1,\"n\":1,\"status\":\"referred\",\"institution\":\"" + longInstitution + "\"}",
        "{\"v\":1,\"n\":1,\"status\":\"referred\",\"institution\":\"FGR\",\"reference\":\"" + longReference + "\"}",
        "{\"v\":1,\"n\":1,\"status\":\"referred\",\"institution\":\"FGR\",\"outcome\":\"referred\"}",
        "{\"v\":1,\"n\":1,\"status\":\"closed\"}",
        "{\"v\":1,\"n\":1,\"status\":\"closed\",\"outcome\":\"spam\"}",
        "{\"v\":1,\"n\":1,\"status\":\"closed\",\"outcome\":\"referred\",\"institution\":\"MARKER\"}",
        "{\"v\":1,\"n\":1,\"status\":\"received\",\"pad\":\"" + "M".repeat(SourceProgress.MAX_BYTES) + "\"}");
    for (String json : bad) {
      assertThatThrownBy(() -> SourceProgress.parse(json)).as(json)
          .isInstanceOf(InvalidProgressException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("MARKER").doesNotContain("MMMM")
              .doesNotContain("RRRR"));
    }
  }

  @Test
  void lengthsAreCountedInCodePointsUpToTheLimit() throws Exception {
    String emoji = "\uD83C\uDFDB".repeat(SourceProgress.MAX_INSTITUTION);
    SourceProgress p = SourceProgress.referred(1, emoji, "Ref ñ/".repeat(10));
    assertThat(SourceProgress.parse(p.encode())).isEqualTo(p);
    assertThat(new String(p.encode(), StandardCharsets.UTF_8)).contains(emoji); // raw UTF-8, not escapes
    SourceProgress quotes = SourceProgress.referred(SourceProgress.MAX_N, "\"\\".repeat(50), "\"".repeat(60));
    assertThat(SourceProgress.parse(quotes.encode())).isEqualTo(quotes);
    assertThatThrownBy(() -> SourceProgress.referred(1, emoji + "x", null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fromReplyPayload_isEmptyForOrdinaryRepliesAndRefusesMixedOrOddProgressParts() throws Exception {
    assertThat(SourceProgress.fromReplyPayload(PayloadWriter.textMessage("hello"))).isEqualTo(Optional.empty());
    byte[] record = SourceProgress.investigating(2).encode();
    List<byte[]> bad = List.of(
        payload(new PartHeader("message", null, "text/plain; charset=utf-8"), "x".getBytes(StandardCharsets.UTF_8),
            new PartHeader("progress", null, "application/json"), record),
        payload(new PartHeader("progress", null, "application/json"), record,
            new PartHeader("message", null, "text/plain; charset=utf-8"), "x".getBytes(StandardCharsets.UTF_8)),
        payload(new PartHeader("progress", null, "application/json"), record,
            new PartHeader("progress", null, "application/json"), record),
        payload(new PartHeader("progress", "status.json", "application/json"), record),
        payload(new PartHeader("progress", null, "text/plain"), record),
        payload(new PartHeader("progress", null, null), record),
        payload(new PartHeader("progress", null, "application/json"), new byte[0]),
        payload(new PartHeader("progress", null, "application/json"), new byte[SourceProgress.MAX_BYTES + 1]),
        "TGPAYLD1".getBytes(StandardCharsets.US_ASCII),
        new byte[0]);
    for (byte[] p : bad) {
      assertThatThrownBy(() -> SourceProgress.fromReplyPayload(p)).isInstanceOf(InvalidProgressException.class);
    }
  }

  @Test
  void fromReplyPayload_everySingleByteChangeIsRefusedOrAValidRecord() throws Exception {
    byte[] good = SourceProgress.referred(3, "Fiscalía", "FGE/1").payload();
    int refused = 0;
    for (int i = 0; i < good.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] t = good.clone();
        t[i] ^= (byte) (1 << bit);
        try {
          SourceProgress.fromReplyPayload(t).ifPresent(p -> assertThat(p.status()).isNotNull());
        } catch (InvalidProgressException e) {
          refused++;
        }
      }
    }
    assertThat(refused).isGreaterThan(good.length * 8 / 2);
  }

  private static byte[] payload(Object... headersAndBodies) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PayloadWriter w = new PayloadWriter(out);
    for (int i = 0; i < headersAndBodies.length; i += 2) {
      w.writePart((PartHeader) headersAndBodies[i], (byte[]) headersAndBodies[i + 1]);
    }
    w.finish();
    return out.toByteArray();
  }
}
