package org.testigo.cli.cases;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The compact binary encoding of the report index's plaintext (docs/spec/reviewer-api-and-batches.md
 * §8.2): unsigned LEB128 integers, and strings through a per-file table so that a value met
 * again (a day, a language, a category, a status) costs one small number and is one shared
 * {@code String} in memory. It replaced JSON because loading 100,000 entries as JSON was most of
 * what {@code list} cost (the reviewer benchmark).
 *
 * <p>Only the reviewer's own tool reads what it wrote, and only after the sealed file verified
 * ({@link org.testigo.crypto.envelope.LocalSealedFile}); still, every length is bounded and any
 * inconsistency throws {@link IOException}, which makes the caller rebuild the index.
 */
final class IndexCodec {
  /** Longest string the reader accepts (a problem text, an assignee alias are far shorter). */
  static final int MAX_STRING_BYTES = 1 << 16;
  /** Most items a list in one value may hold (categories, attachment sizes, referrals). */
  static final int MAX_LIST = 1 << 20;

  private IndexCodec() {}

  /** Writes values into a growing byte array. */
  static final class Out {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream(1 << 16);
    private final Map<String, Integer> table = new java.util.HashMap<>();

    void u(long v) {
      if (v < 0) {
        throw new IllegalArgumentException("negative value in the report index: " + v);
      }
      while ((v & ~0x7FL) != 0) {
        buf.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      buf.write((int) v);
    }

    void bool(boolean b) {
      buf.write(b ? 1 : 0);
    }

    /**
     * A string or null: 0 for null, {@code k + 1} for the k-th string of the table, or
     * {@code table size + 1} followed by a new string (length, UTF-8) that joins the table.
     */
    void str(String s) {
      if (s == null) {
        u(0);
        return;
      }
      Integer k = table.get(s);
      if (k != null) {
        u(k + 1L);
        return;
      }
      int next = table.size();
      table.put(s, next);
      u(next + 1L);
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      u(b.length);
      buf.write(b, 0, b.length);
    }

    /** A lowercase 32-hex-character id as 16 bytes (tag 1), anything else as a string (tag 0). */
    void id(String s) {
      if (s != null && s.length() == 32 && org.testigo.api.EnvelopeId.isCanonical(s)) {
        buf.write(1);
        byte[] b = HexFormat.of().parseHex(s);
        buf.write(b, 0, b.length);
      } else {
        buf.write(0);
        str(s);
      }
    }

    void strs(List<String> xs) {
      u(xs.size());
      for (String x : xs) {
        str(x);
      }
    }

    void longs(List<Long> xs) {
      u(xs.size());
      for (long x : xs) {
        u(x);
      }
    }

    byte[] toByteArray() {
      return buf.toByteArray();
    }
  }

  /** Reads what {@link Out} wrote; every defect is an {@link IOException}. */
  static final class In {
    private final byte[] b;
    private int pos;
    private final List<String> table = new ArrayList<>();

    In(byte[] b) {
      this.b = b;
    }

    boolean atEnd() {
      return pos == b.length;
    }

    /** Starts a new string table: what follows was written by another {@link Out} (a shard's body after its header). */
    void newTable() {
      table.clear();
    }

    private int byteAt() throws IOException {
      if (pos >= b.length) {
        throw new EOFException("the report index ends early");
      }
      return b[pos++] & 0xFF;
    }

    long u() throws IOException {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int x = byteAt();
        v |= (long) (x & 0x7F) << shift;
        if ((x & 0x80) == 0) {
          if (v < 0) {
            throw new IOException("a number out of range in the report index");
          }
          return v;
        }
      }
      throw new IOException("a number too long in the report index");
    }

    int count(int max) throws IOException {
      long n = u();
      if (n > max) {
        throw new IOException("a count out of range in the report index: " + n);
      }
      return (int) n;
    }

    boolean bool() throws IOException {
      int x = byteAt();
      if (x > 1) {
        throw new IOException("a flag out of range in the report index");
      }
      return x == 1;
    }

    String str() throws IOException {
      long k = u();
      if (k == 0) {
        return null;
      }
      if (k <= table.size()) {
        return table.get((int) k - 1);
      }
      if (k != table.size() + 1L) {
        throw new IOException("a string reference out of range in the report index");
      }
      int n = count(MAX_STRING_BYTES);
      if (n > b.length - pos) {
        throw new EOFException("the report index ends early");
      }
      String s = new String(b, pos, n, StandardCharsets.UTF_8);
      pos += n;
      table.add(s);
      return s;
    }

    String id() throws IOException {
      int tag = byteAt();
      if (tag == 1) {
        if (b.length - pos < 16) {
          throw new EOFException("the report index ends early");
        }
        String s = HexFormat.of().formatHex(b, pos, pos + 16);
        pos += 16;
        return s;
      }
      if (tag != 0) {
        throw new IOException("an id tag out of range in the report index");
      }
      return str();
    }

