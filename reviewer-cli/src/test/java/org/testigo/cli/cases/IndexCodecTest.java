package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.event.CaseId;

/**
 * The binary encoding of the report index (docs/spec/reviewer-api-and-batches.md §8.2): every
 * value round-trips, a truncated or altered encoding is refused with an {@link IOException}
 * and never another exception, and the shortcuts {@code list} takes (a fresh case without a
 * replay, a received day read by hand, a cell with nothing to escape) give exactly what the
 * general code gives.
 */
class IndexCodecTest {
  static final Random RANDOM = new Random(20_261_207L);
  static final String[] WORDS = {"es", "ht", "extortion", "robbery", "inm", "gn", "CHP", "yes", "no", "unknown",
      "ñandú", "Kreyòl ayisyen", "報告", "a\tb", "x\ny", "\u202eevil", "emoji \ud83d\ude00", ""};

  static String word() {
    return WORDS[RANDOM.nextInt(WORDS.length)];
  }

  static String maybe() {
    return RANDOM.nextInt(4) == 0 ? null : word();
  }

  static String id() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  static ReportIndex.Entry entry() {
    String id = RANDOM.nextInt(10) == 0 ? "NOT-HEX-" + RANDOM.nextInt(1000) : id();
    String caseId = RANDOM.nextBoolean() ? id : id();
    List<String> what = new ArrayList<>();
    for (int i = RANDOM.nextInt(4); i > 0; i--) {
      what.add(word());
    }
    List<Long> files = new ArrayList<>();
    for (int i = RANDOM.nextInt(4); i > 0; i--) {
      files.add(RANDOM.nextLong() & Long.MAX_VALUE);
    }
    return new ReportIndex.Entry(id, RANDOM.nextInt(5) == 0 ? Long.MAX_VALUE : RANDOM.nextLong() & 0xFFFFFFFFFFL,
        RANDOM.nextBoolean() ? "report" : "follow-up", caseId, "2026-0" + (1 + RANDOM.nextInt(9)) + "-1"
        + RANDOM.nextInt(10), RANDOM.nextInt(1 << 30), RANDOM.nextBoolean(), RANDOM.nextLong(1L << 40) + ":"
        + RANDOM.nextLong(1L << 62) + ":9:1", ReportIndex.Kind.values()[RANDOM.nextInt(ReportIndex.Kind.values().length)],
        maybe(), maybe(), List.copyOf(what), List.copyOf(what.subList(0, what.size() / 2)), maybe(), maybe(),
        RANDOM.nextBoolean(), List.copyOf(files));
  }

  static ReportIndex.Case replayedCase() {
    List<ReportIndex.Referral> refs = new ArrayList<>();
    for (int i = RANDOM.nextInt(3); i > 0; i--) {
      List<ReportIndex.Stage> stages = new ArrayList<>();
      for (int k = RANDOM.nextInt(3); k > 0; k--) {
        stages.add(new ReportIndex.Stage(word(), "2026-02-0" + (1 + k)));
      }
      refs.add(new ReportIndex.Referral(word(), maybe(), maybe(), maybe(), "2026-03-01", RANDOM.nextBoolean() ? id()
          : null, List.copyOf(stages)));
    }
    return new ReportIndex.Case(id(), Status.values()[RANDOM.nextInt(Status.values().length)], maybe(),
        Priority.values()[RANDOM.nextInt(Priority.values().length)], RANDOM.nextBoolean() ? null
        : Outcome.values()[RANDOM.nextInt(Outcome.values().length)], List.of(word(), "label"),
        RANDOM.nextBoolean() ? "2026-03-03T10:00:00Z" : null, maybe(), maybe(), List.copyOf(refs), maybe());
  }

  /** Entries and cases written by one {@link IndexCodec.Out}, as a shard body writes them. */
  static byte[] encode(List<ReportIndex.Entry> entries, List<ReportIndex.Case> cases) {
    IndexCodec.Out out = new IndexCodec.Out();
    out.u(entries.size());
    entries.forEach(e -> IndexCodec.entry(out, e));
    out.u(cases.size());
    cases.forEach(c -> IndexCodec.replayedCase(out, c));
    return out.toByteArray();
  }

