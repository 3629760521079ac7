package org.testigo.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.testigo.api.EnvelopeId;
import org.testigo.api.client.Bounded;
import org.testigo.api.wire.WireFields;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.httpsig.ContentDigest;
import org.testigo.crypto.key.RecipientPrivateKey;

/**
 * The local cache of one server, {@code <home>/cache/<server>/}. It holds ONLY what the
 * server holds: ciphertext envelopes and signed events exactly as received (an event that
 * does not verify loses its sealed content, see ReportIndex#dropContent), the armored
 * manifest chain, the server's public metadata of each submission, and the sync cursors.
 * Nothing decrypted is ever written here. Layout (docs/spec/reviewer-api-and-batches.md):
 * <pre>
 *   state.json                      cursors and the highest manifest sequence seen
 *   manifest-chain.txt              the armored chain, verified from the pinned root
 *   submissions/ID.tgenv            an envelope, sha256 checked against the listing
 *   submissions/ID.json             the listing entry (seq, context, day, size, sha256, ...)
 *   events/SEQ.json                 a case event's listing, event and content (see CaseEvents)
 * </pre>
 */
public final class LocalCache {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;

  /**
   * One cached submission: the server's listing entry. {@code sha256} is the envelope as
   * first stored (its log leaf); {@code currentSha256} the cached form, whose header may have
   * been rewrapped {@code rewraps} times (docs/spec/reviewer-api-and-batches.md §5; equal to {@code sha256} and 0
   * from servers without rewraps).
   */
  public record Submission(long seq, String id, String context, String receivedDay, long size,
      String sha256, boolean hasMailbox, String caseId, String currentSha256, int rewraps) {
    /**
     * The entry with every field checked (docs/spec/reviewer-api-and-batches.md §7.3): {@code seq} a positive integer,
     * {@code id}/{@code caseId} 32 lowercase hex (a report is its own case), {@code context}
     * report or follow-up, {@code receivedDay} a real day, {@code size} a positive integer,
     * {@code sha256} (and {@code currentSha256} if present) 64 lowercase hex, {@code rewraps}
     * 0..1,000,000. JSON types must be the right ones: "5" is not a number.
     */
    public static Submission parse(JsonNode n) throws WireFields.InvalidEntryException {
      org.testigo.api.wire.Submission w = org.testigo.api.wire.Submission.parse(n);
      return new Submission(w.seq(), w.id(), w.context(), w.receivedDay(), w.size(), w.sha256(), w.hasMailbox(),
          w.caseId(), w.currentSha256(), w.rewraps());
    }

    ObjectNode toJson() {
      ObjectNode o = JSON.createObjectNode();
      o.put("seq", seq).put("id", id).put("context", context).put("receivedDay", receivedDay).put("size", size)
          .put("sha256", sha256).put("hasMailbox", hasMailbox).put("caseId", caseId);
      if (!currentSha256.equals(sha256) || rewraps != 0) {
        o.put("currentSha256", currentSha256).put("rewraps", rewraps);
      }
      return o;
    }

    /** The day as a date; always valid for an entry that {@link #parse} accepted. */
    public java.time.LocalDate day() {
      return java.time.LocalDate.parse(receivedDay);
    }
  }

  /**
   * The largest envelope header (context of 64 bytes, 64 recipients): a rewrap may replace a
   * header of one recipient by one of 64, so a cached envelope may exceed its listed size by
   * at most this.
   */
  public static final long HEADER_BOUND = 73 + 64 + 1201L * 64;

  private LocalCache(Path dir) {
    this.dir = dir;
  }

  public static LocalCache open(Path home, String server) throws IOException {
    Path d = home.resolve("cache").resolve(server);
    PrivateFiles.directory(d.resolve("submissions"));
    PrivateFiles.directory(d.resolve("events"));
    return new LocalCache(d);
  }

  public Path directory() {
    return dir;
  }