    List<String> strs() throws IOException {
      int n = count(MAX_LIST);
      if (n == 0) {
        return List.of();
      }
      String[] out = new String[n];
      for (int i = 0; i < n; i++) {
        out[i] = str();
        if (out[i] == null) {
          throw new IOException("a null in a list of the report index");
        }
      }
      return List.of(out);
    }

    List<Long> longs() throws IOException {
      int n = count(MAX_LIST);
      if (n == 0) {
        return List.of();
      }
      Long[] out = new Long[n];
      for (int i = 0; i < n; i++) {
        out[i] = u();
      }
      return List.of(out);
    }

    <E extends Enum<E>> E enumValue(Class<E> type) throws IOException {
      String s = str();
      if (s == null) {
        return null;
      }
      try {
        return Enum.valueOf(type, s);
      } catch (IllegalArgumentException e) {
        throw new IOException("an unknown " + type.getSimpleName() + " in the report index");
      }
    }
  }

  static void entry(Out o, ReportIndex.Entry e) {
    o.id(e.id());
    o.u(e.seq() == Long.MAX_VALUE ? 0 : e.seq() + 1);
    o.str(e.context());
    if (e.id().equals(e.caseId())) {
      o.bool(true);
    } else {
      o.bool(false);
      o.id(e.caseId());
    }
    o.str(e.receivedDay());
    o.u(e.size());
    o.bool(e.hasMailbox());
    o.str(e.stamp());
    o.str(e.kind().name());
    o.str(e.problem());
    o.str(e.language());
    o.strs(e.what());
    o.strs(e.who());
    o.str(e.state());
    o.str(e.minors());
    o.bool(e.wantsReply());
    o.longs(e.files());
  }

  static ReportIndex.Entry entry(In in) throws IOException {
    String id = in.id();
    long seq = in.u();
    String context = in.str();
    String caseId = in.bool() ? id : in.id();
    String day = in.str();
    long size = in.u();
    boolean mailbox = in.bool();
    String stamp = in.str();
    ReportIndex.Kind kind = in.enumValue(ReportIndex.Kind.class);
    String problem = in.str();
    String language = in.str();
    List<String> what = in.strs();
    List<String> who = in.strs();
    String state = in.str();
    String minors = in.str();
    boolean wants = in.bool();
    List<Long> files = in.longs();
    if (id == null || context == null || caseId == null || day == null || stamp == null || kind == null) {
      throw new IOException("an incomplete entry in the report index");
    }
    return new ReportIndex.Entry(id, seq == 0 ? Long.MAX_VALUE : seq - 1, context, caseId, day, size, mailbox, stamp,
        kind, problem, language, what, who, state, minors, wants, files);
  }

  static void replayedCase(Out o, ReportIndex.Case c) {
    o.id(c.caseId());
    o.str(c.status().name());
    o.str(c.assignee());
    o.str(c.priority().name());
    o.str(c.outcome() == null ? null : c.outcome().name());
    o.strs(c.labels());
    o.str(c.acknowledgedAt());
    o.str(c.firstFeedbackAt());
    o.str(c.closedAt());
    o.u(c.referrals().size());
    for (ReportIndex.Referral r : c.referrals()) {
      o.str(r.to());
      o.str(r.state());
      o.str(r.institution());
      o.str(r.reference());
      o.str(r.date());
      o.str(r.event());
      List<ReportIndex.Stage> stages = r.stages() == null ? List.of() : r.stages();
      o.u(stages.size());
      for (ReportIndex.Stage s : stages) {
        o.str(s.stage());
        o.str(s.date());
      }
    }
    o.str(c.legalHold());
  }

  static ReportIndex.Case replayedCase(In in) throws IOException {
    String caseId = in.id();
    Status status = in.enumValue(Status.class);
    String assignee = in.str();
    Priority priority = in.enumValue(Priority.class);
    Outcome outcome = in.enumValue(Outcome.class);
    List<String> labels = in.strs();
    String ack = in.str();
    String feedback = in.str();
    String closed = in.str();
    int n = in.count(MAX_LIST);
    List<ReportIndex.Referral> refs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String to = in.str();
      String state = in.str();
      String institution = in.str();
      String reference = in.str();
      String date = in.str();
      String event = in.str();
      int k = in.count(MAX_LIST);
      List<ReportIndex.Stage> stages = new ArrayList<>(k);
      for (int j = 0; j < k; j++) {
        String stage = in.str();
        String day = in.str();
        if (stage == null || day == null) {
          throw new IOException("an incomplete referral stage in the report index");
        }
        stages.add(new ReportIndex.Stage(stage, day));
      }
      if (to == null || date == null) {
        throw new IOException("an incomplete referral in the report index");
      }
      refs.add(new ReportIndex.Referral(to, state, institution, reference, date, event, List.copyOf(stages)));
    }
    String hold = in.str();
    if (caseId == null || status == null || priority == null) {
      throw new IOException("an incomplete case in the report index");
    }
    return new ReportIndex.Case(caseId, status, assignee, priority, outcome, labels, ack, feedback, closed,
        List.copyOf(refs), hold);
  }
}