  static List<Object> decode(byte[] bytes) throws IOException {
    IndexCodec.In in = new IndexCodec.In(bytes);
    List<Object> out = new ArrayList<>();
    for (int n = in.count(IndexCodec.MAX_LIST); n > 0; n--) {
      out.add(IndexCodec.entry(in));
    }
    for (int n = in.count(IndexCodec.MAX_LIST); n > 0; n--) {
      out.add(IndexCodec.replayedCase(in));
    }
    if (!in.atEnd()) {
      throw new IOException("trailing data");
    }
    return out;
  }

  @Test
  void entriesAndCases_roundTrip() throws IOException {
    for (int round = 0; round < 200; round++) {
      List<ReportIndex.Entry> entries = new ArrayList<>();
      for (int i = RANDOM.nextInt(30); i > 0; i--) {
        entries.add(entry());
      }
      List<ReportIndex.Case> cases = new ArrayList<>();
      for (int i = RANDOM.nextInt(10); i > 0; i--) {
        cases.add(replayedCase());
      }
      List<Object> expected = new ArrayList<>(entries);
      expected.addAll(cases);
      assertThat(decode(encode(entries, cases))).isEqualTo(expected);
    }
  }

  /**
   * Known answer: two entries (a report, then a follow-up whose problem text is not ASCII) as a
   * shard body encodes them, bytes computed from the spec (§8.2) by a separate Python encoder.
   */
  @Test
  void twoEntries_encodeToTheKnownBytes() throws IOException {
    String report = "00112233445566778899aabbccddeeff";
    String followUp = "ffeeddccbbaa99887766554433221100";
    ReportIndex.Entry a = new ReportIndex.Entry(report, 7, "report", report, "2026-12-07", 11536, false,
        "11536:1:300:2", ReportIndex.Kind.REPORT, null, "es", List.of("extortion", "robbery"), List.of("inm"), "CHP",
        "yes", true, List.of(2048L));
    ReportIndex.Entry b = new ReportIndex.Entry(followUp, Long.MAX_VALUE, "follow-up", report, "2026-12-07", 1392,
        true, "1392:5:200:6", ReportIndex.Kind.MALFORMED, "más de 3000 partes", null, List.of(), List.of(), null, null,
        false, List.of());
    IndexCodec.Out out = new IndexCodec.Out();
    IndexCodec.entry(out, a);
    IndexCodec.entry(out, b);
    String expected = "0100112233445566778899aabbccddeeff0801067265706f727401020a323032362d31322d3037905a00030d3131"
        + "3533363a313a3330303a3204065245504f525400050265730206096578746f7274696f6e0707726f6262657279010803696e6d0903"
        + "4348500a037965730101801001ffeeddccbbaa99887766554433221100000b09666f6c6c6f772d7570000100112233445566778899"
        + "aabbccddeeff02f00a010c0c313339323a353a3230303a360d094d414c464f524d45440e136dc3a173206465203330303020706172"
        + "74657300000000000000";
    assertThat(HexFormat.of().formatHex(out.toByteArray())).isEqualTo(expected);
    IndexCodec.In in = new IndexCodec.In(HexFormat.of().parseHex(expected));
    assertThat(IndexCodec.entry(in)).isEqualTo(a);
    assertThat(IndexCodec.entry(in)).isEqualTo(b);
    assertThat(in.atEnd()).isTrue();
  }

  @Test
  void everyTruncation_isRefusedWithAnIoException() {
    byte[] whole = encode(List.of(entry(), entry(), entry()), List.of(replayedCase(), replayedCase()));
    for (int n = 0; n < whole.length; n++) {
      byte[] cut = java.util.Arrays.copyOf(whole, n);
      assertThatThrownBy(() -> decode(cut)).as("cut at " + n).isInstanceOf(IOException.class);
    }
  }

