package org.testigo.crypto.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.internal.XWingHpke;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.key.RecipientPublicKey;

/**
 * Prints envelope seal/open throughput against raw chunked AES-256-GCM over the same bytes,
 * and X-Wing HPKE seal/open per recipient. A main class, not a test: numbers depend on the
 * machine and its load. Run with the test classpath:
 * {@code java -cp crypto/target/test-classes:crypto/target/classes:<deps>
 * org.testigo.crypto.bench.EnvelopeBenchmark}
 */
public final class EnvelopeBenchmark {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int CHUNK = 1 << 16;

  private EnvelopeBenchmark() {}

  public static void main(String[] args) throws Exception {
    RecipientPrivateKey key = RecipientPrivateKey.generate(RANDOM);
    List<RecipientPublicKey> one = List.of(key.publicKey());
    System.out.printf("JVM %s, %d cores, max heap %d MiB%n", System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

    hpke(key);

    int[] sizes = {1 << 10, 1 << 20, 256 << 20};
    System.out.printf("%-9s %12s %12s %12s %12s %9s %9s%n", "payload", "seal MiB/s",
        "open MiB/s", "rawEnc MiB/s", "rawDec MiB/s", "seal/raw", "open/raw");
    for (int size : sizes) {
      byte[] data = new byte[size];
      RANDOM.nextBytes(data);
      byte[] envelope = sealToArray(data, one);
      int reps = Math.max(3, (int) Math.min(2000, (512L << 20) / Math.max(size, 1 << 16)));
      if (size >= (256 << 20)) {
        reps = 3;
      }
      // warm-up
      for (int i = 0; i < Math.min(reps, 50); i++) {
        seal(data, one);
        open(envelope, key);
        rawEncrypt(data);
      }
      double seal = best(reps, () -> seal(data, one), size);
      double open = best(reps, () -> open(envelope, key), size);
      byte[] rawCt = rawStore(data);
      double rawEnc = best(reps, () -> rawEncrypt(data), size);
      double rawDec = best(reps, () -> rawDecrypt(rawCt, size), size);
      System.out.printf("%-9s %12.1f %12.1f %12.1f %12.1f %9.2f %9.2f%n", label(size), seal, open,
          rawEnc, rawDec, seal / rawEnc, open / rawDec);
    }
  }

  private static void hpke(RecipientPrivateKey key) throws CryptoException {
    byte[] pk = key.publicKey().toBytes();
    byte[] info = "testigo-envelope-v1\0report".getBytes();
    byte[] aad = key.publicKey().fingerprint().toBytes();
    byte[] fileKey = new byte[32];
    XWingHpke.Sealed sealed = null;
    for (int i = 0; i < 300; i++) {
      sealed = XWingHpke.seal(pk, info, aad, fileKey, RANDOM);
      XWingHpke.open(key.exposeSecret(), sealed.enc(), info, aad, sealed.ciphertext());
    }
    int n = 500;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      sealed = XWingHpke.seal(pk, info, aad, fileKey, RANDOM);
    }
    long t1 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      XWingHpke.open(key.exposeSecret(), sealed.enc(), info, aad, sealed.ciphertext());
    }
    long t2 = System.nanoTime();
    System.out.printf("X-Wing HPKE per recipient: seal %.0f us, open %.0f us (mean of %d)%n",
        (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n, n);
  }

  private interface Op {
    void run() throws Exception;
  }

  /** Best-of-reps throughput in MiB/s (best run filters noise from the shared machine). */
  private static double best(int reps, Op op, long bytes) throws Exception {
    long bestNs = Long.MAX_VALUE;
    int batch = Math.max(1, (int) ((8L << 20) / bytes));
    int rounds = Math.max(3, reps / batch);
    for (int r = 0; r < rounds; r++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < batch; i++) {
        op.run();
      }
      bestNs = Math.min(bestNs, (System.nanoTime() - t0) / batch);
    }
    return bytes / (1024.0 * 1024.0) / (bestNs / 1e9);
  }

  private static String label(int size) {
    return size >= (1 << 20) ? (size >> 20) + " MiB" : (size >> 10) + " KiB";
  }

  private static byte[] sealToArray(byte[] data, List<RecipientPublicKey> to) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(data.length + 8192);
    Envelope.seal(new ByteArrayInputStream(data), out, to, Envelope.CONTEXT_REPORT, RANDOM);
    return out.toByteArray();
  }

  private static void seal(byte[] data, List<RecipientPublicKey> to) throws IOException {
    try (OutputStream s = Envelope.sealing(OutputStream.nullOutputStream(), to,
        Envelope.CONTEXT_REPORT, RANDOM)) {
      for (int off = 0; off < data.length; off += 1 << 20) {
        s.write(data, off, Math.min(1 << 20, data.length - off));
      }
    }
  }

  private static void open(byte[] envelope, RecipientPrivateKey key) throws Exception {
    Envelope.open(new ByteArrayInputStream(envelope), OutputStream.nullOutputStream(), key,
        Envelope.CONTEXT_REPORT);
  }

  private static final byte[] RAW_KEY = new byte[32];
  private static final byte[] RAW_OUT = new byte[CHUNK + 16];

  /** Raw AES-256-GCM over 64 KiB chunks, one reused Cipher, output discarded. */
  private static void rawEncrypt(byte[] data) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    SecretKeySpec k = new SecretKeySpec(RAW_KEY, "AES");
    byte[] nonce = new byte[12];
    int chunks = Math.max(1, (data.length + CHUNK - 1) / CHUNK);
    for (int i = 0; i < chunks; i++) {
      nonce[0] = (byte) i;
      nonce[1] = (byte) (i >> 8);
      nonce[2] = (byte) (i >> 16);
      c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, nonce));
      int off = i * CHUNK;
      c.doFinal(data, off, Math.min(CHUNK, data.length - off), RAW_OUT, 0);
    }
  }

  private static byte[] rawStore(byte[] data) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    SecretKeySpec k = new SecretKeySpec(RAW_KEY, "AES");
    byte[] nonce = new byte[12];
    int chunks = (data.length + CHUNK - 1) / CHUNK;
    byte[] all = new byte[data.length + 16 * chunks];
    int pos = 0;
    for (int i = 0; i < chunks; i++) {
      nonce[0] = (byte) i;
      nonce[1] = (byte) (i >> 8);
      nonce[2] = (byte) (i >> 16);
      c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, nonce));
      int off = i * CHUNK;
      pos += c.doFinal(data, off, Math.min(CHUNK, data.length - off), all, pos);
    }
    return all;
  }

  private static void rawDecrypt(byte[] ct, int plainLength) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    SecretKeySpec k = new SecretKeySpec(RAW_KEY, "AES");
    byte[] nonce = new byte[12];
    int chunks = (plainLength + CHUNK - 1) / CHUNK;
    int pos = 0;
    for (int i = 0; i < chunks; i++) {
      nonce[0] = (byte) i;
      nonce[1] = (byte) (i >> 8);
      nonce[2] = (byte) (i >> 16);
      c.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(128, nonce));
      int len = Math.min(CHUNK + 16, ct.length - pos);
      c.doFinal(ct, pos, len, RAW_OUT, 0);
      pos += len;
    }
  }
}
