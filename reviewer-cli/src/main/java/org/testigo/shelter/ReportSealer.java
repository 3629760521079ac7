package org.testigo.shelter;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.payload.PartHeader;
import org.testigo.crypto.payload.PayloadWriter;
import org.testigo.crypto.sign.SigningPrivateKey;

/**
 * Seals a report on the laptop: a v1 envelope with context {@code report} to exactly the
 * given reviewer keys, whose plaintext is the payload container v1 with the questionnaire
 * first, then one {@code file} part per attachment (streamed, never held whole in memory),
 * then optionally the {@code shelter-attestation} part. Plaintext exists only in memory, a
 * 64 KiB chunk at a time.
 */
final class ReportSealer {
  static final String QUESTIONNAIRE_TYPE = "application/json";
  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("png", "image/png"),
      Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("heic", "image/heic"),
      Map.entry("pdf", "application/pdf"), Map.entry("txt", "text/plain"),
      Map.entry("mp3", "audio/mpeg"), Map.entry("m4a", "audio/mp4"), Map.entry("ogg", "audio/ogg"),
      Map.entry("opus", "audio/ogg"), Map.entry("wav", "audio/wav"), Map.entry("mp4", "video/mp4"),
      Map.entry("3gp", "video/3gpp"), Map.entry("mov", "video/quicktime"),
      Map.entry("webm", "video/webm"));

  private ReportSealer() {}

  static void seal(OutputStream out, List<RecipientPublicKey> recipients, byte[] questionnaire,
      List<Path> attachments, SigningPrivateKey attestationKey, SecureRandom random)
      throws IOException {
    try (OutputStream envelope = Envelope.sealing(out, recipients, Envelope.CONTEXT_REPORT,
        random)) {
      PayloadWriter payload = new PayloadWriter(envelope);
      payload.writePart(new PartHeader(PartHeader.QUESTIONNAIRE, null, QUESTIONNAIRE_TYPE), questionnaire);
      List<byte[]> fileHashes = new ArrayList<>();
      byte[] buf = new byte[1 << 16];
      for (Path file : attachments) {
        MessageDigest digest = sha256();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            OutputStream part = payload.beginPart(new PartHeader(PartHeader.FILE, fileName(file), mediaType(file)))) {
          for (int n; (n = in.read(buf)) > 0; ) {
            part.write(buf, 0, n);
            digest.update(buf, 0, n);
          }
        }
        fileHashes.add(digest.digest());
      }
      java.util.Arrays.fill(buf, (byte) 0);
      if (attestationKey != null) {
        payload.writePart(new PartHeader(Attestation.PART, null, QUESTIONNAIRE_TYPE),
            Attestation.create(attestationKey, sha256().digest(questionnaire), fileHashes));
      }
      payload.finish();
    }
  }

  /** The last path segment without control characters, at most 200 code points (as the server). */
  static String fileName(Path file) {
    StringBuilder sb = new StringBuilder();
    file.getFileName().toString().codePoints().filter(c -> c >= 0x20 && c != 0x7f).limit(200)
        .forEach(sb::appendCodePoint);
    return sb.length() == 0 ? "file" : sb.toString();
  }

  /** A media type from the file extension; {@code application/octet-stream} when unknown. */
  static String mediaType(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return TYPES.getOrDefault(ext, "application/octet-stream");
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
