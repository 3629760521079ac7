package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testigo.cli.CliResult;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.hostile.HostileServer;
import org.testigo.cli.hostile.Payloads;
import org.testigo.crypto.TestKeys;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.payload.PartHeader;
import org.testigo.crypto.payload.PayloadWriter;

/**
 * Hostile envelopes sealed to the reviewer (anyone can seal to the public manifest), under a
 * 128 MiB heap (surefire execution {@code small-heap}; in a larger heap it is skipped): a flood of envelopes with 3,000 empty parts, garbage, a questionnaire of another
 * version, a questionnaire over its cap, and a report with an attachment larger than the heap.
 * {@code list}, {@code show} and {@code files} exit 0, read the normal reports right and list
 * the rest as not valid reports.
 */
class HostileEnvelopesSmallHeapTest extends ReportIndexTest {
  static final long HEAP = 128L * 1024 * 1024;

  static byte[] flood() throws Exception {
    Payloads p = new Payloads().part("questionnaire", null,
        "{\"version\":1,\"language\":\"es\",\"what\":[\"extortion\"]}".getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < 3000; i++) {
      p.part("file", "f" + i, new byte[0]);
    }
    return HostileServer.sealToMaria(p.finish());
  }

  @Test
  void listShowAndFiles_surviveAFloodAndOversizedContentIn128MiB() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().maxMemory() <= HEAP + HEAP / 8,
        "runs in the small-heap surefire execution (-Xmx128m) only");
    org.testigo.cli.remote.LocalCache.open(home, "default");
    long seq = 1;
    byte[] flood = flood();
    for (int i = 0; i < 40; i++) {
      String id = id();
      put(submission(seq++, id, id, flood));
    }
    String garbage = id();
    put(submission(seq++, garbage, garbage, HostileServer.sealToMaria("not a payload at all".getBytes())));
    String v2 = id();
    put(submission(seq++, v2, v2, HostileServer.sealToMaria(new Payloads().part("questionnaire", null,
        "{\"version\":2,\"what\":[\"extortion\"]}".getBytes(StandardCharsets.UTF_8)).finish())));
    String huge = id();
    java.io.ByteArrayOutputStream hugePayload = new java.io.ByteArrayOutputStream();
    PayloadWriter hw = new PayloadWriter(hugePayload);
    hw.writePart(new PartHeader(PartHeader.QUESTIONNAIRE, null, null),
        ("{\"version\":1,\"narrative\":\"" + "{}".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8));
    hw.finish();
    put(submission(seq++, huge, huge, HostileServer.sealToMaria(hugePayload.toByteArray())));
    String normal = id();
    put(submission(seq++, normal, normal, report("normal " + MARKER, "robbery")));
    String big = id();
    long bigSize = 3 * HEAP / 2;
    Path envelope = home.resolve("big.tgenv");
    try (OutputStream file = Files.newOutputStream(envelope);
        OutputStream sealing = Envelope.sealing(file, List.of(TestKeys.recipient("maria").publicKey()),
            Envelope.CONTEXT_REPORT, new SecureRandom())) {
      PayloadWriter w = new PayloadWriter(sealing);
      w.writePart(new PartHeader(PartHeader.QUESTIONNAIRE, null, null),
          "{\"version\":1,\"language\":\"es\",\"what\":[\"assault\"]}".getBytes(StandardCharsets.UTF_8));
      try (OutputStream part = w.beginPart(new PartHeader(PartHeader.FILE, "video.mp4", "video/mp4"))) {
        byte[] block = new byte[1 << 20];
        for (long done = 0; done < bigSize; done += block.length) {
          part.write(block);
        }
      }
      w.finish();
    }
    Path target = cache().resolve("submissions/" + big + ".tgenv");
    Files.move(envelope, target);
    String sha;
    java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
    try (var in = new java.security.DigestInputStream(Files.newInputStream(target), d)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    sha = java.util.HexFormat.of().formatHex(d.digest());
    Files.write(cache().resolve("submissions/" + big + ".json"), HostileServer.JSON.writeValueAsBytes(
        HostileServer.JSON.createObjectNode().put("seq", seq).put("id", big).put("context", "report")
            .put("receivedDay", "2026-11-28").put("size", Files.size(target)).put("sha256", sha)
            .put("hasMailbox", false).put("caseId", big)));

    CliResult list = reviewer("list");
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.out()).contains("45 report(s) (43 not valid reports")
        .contains(normal.substring(0, 12)).contains(big.substring(0, 12)).contains("robbery").contains("assault");
    assertThat(list.out().lines().filter(l -> l.contains("NOT A VALID REPORT")).count()).isEqualTo(43);
    assertThat(list.out()).contains("more than 100 parts").contains("not of version 1").contains("not a Testigo v1 payload")
        .contains("is over 262144 bytes");
    CliResult malformed = reviewer("list", "--filter", "malformed");
    assertThat(malformed.out()).contains("43 report(s)").doesNotContain(normal.substring(0, 12));

    CliResult show = reviewer("show", normal, "--lang", "en");
    assertThat(show.code()).as(show.err()).isZero();
    assertThat(show.out()).contains(MARKER).contains("foto.jpg");
    CliResult showBig = reviewer("show", big, "--lang", "en");
    assertThat(showBig.code()).as(showBig.err()).isZero();
    assertThat(showBig.out()).contains("video.mp4").contains(bigSize + " bytes");
    CliResult showFlood = reviewer("show", v2);
    assertThat(showFlood.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(showFlood.err()).contains("is not a valid report: the questionnaire does not follow version 1: it is not of version 1")
        .contains("close --filter malformed spam");

    Path out = Files.createTempDirectory("testigo-small-heap-");
    try {
      CliResult files = reviewer("files", big, "--out", out.toString());
      assertThat(files.code()).as(files.err()).isZero();
      assertThat(Files.size(out.resolve("video.mp4"))).isEqualTo(bigSize);
    } finally {
      ExportCommand.deleteTree(out);
    }
  }
}
