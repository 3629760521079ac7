package org.testigo.cli.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.testigo.api.wire.Submission;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.server.review.EnvelopeBatch;

/** Envelope batch v1: what the server writes reads back; anything malformed or cut is refused. */
class EnvelopeBatchReaderTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  record Item(JsonNode listing, byte[] body) {}

  static byte[] batch(boolean more, byte[]... bodies) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EnvelopeBatch b = new EnvelopeBatch(out);
    for (int i = 0; i < bodies.length; i++) {
      byte[] body = bodies[i];
      b.item(new Submission(i + 1, String.format("%032x", i + 1), "report", "2026-11-28", 1024,
          "00".repeat(32), true, String.format("%032x", i + 1), "00".repeat(32), 0), o -> o.write(body));
    }
    b.end(more);
    return out.toByteArray();
  }

  static List<Item> readAll(byte[] batch) throws IOException {
    EnvelopeBatchReader r = new EnvelopeBatchReader(new ByteArrayInputStream(batch), Long.MAX_VALUE);
    List<Item> items = new ArrayList<>();
    for (JsonNode n = r.next(); n != null; n = r.next()) {
      items.add(new Item(n, r.body().readAllBytes()));
    }
    r.more();
    return items;
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  @Test
  void read_returnsWhatTheServerWroteEntriesBodiesAndMore() throws IOException {
    byte[] big = random(3 * EnvelopeBatch.FRAME_BYTES + 17);
    byte[] small = random(5);
    byte[] batch = batch(true, big, small, new byte[0]);
    EnvelopeBatchReader r = new EnvelopeBatchReader(new ByteArrayInputStream(batch), Long.MAX_VALUE);
    JsonNode first = r.next();
    assertThat(first.get("seq").asLong()).isEqualTo(1);
    assertThat(first.get("id").asText()).isEqualTo(String.format("%032x", 1));
    assertThat(first.get("sha256").asText()).hasSize(64);
    assertThat(r.body().readAllBytes()).isEqualTo(big);
    assertThat(r.next().get("seq").asLong()).isEqualTo(2);
    // the second body is skipped unread
    assertThat(r.next().get("seq").asLong()).isEqualTo(3);
    assertThat(r.body().readAllBytes()).isEmpty();
    assertThat(r.next()).isNull();
    assertThat(r.more()).isTrue();
    assertThat(r.next()).isNull();

    assertThat(readAll(batch(false))).isEmpty();
  }

  @Test
  void read_failsOnEveryTruncation() throws IOException {
    byte[] batch = batch(false, random(70_000), random(10));
    for (int len = 0; len < batch.length; len++) {
      byte[] cut = Arrays.copyOf(batch, len);
      assertThatThrownBy(() -> readAll(cut)).as("cut at " + len).isInstanceOf(CliException.class)
          .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(ExitCodes.SERVER))
          .hasMessageContaining("malformed or was cut short");
    }
  }

  @Test
  void read_failsOnAWrongMagicAnUnknownTagBadSizesOrTrailingBytes() throws IOException {
    byte[] good = batch(false, random(100));
    List<byte[]> bad = new ArrayList<>();
    byte[] magic = good.clone();
    magic[7] = '2';
    bad.add(magic);
    byte[] tag = good.clone();
    tag[8] = 2;
    bad.add(tag);
    byte[] jsonLength = good.clone();
    jsonLength[9] = (byte) 0xff;
    bad.add(jsonLength);
    byte[] more = good.clone();
    more[more.length - 1] = 2;
    bad.add(more);
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    bad.add(trailing);
    int n = ((good[9] & 0xff) << 8) | (good[10] & 0xff);
    byte[] frame = good.clone();
    frame[11 + n] = 0x7f;
    bad.add(frame);
    byte[] negative = good.clone();
    negative[11 + n] = (byte) 0x80;
    bad.add(negative);
    byte[] notObject = good.clone();
    Arrays.fill(notObject, 11, 11 + n, (byte) ' ');
    notObject[11] = '1';
    bad.add(notObject);
    byte[] garbage = random(200);
    bad.add(garbage);
    for (byte[] b : bad) {
      assertThatThrownBy(() -> readAll(b)).isInstanceOf(CliException.class)
          .hasMessageContaining("malformed or was cut short");
    }
  }

  @Test
  void read_refusesAnItemWhoseNumberOverflowsToInfinity() throws IOException {
    byte[] json = "{\"seq\":1,\"size\":1e400}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream d = new java.io.DataOutputStream(b);
    d.write("TGBATCH1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    d.write(1);
    d.writeShort(json.length);
    d.write(json);
    d.writeInt(0);
    d.write(0);
    d.write(0);
    EnvelopeBatchReader r = new EnvelopeBatchReader(new java.io.ByteArrayInputStream(b.toByteArray()), 1 << 20);
    assertThatThrownBy(r::next).isInstanceOf(org.testigo.cli.common.CliException.class);
    assertThat(EnvelopeBatchReader.hasNonFiniteNumber(new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree("{\"a\":[1.5,1e300,{\"b\":-2}]}"))).isFalse();
  }
}
