package org.testigo.server.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Optional;
import org.testigo.api.progress.SourceProgress;

/** Fuzz target for what the status page opens from a reply: a progress record, or none. */
class ReplyProgressFuzzTest {
  /**
   * {@code fromReplyPayload} refuses with {@link SourceProgress.InvalidProgressException}, finds
   * no progress part (an ordinary reply), or returns a record whose canonical payload and JSON
   * parse back to the same record.
   */
  @FuzzTest(maxDuration = "10m")
  void fromReplyPayload_refusesOrRoundTrips(byte[] data) throws SourceProgress.InvalidProgressException {
    Optional<SourceProgress> p;
    try {
      p = SourceProgress.fromReplyPayload(data);
    } catch (SourceProgress.InvalidProgressException e) {
      return;
    }
    if (p.isPresent()) {
      assertThat(SourceProgress.fromReplyPayload(p.get().payload())).contains(p.get());
      assertThat(SourceProgress.parse(p.get().encode())).isEqualTo(p.get());
    }
  }
}
