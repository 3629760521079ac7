package org.testigo.cli.cases;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.testigo.cli.remote.PrivateFiles;
import org.testigo.crypto.envelope.LocalSealedFile;
import org.testigo.crypto.key.RecipientPrivateKey;

/**
 * How the report index is kept on disk (docs/spec/reviewer-api-and-batches.md §8.2): a sealed
 * <em>head</em> ({@code <fingerprint>.tgidx}) and up to 256 sealed <em>shards</em>
 * ({@code <fingerprint>.shards/XX-GEN.tgidx}), shard {@code XX} holding the entries whose
 * id starts with the hex byte {@code XX}, and the cases (with their events and follow-up ids)
 * whose case id does. {@code show ID} and {@code files ID} read the head and the two or three
 * shards of one case instead of the whole index; {@code list} reads every shard, in parallel.
 *
 * <p>A shard's generation {@code GEN} is the first 8 bytes of the SHA-256 of its body; the head
 * names the generation of every shard, and a shard must carry the generation the head names,
 * so a head and shards from different writes are never mixed (the reader rebuilds instead).
 * A write puts the changed shards under new names first, then the head by an atomic rename,
 * then removes the files the head no longer names: a crash leaves the old index or the new one.
 */
final class IndexStore {
  static final int SHARDS = 256;
  static final String SUFFIX = ".tgidx";

  private IndexStore() {}

  /** What the head holds. {@code gens[i]} is 0 for an empty shard. {@code refused}: events that did not verify. */
  record Head(String basis, long submissionsMtime, long eventsMtime, long[] gens, List<Long> refused) {}

  /** One shard's content. {@code links}: for each case of the shard, the ids of its follow-ups (any shard). */
  record Shard(List<ReportIndex.Entry> entries, List<ReportIndex.Case> cases, Map<Long, String> events,
      Map<String, List<String>> links) {
    static Shard empty() {
      return new Shard(List.of(), List.of(), Map.of(), Map.of());
    }
  }

  /** The index of the file is not this version's, this server's or this reviewer's. */
  static final class OtherVersionException extends IOException {
    OtherVersionException() {
      super("written by another version of testigo-reviewer, or for another server or key");
    }
  }

