package org.testigo.cli.cases;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.manifest.ManifestChain;

/**
 * Writes {@code golden/case-event-v1-reply/} once: on one case, a {@code reply_sent} by
 * {@code maria} in the older form (hash only) and then one by {@code jose} that keeps the
 * reply's text and language, each with its content envelope sealed to the golden manifest's
 * recipients (maria, jose). Not a test; run by hand with the test classpath and commit. Never
 * regenerate.
 */
public final class GoldenReplyWriter {
  static final CaseId CASE = CaseId.fromHex("5e5e5e5e00112233445566778899aacc");
  static final Instant AT1 = Instant.parse("2026-03-04T10:00:00Z");
  static final Instant AT2 = Instant.parse("2026-03-05T11:30:00Z");
  static final CaseAction OLD = new CaseAction.ReplySent(HexFormat.of().parseHex("11".repeat(32)));
  static final CaseAction KEPT = new CaseAction.ReplySent(HexFormat.of().parseHex("22".repeat(32)),
      "Recibimos su denuncia. La canalizamos a la fiscalía de Chiapas.\nGracias por su valor.", "es");

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    var chain = TestKeys.goldenChain();
    var manifest = ManifestChain.verify(chain, chain.get(0).manifest().rootFingerprint());
    CaseEvents.Built one = new CaseEvents(Clock.fixed(AT1, ZoneOffset.UTC), new SecureRandom())
        .build(TestKeys.identity("maria"), manifest, CASE, List.of(), OLD);
    CaseEvents.Built two = new CaseEvents(Clock.fixed(AT2, ZoneOffset.UTC), new SecureRandom())
        .build(TestKeys.identity("jose"), manifest, CASE, List.of(one.event()), KEPT);
    int i = 1;
    for (CaseEvents.Built b : List.of(one, two)) {
      Files.write(dir.resolve("event-" + i + ".bin"), b.event().encoded());
      Files.write(dir.resolve("content-" + i + ".envelope"), b.sealedContent());
      Files.write(dir.resolve("content-" + i + ".json"), CaseContent.encode(i == 1 ? OLD : KEPT));
      Files.writeString(dir.resolve("event-" + i + "-id.txt"), b.event().eventId().hex() + "\n",
          StandardCharsets.US_ASCII);
      i++;
    }
  }
}
