package org.testigo.cli.cases;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.manifest.ManifestChain;

/**
 * Writes {@code golden/case-event-v1/} once: a signed event by {@code maria} (golden
 * manifest chain, sequence 1) and its content envelope sealed to maria and jose. Not a test;
 * run by hand with the test classpath and commit. Never regenerate for v1.
 */
public final class GoldenTriageWriter {
  static final CaseId CASE = CaseId.fromHex("5e5e5e5e00112233445566778899aabb");
  static final Instant AT = Instant.parse("2026-03-03T16:20:00Z");
  static final CaseAction ACTION = new CaseAction.Refer(ReferralTarget.FISCALIA_ESTATAL, "CHP",
      null, "FGE/CHP/UEIDM/0042/2026", LocalDate.parse("2026-03-03"));

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    var chain = TestKeys.goldenChain();
    var manifest = ManifestChain.verify(chain,
        chain.get(0).manifest().rootFingerprint());
    CaseEvents events = new CaseEvents(Clock.fixed(AT, ZoneOffset.UTC), new SecureRandom());
    CaseEvents.Built b = events.build(TestKeys.identity("maria"), manifest, CASE, List.of(),
        ACTION);
    Files.write(dir.resolve("event.bin"), b.event().encoded());
    Files.write(dir.resolve("content.envelope"), b.sealedContent());
    Files.write(dir.resolve("content.json"), CaseContent.encode(ACTION));
    Files.writeString(dir.resolve("event-id.txt"), b.event().eventId().hex() + "\n");
  }
}