  /**
   * An advisory lock on {@code <F>.lock} beside the head, held shared while a command reads the
   * index and exclusively while one writes it, so that a write's clean-up never removes a shard
   * that another command (another terminal, the inbox) is about to read. Within one JVM a second
   * lock on the same file is not possible (the JVM refuses overlapping locks); there the lock is
   * skipped, and a read that loses a shard rebuilds the index as for any defect.
   */
  static Lock lock(Path head, boolean shared) throws IOException {
    String name = head.getFileName().toString();
    Path dir = head.toAbsolutePath().getParent();
    if (shared && !Files.isDirectory(dir)) {
      return () -> { };
    }
    Path file = PrivateFiles.directory(dir).resolve(name.substring(0, name.length() - SUFFIX.length()) + ".lock");
    java.nio.channels.FileChannel channel;
    try {
      channel = java.nio.channels.FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE,
          StandardOpenOption.READ, StandardOpenOption.WRITE), java.nio.file.attribute.PosixFilePermissions
          .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    } catch (IOException e) {
      if (shared) {
        // A read-only or full disk, or a lock file that is not a file: reading still works (nothing
        // is removed under a reader that cannot write either); a write fails and says why.
        return () -> { };
      }
      throw e;
    }
    try {
      channel.lock(0, Long.MAX_VALUE, shared);
      return channel::close;
    } catch (java.nio.channels.OverlappingFileLockException e) {
      channel.close();
      return () -> { };
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** A held lock (or none, where none could be taken); closing releases it. */
  interface Lock extends AutoCloseable {
    @Override
    void close() throws IOException;
  }

  /** The shard of an id: its first hex byte (ids are hex; anything else is spread by hash). */
  static int shardOf(String id) {
    if (id.length() >= 2) {
      int hi = hexDigit(id.charAt(0));
      int lo = hexDigit(id.charAt(1));
      if (hi >= 0 && lo >= 0) {
        return hi * 16 + lo;
      }
    }
    return Math.floorMod(id.hashCode(), SHARDS);
  }

  private static int hexDigit(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  }

  static Path shardDirectory(Path head) {
    String name = head.getFileName().toString();
    return head.resolveSibling(name.substring(0, name.length() - SUFFIX.length()) + ".shards");
  }

  private static String headPurpose(String server) {
    return "report-index v2 " + server;
  }

  private static String shardPurpose(String server, int shard) {
    return "report-index v2 " + server + " shard " + shard;
  }

  private static Path shardFile(Path dir, int shard, long gen) {
    return dir.resolve(String.format("%02x-%016x", shard, gen) + SUFFIX);
  }

  /** The head, or null if there is none. Throws if it does not verify or is another version's. */
  static Head readHead(Path head, String server, String reviewer, RecipientPrivateKey key) throws IOException {
    byte[] plain;
    try {
      plain = open(head, key, headPurpose(server));
    } catch (NoSuchFileException e) {
      return null;
    }
    IndexCodec.In in = new IndexCodec.In(plain);
    if (in.u() != ReportIndex.VERSION || !server.equals(in.str()) || !reviewer.equals(in.str())) {
      throw new OtherVersionException();
    }
    String basis = in.str();
    long subs = in.u();
    long evs = in.u();
    long[] gens = new long[SHARDS];
    for (int i = 0; i < SHARDS; i++) {
      gens[i] = in.u();
    }
    int n = in.count(IndexCodec.MAX_LIST);
    List<Long> refused = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      refused.add(in.u());
    }
    if (!in.atEnd() || basis == null) {
      throw new java.io.IOException("the head of the report index has trailing or missing data");
    }
    return new Head(basis, subs, evs, gens, List.copyOf(refused));
  }

  /** Shard {@code shard} of generation {@code gen} (empty for generation 0); throws if it is not exactly that. */
  static Shard readShard(Path head, int shard, long gen, String server, String reviewer, RecipientPrivateKey key)
      throws IOException {
    if (gen == 0) {
      return Shard.empty();
    }
    byte[] plain = open(shardFile(shardDirectory(head), shard, gen), key, shardPurpose(server, shard));
    IndexCodec.In in = new IndexCodec.In(plain);
    if (in.u() != ReportIndex.VERSION || !server.equals(in.str()) || !reviewer.equals(in.str())
        || in.u() != shard || in.u() != gen) {
      throw new java.io.IOException("a shard of the report index does not belong to its head");
    }
    in.newTable();
    int ne = in.count(Integer.MAX_VALUE);
    List<ReportIndex.Entry> entries = new ArrayList<>(Math.min(ne, 1 << 16));
    for (int i = 0; i < ne; i++) {
      ReportIndex.Entry e = IndexCodec.entry(in);
      if (shardOf(e.id()) != shard) {
        throw new java.io.IOException("an entry in the wrong shard of the report index");
      }
      entries.add(e);
    }
    int nc = in.count(Integer.MAX_VALUE);
    List<ReportIndex.Case> cases = new ArrayList<>(Math.min(nc, 1 << 16));
    for (int i = 0; i < nc; i++) {
      ReportIndex.Case c = IndexCodec.replayedCase(in);
      if (shardOf(c.caseId()) != shard) {
        throw new java.io.IOException("a case in the wrong shard of the report index");
      }
      cases.add(c);
    }
    int nv = in.count(Integer.MAX_VALUE);
    Map<Long, String> events = new java.util.HashMap<>();
    for (int i = 0; i < nv; i++) {
      long seq = in.u();
      String c = in.id();
      if (c == null || shardOf(c) != shard) {
        throw new java.io.IOException("an event in the wrong shard of the report index");
      }
      events.put(seq, c);
    }
    int nl = in.count(Integer.MAX_VALUE);
    Map<String, List<String>> links = new java.util.HashMap<>();
    for (int i = 0; i < nl; i++) {
      String c = in.id();
      int k = in.count(IndexCodec.MAX_LIST);
      List<String> ids = new ArrayList<>(k);
      for (int j = 0; j < k; j++) {
        ids.add(in.id());
      }
      if (c == null || ids.contains(null)) {
        throw new java.io.IOException("a follow-up link without an id in the report index");
      }
      links.put(c, List.copyOf(ids));
    }
    if (!in.atEnd()) {
      throw new java.io.IOException("trailing data in a shard of the report index");
    }
    return new Shard(entries, cases, events, links);
  }

