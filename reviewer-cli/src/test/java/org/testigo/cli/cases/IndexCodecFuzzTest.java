package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target for the report index's binary encoding (docs/spec/reviewer-api-and-batches.md §8.2).
 * The tool reads only what it sealed itself, so this is defence in depth: whatever the bytes,
 * decoding refuses with an {@link IOException} (the index is then rebuilt) or gives values that,
 * encoded again, decode to the same values.
 */
class IndexCodecFuzzTest {
  @FuzzTest(maxDuration = "10m")
  void decode_refusesOrRoundTrips(byte[] data) {
    List<Object> values;
    try {
      values = IndexCodecTest.decode(data);
    } catch (IOException refused) {
      return;
    }
    List<ReportIndex.Entry> entries = new ArrayList<>();
    List<ReportIndex.Case> cases = new ArrayList<>();
    for (Object v : values) {
      if (v instanceof ReportIndex.Entry e) {
        entries.add(e);
      } else {
        cases.add((ReportIndex.Case) v);
      }
    }
    try {
      assertThat(IndexCodecTest.decode(IndexCodecTest.encode(entries, cases))).isEqualTo(values);
    } catch (IOException e) {
      throw new AssertionError("a decoded index did not decode again after encoding", e);
    }
  }
}