  /**
   * Deletes the temporary files ({@code .tmp-*.part}, ciphertext or nothing) that a command
   * killed while writing left in this cache, if older than {@code age} or dated more than
   * {@code age} in the future (a wrong clock at the time; a running command's
   * temporary files live for a moment, so another command's are never touched). Symbolic
   * links and other non-regular files are left alone. Returns how many were deleted.
   */
  public int sweepStaleTemps(java.time.Duration age) throws IOException {
    java.time.Instant now = java.time.Instant.now();
    java.time.Instant before = now.minus(age);
    java.time.Instant after = now.plus(age); // dated in the future: written under a wrong clock
    int deleted = 0;
    // the cache and its subdirectories, each listed through the name pattern: no file of a
    // 100,000-report cache is looked at unless it is named like a temporary file
    List<Path> dirs = new ArrayList<>(List.of(dir));
    try (DirectoryStream<Path> subs = Files.newDirectoryStream(dir, p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
        && !p.getFileName().toString().startsWith("."))) {
      subs.forEach(dirs::add);
    }
    for (Path d : dirs) {
      try (DirectoryStream<Path> temps = Files.newDirectoryStream(d, ".tmp-*.part")) {
        for (Path p : temps) {
          java.nio.file.attribute.BasicFileAttributes a;
          try {
            a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          } catch (java.nio.file.NoSuchFileException gone) {
            continue; // renamed or removed by the command that wrote it
          }
          java.time.Instant modified = a.lastModifiedTime().toInstant();
          if (a.isRegularFile() && (modified.isBefore(before) || modified.isAfter(after)) && Files.deleteIfExists(p)) {
            deleted++;
          }
        }
      }
    }
    return deleted;
  }


  /** The highest manifest sequence seen (rollback protection): never rewound. */
  public static final String MANIFEST_SEQUENCE = "manifestSequence";