  /**
   * The largest index file read: a quarter of the heap (a head or shard larger than that is not
   * one this tool wrote for a caseload it can hold in memory; it is refused and rebuilt).
   */
  static long maxFileBytes() {
    return Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 4);
  }

  private static byte[] open(Path file, RecipientPrivateKey key, String purpose) throws IOException {
    java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(file,
        java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    if (!a.isRegularFile()) {
      throw new IOException("not a regular file: " + file.getFileName());
    }
    if (a.size() > maxFileBytes()) {
      throw new IOException("larger than this tool writes (" + a.size() + " bytes): " + file.getFileName());
    }
    byte[] sealed;
    try (InputStream raw = Files.newInputStream(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      sealed = raw.readNBytes((int) maxFileBytes() + 1);
    }
    if (sealed.length > maxFileBytes()) {
      throw new IOException("larger than this tool writes: " + file.getFileName());
    }
    try (InputStream in = LocalSealedFile.opening(new ByteArrayInputStream(sealed), key, purpose)) {
      return in.readAllBytes();
    }
  }

  /**
   * Writes the index: every shard whose body changed (its generation differs from
   * {@code onDisk}) under its new name, then the head, then removes what the head no longer
   * names. Returns the generations now on disk.
   */
  static long[] write(Path head, String server, String reviewer, RecipientPrivateKey key, String basis,
      long submissionsMtime, long eventsMtime, Map<String, ReportIndex.Entry> entries,
      Map<String, ReportIndex.Case> cases, Map<Long, String> events, long[] onDisk) throws IOException {
    List<List<ReportIndex.Entry>> byShardEntries = buckets();
    for (ReportIndex.Entry e : entries.values()) {
      byShardEntries.get(shardOf(e.id())).add(e);
    }
    List<List<ReportIndex.Case>> byShardCases = buckets();
    for (ReportIndex.Case c : cases.values()) {
      byShardCases.get(shardOf(c.caseId())).add(c);
    }
    List<TreeMap<Long, String>> byShardEvents = new ArrayList<>();
    for (int i = 0; i < SHARDS; i++) {
      byShardEvents.add(new TreeMap<>());
    }
    List<Long> refused = new ArrayList<>();
    events.forEach((seq, c) -> {
      if (c == null) {
        refused.add(seq);
      } else {
        byShardEvents.get(shardOf(c)).put(seq, c);
      }
    });
    refused.sort(null);
    List<TreeMap<String, List<String>>> byShardLinks = new ArrayList<>();
    for (int i = 0; i < SHARDS; i++) {
      byShardLinks.add(new TreeMap<>());
    }
    for (ReportIndex.Entry e : entries.values()) {
      if (!e.id().equals(e.caseId())) {
        byShardLinks.get(shardOf(e.caseId())).computeIfAbsent(e.caseId(), k -> new ArrayList<>()).add(e.id());
      }
    }
    if (Files.isSymbolicLink(shardDirectory(head))) {
      // The shards stay inside the reviewer's 0700 home, never wherever a link points.
      throw new IOException(shardDirectory(head) + " is a symbolic link; remove it");
    }
    Path dir = PrivateFiles.directory(shardDirectory(head));
    long[] gens = new long[SHARDS];
    Set<String> keep = new HashSet<>();
    for (int s = 0; s < SHARDS; s++) {
      List<ReportIndex.Entry> es = byShardEntries.get(s);
      List<ReportIndex.Case> cs = byShardCases.get(s);
      if (es.isEmpty() && cs.isEmpty() && byShardEvents.get(s).isEmpty() && byShardLinks.get(s).isEmpty()) {
        continue;
      }
      es.sort(java.util.Comparator.comparing(ReportIndex.Entry::id));
      cs.sort(java.util.Comparator.comparing(ReportIndex.Case::caseId));
      IndexCodec.Out body = new IndexCodec.Out();
      body.u(es.size());
      for (ReportIndex.Entry e : es) {
        IndexCodec.entry(body, e);
      }
      body.u(cs.size());
      for (ReportIndex.Case c : cs) {
        IndexCodec.replayedCase(body, c);
      }
      body.u(byShardEvents.get(s).size());
      for (Map.Entry<Long, String> ev : byShardEvents.get(s).entrySet()) {
        body.u(ev.getKey());
        body.id(ev.getValue());
      }
      body.u(byShardLinks.get(s).size());
      for (Map.Entry<String, List<String>> l : byShardLinks.get(s).entrySet()) {
        body.id(l.getKey());
        List<String> ids = l.getValue();
        ids.sort(null);
        body.u(ids.size());
        for (String id : ids) {
          body.id(id);
        }
      }
      byte[] bodyBytes = body.toByteArray();
      long gen = generation(bodyBytes);
      gens[s] = gen;
      Path file = shardFile(dir, s, gen);
      keep.add(file.getFileName().toString());
      if (onDisk != null && onDisk[s] == gen && Files.exists(file)) {
        continue;
      }
      IndexCodec.Out header = new IndexCodec.Out();
      header.u(ReportIndex.VERSION);
      header.str(server);
      header.str(reviewer);
      header.u(s);
      header.u(gen);
      seal(file, key, shardPurpose(server, s), header.toByteArray(), bodyBytes);
    }
    PrivateFiles.force(dir);
    IndexCodec.Out h = new IndexCodec.Out();
    h.u(ReportIndex.VERSION);
    h.str(server);
    h.str(reviewer);
    h.str(basis);
    h.u(submissionsMtime);
    h.u(eventsMtime);
    for (long g : gens) {
      h.u(g);
    }
    h.u(refused.size());
    for (long seq : refused) {
      h.u(seq);
    }
    seal(head, key, headPurpose(server), h.toByteArray(), new byte[0]);
    PrivateFiles.force(head.getParent());
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (!keep.contains(p.getFileName().toString())) {
          Files.deleteIfExists(p);
        }
      }
    }
    return gens;
  }

  private static <T> List<List<T>> buckets() {
    List<List<T>> out = new ArrayList<>(SHARDS);
    for (int i = 0; i < SHARDS; i++) {
      out.add(new ArrayList<>());
    }
    return out;
  }

  /** The first 8 bytes of SHA-256(body) as a positive number (never 0, which means "empty"). */
  static long generation(byte[] body) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(body);
      long g = 0;
      for (int i = 0; i < 8; i++) {
        g = (g << 8) | (d[i] & 0xFF);
      }
      g &= Long.MAX_VALUE;
      return g == 0 ? 1 : g;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Seals {@code a || b} into {@code target} through a temporary file, forced, and an atomic rename. */
  private static void seal(Path target, RecipientPrivateKey key, String purpose, byte[] a, byte[] b)
      throws IOException {
    Path tmp = PrivateFiles.temp(target);
    try {
      try (OutputStream raw = Files.newOutputStream(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
          OutputStream sealed = LocalSealedFile.sealing(new java.io.BufferedOutputStream(raw, 1 << 16), key, purpose,
              RANDOM)) {
        sealed.write(a);
        sealed.write(b);
      }
      PrivateFiles.force(tmp);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

}