  @Test
  void alteredBytes_areRefusedOrDecodeToValidValues_neverAnotherException() {
    byte[] whole = encode(List.of(entry(), entry(), entry()), List.of(replayedCase(), replayedCase()));
    for (int round = 0; round < 20_000; round++) {
      byte[] bad = whole.clone();
      for (int k = 1 + RANDOM.nextInt(3); k > 0; k--) {
        bad[RANDOM.nextInt(bad.length)] = (byte) RANDOM.nextInt(256);
      }
      try {
        decode(bad);
      } catch (IOException refused) {
        // the documented refusal
      }
    }
  }

  @Test
  void aStringReferenceAheadOfTheTable_andHugeCounts_areRefused() {
    IndexCodec.Out out = new IndexCodec.Out();
    out.u(5);
    assertThatThrownBy(() -> new IndexCodec.In(out.toByteArray()).str()).isInstanceOf(IOException.class)
        .hasMessageContaining("out of range");
    IndexCodec.Out big = new IndexCodec.Out();
    big.u(Long.MAX_VALUE);
    assertThatThrownBy(() -> new IndexCodec.In(big.toByteArray()).count(IndexCodec.MAX_LIST))
        .isInstanceOf(IOException.class);
    byte[] tooLong = new byte[11];
    java.util.Arrays.fill(tooLong, (byte) 0xFF);
    assertThatThrownBy(() -> new IndexCodec.In(tooLong).u()).isInstanceOf(IOException.class);
  }

  @Test
  void freshCase_isWhatAReplayOfNoEventsGives() {
    for (int i = 0; i < 100; i++) {
      CaseId id = CaseId.fromHex(id());
      LocalDate day = LocalDate.of(2020, 1, 1).plusDays(RANDOM.nextInt(3000));
      assertThat(CaseReplay.fresh(id, day)).isEqualTo(CaseReplay.replay(id, day, List.of()));
    }
  }

  @Test
  void receivedDay_readsAsLocalDateParseReadsIt() {
    for (int i = 0; i < 2000; i++) {
      String s = String.format("%04d-%02d-%02d", RANDOM.nextInt(10_000), RANDOM.nextInt(14), RANDOM.nextInt(33));
      Object expected;
      try {
        expected = LocalDate.parse(s);
      } catch (DateTimeException e) {
        expected = e.getClass();
      }
      Object actual;
      try {
        actual = Deadlines.day(s);
      } catch (DateTimeException e) {
        actual = e.getClass();
      }
      assertThat(actual).as(s).isEqualTo(expected);
    }
    assertThat(Deadlines.day("2024-02-29")).isEqualTo(LocalDate.of(2024, 2, 29));
    assertThatThrownBy(() -> Deadlines.day("2023-02-29")).isInstanceOf(java.time.format.DateTimeParseException.class);
    assertThatThrownBy(() -> Deadlines.day("2023-1-29")).isInstanceOf(java.time.format.DateTimeParseException.class);
  }

  @Test
  void cellsWithNothingToEscape_areTheSameAsTheGeneralPathGives() {
    for (String w : WORDS) {
      for (int max : new int[] {1, 4, 12, 100}) {
        String general = Text.safe(w).replace('\n', ' ').replace('\t', ' ');
        String expected = general.codePointCount(0, general.length()) <= max ? general
            : general.substring(0, general.offsetByCodePoints(0, max - 1)) + "…";
        assertThat(Text.cell(w, max)).as(w + " / " + max).isEqualTo(expected);
      }
    }
    assertThat(Text.safe("a\u0007b")).isEqualTo("a\ufffdb");
    String plain = "plain text, nothing to escape";
    assertThat(Text.safe(plain)).isSameAs(plain);
  }

  @Test
  void overdueLines_areWhatPrintfWrote() {
    for (String kind : List.of("acknowledge", "first_feedback", "a_kind_longer_than_14")) {
      java.time.Instant due = java.time.Instant.parse("2026-12-15T00:00:00Z");
      assertThat(TriageCommands.Overdue.line(new StringBuilder(), "0011223344ab", "2026-12-07", kind, due, "new")
          .toString()).isEqualTo(String.format("%s  received %s  %-14s due %s  status %s%n", "0011223344ab",
          "2026-12-07", kind, due, "new"));
    }
  }
}
