package org.testigo.shelter;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.testigo.api.EnvelopeId;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.key.RecipientPublicKey;

/**
 * The shelter outbox: one file per report waiting to be uploaded, {@code <submission id>.tsob},
 * each a v1 envelope with context {@code shelter-outbox} sealed to the shelter's own X-Wing
 * key (whose private half is in the passphrase-protected shelter keystore). Its plaintext is
 * the outbox record v1: {@code "TGOUTBX1" || u32 metaLength || meta JSON || the report
 * envelope (sealed to the reviewers) to the end}. Filing needs only the shelter's public key;
 * listing and uploading need the passphrase. Nothing in the outbox is plaintext, and a
 * thief without the passphrase cannot even tell which stored report came from here (the
 * report envelope's hash is inside). Entries appear atomically (temporary file, fsync,
 * rename).
 */
final class Outbox {
  static final String CONTEXT = "shelter-outbox";
  static final String SUFFIX = ".tsob";
  static final byte[] MAGIC = "TGOUTBX1".getBytes(StandardCharsets.US_ASCII);
  static final int MAX_META = 65536;
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private Outbox() {}

  /** What an entry says about itself; secret (receipt words, lookup key), hence sealed. */
  @JsonPropertyOrder({"version", "submissionId", "createdDay", "language", "receipt",
      "lookupKey", "replyPublicKey", "manifestSequence", "recipients", "attachments", "attested"})
  record Meta(int version, String submissionId, String createdDay, String language,
      String receipt, String lookupKey, String replyPublicKey, long manifestSequence,
      List<String> recipients, int attachments, boolean attested) {}

  /** Writes the report envelope into the stream it is given (which it must not close). */
  interface ReportWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  static Path entry(Path dir, String submissionId) {
    return dir.resolve(submissionId + SUFFIX);
  }

  /** Seals a new entry for {@code outboxKey}; the file appears only when complete. */
  static Path write(Path dir, RecipientPublicKey outboxKey, Meta meta, ReportWriter report,
      SecureRandom random) throws IOException {
    ShelterProfile.createPrivateDirectory(dir);
    Path target = entry(dir, meta.submissionId());
    byte[] metaBytes = JSON.writeValueAsBytes(meta);
    Path tmp = Files.createTempFile(dir, ".filing-", ".tmp", PosixFilePermissions
        .asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
          OutputStream file = new BufferedOutputStream(java.nio.channels.Channels
              .newOutputStream(ch), 1 << 16)) {
        OutputStream outer = Envelope.sealing(new NonClosing(file), List.of(outboxKey), CONTEXT,
            random);
        outer.write(MAGIC);
        outer.write(new byte[] {(byte) (metaBytes.length >>> 24), (byte) (metaBytes.length >>> 16),
            (byte) (metaBytes.length >>> 8), (byte) metaBytes.length});
        outer.write(metaBytes);
        report.writeTo(new NonClosing(outer));
        outer.close();
        file.flush();
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Entries in name order (names are random, so this says nothing about filing order). */
  static List<Path> entries(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> isEntryName(p.getFileName().toString())).sorted().toList();
    }
  }
  /** {@code <submission id>.tsob}. */
  private static boolean isEntryName(String name) {
    return name.endsWith(SUFFIX) && EnvelopeId.isCanonical(name.substring(0, name.length() - SUFFIX.length()));
  }


  /**
   * Opens an entry; the report envelope goes to {@code reportOut} (null: discarded). The
   * caller must discard {@code reportOut} on any exception: bytes are released before the
   * outer envelope's end is authenticated.
   */
  static Meta open(Path entry, RecipientPrivateKey key, OutputStream reportOut)
      throws IOException, CryptoException {
    RecordParser parser = new RecordParser(reportOut);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(entry), 1 << 16)) {
      Envelope.open(in, parser, key, CONTEXT);
    }
    return parser.finish();
  }

  /** Parses the record as it is released by Envelope.open. */
  private static final class RecordParser extends OutputStream {
    private final OutputStream report;
    private final byte[] head = new byte[MAGIC.length + 4];
    private int headFill;
    private byte[] meta;
    private int metaFill;
    private long reportBytes;

    RecordParser(OutputStream report) {
      this.report = report;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        if (headFill < head.length) {
          int n = Math.min(len, head.length - headFill);
          System.arraycopy(b, off, head, headFill, n);
          headFill += n;
          off += n;
          len -= n;
          if (headFill == head.length) {
            if (!Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
              throw new IOException("not a shelter outbox record v1");
            }
            int metaLength = ((head[8] & 0xff) << 24) | ((head[9] & 0xff) << 16)
                | ((head[10] & 0xff) << 8) | (head[11] & 0xff);
            if (metaLength < 1 || metaLength > MAX_META) {
              throw new IOException("damaged outbox record");
            }
            meta = new byte[metaLength];
          }
        } else if (metaFill < meta.length) {
          int n = Math.min(len, meta.length - metaFill);
          System.arraycopy(b, off, meta, metaFill, n);
          metaFill += n;
          off += n;
          len -= n;
        } else {
          if (report != null) {
            report.write(b, off, len);
          }
          reportBytes += len;
          len = 0;
        }
      }
    }

    Meta finish() throws IOException {
      if (meta == null || metaFill < meta.length || reportBytes == 0) {
        throw new IOException("damaged outbox record");
      }
      Meta m = JSON.readValue(meta, Meta.class);
      if (m.version() != 1 || m.submissionId() == null
          || !EnvelopeId.isCanonical(m.submissionId())) {
        throw new IOException("damaged outbox record");
      }
      Arrays.fill(meta, (byte) 0);
      return m;
    }
  }

  /** Passes writes through and ignores close(), so an inner envelope can finish first. */
  private static final class NonClosing extends FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