  /**
   * Sets every feed cursor back to the start (what {@code sync --rescan} does), keeping the
   * highest manifest sequence seen: the next sync reads every feed again and keeps and checks
   * what is cached.
   */
  public void rewindFeeds() throws IOException {
    ObjectNode s = state();
    List<String> names = new java.util.ArrayList<>();
    s.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      if (!MANIFEST_SEQUENCE.equals(name)) {
        s.put(name, 0L);
      }
    }
    PrivateFiles.writeAtomically(dir.resolve("state.json"), JSON.writeValueAsBytes(s));
  }

  public long cursor(String name) throws IOException {
    return state().path(name).asLong(0);
  }

  public void setCursor(String name, long value) throws IOException {
    ObjectNode s = state();
    s.put(name, value);
    PrivateFiles.writeAtomically(dir.resolve("state.json"), JSON.writeValueAsBytes(s));
  }

  private ObjectNode state() throws IOException {
    Path f = dir.resolve("state.json");
    return Files.exists(f) ? (ObjectNode) JSON.readTree(f.toFile()) : JSON.createObjectNode();
  }

  public void saveManifest(String armored) throws IOException {
    PrivateFiles.writeAtomically(dir.resolve("manifest-chain.txt"), armored.getBytes(StandardCharsets.US_ASCII));
  }

  public Optional<String> manifest() throws IOException {
    Path f = dir.resolve("manifest-chain.txt");
    return Files.exists(f) ? Optional.of(Files.readString(f, StandardCharsets.US_ASCII)) : Optional.empty();
  }

  public boolean hasEnvelope(String id) {
    return Files.exists(envelope(id));
  }

  public Path envelope(String id) {
    return dir.resolve("submissions").resolve(checkId(id) + ".tgenv");
  }

  /**
   * Stores a downloaded envelope if its SHA-256 equals the listed one; returns false (and
   * stores nothing) otherwise. Reading stops after {@link #maxBytes} bytes with a
   * {@link Bounded.TooLargeException}; the temporary file is deleted and nothing is stored. The file appears under its final name only when complete.
   * The files are not forced to disk: see {@link #storeEnvelope(Submission, InputStream, PendingForces)}.
   */
  public boolean storeEnvelope(Submission s, InputStream content) throws IOException {
    return storeEnvelope(s, content, null);
  }

  /**
   * As {@link #storeEnvelope(Submission, InputStream)}, and hands the envelope and its listing
   * file, still open, to {@code forces}, which forces them to disk while the next envelopes
   * are downloaded: {@link #force(PendingForces)} waits for them before the sync cursor moves
   * past them, and {@link #hasIntactEnvelope} re-checks what a crash after the last
   * checkpoint may have left. Each file is created and written through one open
   * ({@link PrivateFiles#openTemp}).
   */
  public boolean storeEnvelope(Submission s, InputStream content, PendingForces forces) throws IOException {
    Path target = envelope(s.id());
    PrivateFiles.OpenTemp env = PrivateFiles.openTemp(target.getParent());
    PrivateFiles.OpenTemp json = null;
    boolean stored = false;
    try {
      MessageDigest d = ContentDigest.newDigest();
      try (InputStream in = new DigestInputStream(new Bounded.LimitedInputStream(content, maxBytes(s),
          "envelope " + s.id()), d)) {
        copy(in, env.channel());
      }
      if (!HexFormat.of().formatHex(d.digest()).equals(s.currentSha256())) {
        return false;
      }
      json = PrivateFiles.openTemp(target.getParent());
      writeFully(json.channel(), ByteBuffer.wrap(JSON.writeValueAsBytes(s.toJson())));
      Files.move(json.path(), listing(s.id()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Files.move(env.path(), target, StandardCopyOption.ATOMIC_MOVE);
      stored = true;
    } finally {
      if (!stored) {
        env.channel().close();
        Files.deleteIfExists(env.path());
        if (json != null) {
          json.channel().close();
          Files.deleteIfExists(json.path());
        }
      }
    }
    if (forces == null) {
      json.channel().close();
      env.channel().close();
      return true;
    }
    try {
      forces.add(json.channel());
    } catch (IOException e) {
      env.channel().close();
      throw e;
    }
    forces.add(env.channel());
    return true;
  }

  /** Copies in writes of up to 64 KiB (an envelope of a typical report is one write). */
  private static void copy(InputStream in, FileChannel out) throws IOException {
    byte[] buf = new byte[64 * 1024];
    while (true) {
      int n = in.readNBytes(buf, 0, buf.length);
      if (n > 0) {
        writeFully(out, ByteBuffer.wrap(buf, 0, n));
      }
      if (n < buf.length) {
        return;
      }
    }
  }

  private static void writeFully(FileChannel out, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      out.write(b);
    }
  }

  /** The most bytes the envelope of {@code s} may have: its listed size plus {@link #HEADER_BOUND}. */
  public static long maxBytes(Submission s) {
    return s.size() + HEADER_BOUND;
  }

  /** What {@link #replaceHeader} did. */
  public enum HeaderReplacement {
    REPLACED,
    /** The result's SHA-256 is not the expected one (or the cached envelope has no header). */
    MISMATCH,
    /** The result does not open with the reviewer's key: the cached copy keeps its header. */
    DOES_NOT_OPEN
  }

  /**
   * Replaces the header of a cached envelope by {@code newHeader} (a rewrap of generation
   * {@code generation}), keeping its payload bytes, if the result's SHA-256 is
   * {@code expectedSha256} and the result opens, payload and all, with {@code key}; changes
   * nothing otherwise. A rewrap the reviewer cannot open never replaces a copy they can: a
   * seized server could otherwise send a header that matches its own listing and destroy the
   * reviewer's copy of every report. The listing entry records the new SHA-256 and generation.
   * Both files are replaced atomically.
   */
  public HeaderReplacement replaceHeader(String id, byte[] newHeader, String expectedSha256, int generation,
      RecipientPrivateKey key) throws IOException {
    Path target = envelope(id);
    Path json = dir.resolve("submissions").resolve(checkId(id) + ".json");
    long oldHeader;
    try (InputStream in = Files.newInputStream(target)) {
      oldHeader = Envelope.inspectHeader(in).headerLength();
    } catch (CryptoException e) {
      return HeaderReplacement.MISMATCH;
    }
    Path tmp = PrivateFiles.temp(target);
    try {
      MessageDigest d = ContentDigest.newDigest();
      try (InputStream in = Files.newInputStream(target);
          var out = new java.security.DigestOutputStream(
              Files.newOutputStream(tmp, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING), d)) {
        out.write(newHeader);
        in.skipNBytes(oldHeader);
        in.transferTo(out);
      }
      if (!HexFormat.of().formatHex(d.digest()).equals(expectedSha256)) {
        return HeaderReplacement.MISMATCH;
      }
      ObjectNode listing = (ObjectNode) JSON.readTree(json.toFile());
      try (InputStream in = Files.newInputStream(tmp)) {
        Envelope.open(in, java.io.OutputStream.nullOutputStream(), key, listing.path("context").asText());
      } catch (CryptoException | IllegalArgumentException e) {
        return HeaderReplacement.DOES_NOT_OPEN;
      }
      listing.put("currentSha256", expectedSha256);
      listing.put("rewraps", generation);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      PrivateFiles.writeAtomically(json, JSON.writeValueAsBytes(listing));
      return HeaderReplacement.REPLACED;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * True if the envelope of {@code listing} is cached with the listed SHA-256 and its
   * listing file is there (a copy that a crash left short or empty is not intact).
   */
  public boolean hasIntactEnvelope(Submission s) throws IOException {
    Path f = envelope(s.id());
    if (!Files.exists(f) || !Files.exists(listing(s.id()))) {
      return false;
    }
    MessageDigest d = ContentDigest.newDigest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(f), d)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(d.digest()).equals(s.currentSha256());
  }

  /**
   * A sync checkpoint: waits until every file handed to {@code forces} is on disk, then, if
   * any was, forces the submissions directory (their names) to disk. Called before the
   * cursor moves past them.
   */
  public void force(PendingForces forces) throws IOException {
    if (forces.await() > 0) {
      PrivateFiles.force(dir.resolve("submissions"));
    }
  }

  private Path listing(String id) {
    return dir.resolve("submissions").resolve(checkId(id) + ".json");
  }

  /**
   * Every cached submission with its envelope present and a valid listing file, by server
   * sequence. A listing file that does not parse or fails {@link Submission#parse} (a cache
   * written by an older version, or edited) is left out, never an error: see
   * {@link #invalidListings}.
   */
  public List<Submission> submissions() throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.resolve("submissions"), "*.json")) {
      ds.forEach(files::add);
    }
    List<Optional<Submission>> read = files.parallelStream().map(this::readListing).toList();
    List<Submission> out = new ArrayList<>();
    int bad = 0;
    for (Optional<Submission> s : read) {
      if (s.isEmpty()) {
        bad++;
      } else if (hasEnvelope(s.get().id())) {
        out.add(s.get());
      }
    }
    invalidListings = bad;
    out.sort(Comparator.comparingLong(Submission::seq));
    return out;
  }

  /** How many listing files the last {@link #submissions} call left out as unreadable or invalid. */
  public int invalidListings() {
    return invalidListings;
  }

  private volatile int invalidListings;

  private Optional<Submission> readListing(Path p) {
    try {
      if (Files.size(p) > 64 * 1024) {
        return Optional.empty();
      }
      Submission s = Submission.parse(JSON.readTree(p.toFile()));
      return p.getFileName().toString().equals(s.id() + ".json") ? Optional.of(s) : Optional.empty();
    } catch (IOException | WireFields.InvalidEntryException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The cached submission with exactly this id, if its envelope is cached and its listing
   * file is valid (reads one file).
   */
  public Optional<Submission> byId(String id) throws IOException {
    Path json = dir.resolve("submissions").resolve(checkId(id) + ".json");
    if (!hasEnvelope(id) || !Files.exists(json)) {
      return Optional.empty();
    }
    return readListing(json);
  }

  /** Finds a cached submission by full id or a unique prefix of at least 6 hex characters. */
  public Optional<Submission> find(String idOrPrefix) throws IOException {
    Optional<String> typed = EnvelopeId.typedPrefix(idOrPrefix);
    if (typed.isEmpty()) {
      return Optional.empty();
    }
    String p = typed.get();
    List<Submission> hits = submissions().stream().filter(s -> s.id().startsWith(p)).toList();
    if (hits.size() > 1) {
      throw new org.testigo.cli.common.CliException(org.testigo.cli.common.ExitCodes.BAD_INPUT,
          "the id prefix " + p + " matches " + hits.size() + " submissions; give more characters");
    }
    return hits.stream().findFirst();
  }

  static String checkId(String id) {
    return EnvelopeId.requireCanonical(id, "submission id");
  }
}
