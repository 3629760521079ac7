package org.testigo.cli.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;

/**
 * Fuzz target for the envelope batch the reviewer tool downloads on sync (docs/spec/reviewer-api-and-batches.md §4):
 * a hostile or seized server chooses every byte.
 */
class EnvelopeBatchReaderFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One entry as read: its JSON and its envelope bytes (hex, for equals). */
  record Entry(JsonNode item, String body) {}

  /** A whole batch as read. */
  record Batch(List<Entry> entries, boolean more) {}

  /**
   * Reading a whole batch either refuses with a {@link CliException} of exit code
   * {@link ExitCodes#SERVER} or gives entries (JSON objects) and a {@code more} flag that,
   * written back in canonical framing, read as the same batch.
   */
  @FuzzTest(maxDuration = "10m")
  void read_refusesOrRoundTrips(byte[] data) throws IOException {
    Batch batch;
    try {
      batch = readAll(data);
    } catch (CliException e) {
      assertThat(e.exitCode()).isEqualTo(ExitCodes.SERVER);
      return;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(EnvelopeBatchReader.MAGIC);
    for (Entry e : batch.entries()) {
      assertThat(e.item().isObject()).isTrue();
      byte[] json = JSON.writeValueAsBytes(e.item());
      if (json.length > EnvelopeBatchReader.MAX_ITEM_JSON) {
        return; // re-serialized longer (escapes): the framing is still checked above
      }
      out.write(1);
      out.writeShort(json.length);
      out.write(json);
      byte[] body = HexFormat.of().parseHex(e.body());
      for (int off = 0; off < body.length; off += EnvelopeBatchReader.FRAME_BYTES) {
        int n = Math.min(EnvelopeBatchReader.FRAME_BYTES, body.length - off);
        out.writeInt(n);
        out.write(body, off, n);
      }
      out.writeInt(0);
    }
    out.write(0);
    out.write(batch.more() ? 1 : 0);
    assertThat(readAll(bytes.toByteArray())).isEqualTo(batch);
  }

  /** The skip cap sync gives the reader (envelope cap plus header bound), small enough to be reached. */
  static final long MAX_SKIP = 1 << 20;

  static Batch readAll(byte[] data) throws IOException {
    EnvelopeBatchReader r = new EnvelopeBatchReader(new ByteArrayInputStream(data), MAX_SKIP);
    List<Entry> entries = new ArrayList<>();
    JsonNode item;
    int i = 0;
    while ((item = r.next()) != null) {
      // Read every other body, so that skipping an unread body is exercised too.
      String body = i++ % 2 == 0 ? HexFormat.of().formatHex(r.body().readAllBytes()) : null;
      entries.add(new Entry(item, body));
    }
    boolean more = r.more();
    if (entries.stream().anyMatch(e -> e.body() == null)) {
      // Re-read with every body, now that the framing is known to be valid.
      EnvelopeBatchReader again = new EnvelopeBatchReader(new ByteArrayInputStream(data), MAX_SKIP);
      entries.clear();
      while ((item = again.next()) != null) {
        entries.add(new Entry(item, HexFormat.of().formatHex(again.body().readAllBytes())));
      }
      assertThat(again.more()).isEqualTo(more);
    }
    return new Batch(List.copyOf(entries), more);
  }
}
