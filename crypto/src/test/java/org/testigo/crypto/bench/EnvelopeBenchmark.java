package org.testigo.crypto.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.internal.XWingHpke;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.key.RecipientPublicKey;

/**
 * Envelope seal/open throughput against the raw payload AEAD, and X-Wing HPKE cost per
 * recipient. A main class, not a test: figures depend on the machine and its load.
 *
 * <p>Fairness: the raw baseline is JDK AES-256-GCM with the same 64 KiB chunking, the same
 * 12-byte counter nonce, one reused {@link Cipher}, and the same I/O as the envelope: sealing
 * takes the plaintext from the caller's array in 1 MiB writes and writes each sealed chunk to
 * a discarding stream; opening reads the ciphertext from a {@link ByteArrayInputStream} into
 * one chunk buffer and writes each plaintext chunk to a discarding stream. What the envelope
 * adds (header, HPKE per recipient, key schedule, Padmé padding, unpadding) is what the ratio
 * measures.
 *
 * <p>Method: a warm-up of several seconds, then {@code rounds} rounds; in each round seal,
 * raw seal, open and raw open run one after the other (so load from other processes hits all
 * four alike), each timed over a batch of at least ~64 MiB of payload. Prints min and median
 * throughput and the median of the per-round ratios.
 *
 * <p>Run: {@code java -cp crypto/target/classes:crypto/target/test-classes:<deps>
 * org.testigo.crypto.bench.EnvelopeBenchmark [rounds] [sizes in KiB...]}
 */
public final class EnvelopeBenchmark {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int CHUNK = 1 << 16;
  private static final int TAG = 16;
  private static final int WRITE = 1 << 20;
  /** Discards everything; closing it is a no-op, so the envelope and raw paths share it. */
  private static final OutputStream NULL = new OutputStream() {
    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  };

  private EnvelopeBenchmark() {}

  private interface Op {
    void run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int[] sizes;
    if (args.length > 1) {
      sizes = new int[args.length - 1];
      for (int i = 1; i < args.length; i++) {
        sizes[i - 1] = Integer.parseInt(args[i]) << 10;
      }
    } else {
      sizes = new int[] {1 << 20, 16 << 20, 256 << 20};
    }
    RecipientPrivateKey key = RecipientPrivateKey.generate(RANDOM);
    List<RecipientPublicKey> one = List.of(key.publicKey());
    System.out.printf("JVM %s, %d cores, max heap %d MiB, %d rounds, load %.2f%n",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20, rounds,
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()
            .getSystemLoadAverage());

    hpke(key, rounds);

    System.out.printf("%-8s %-5s %17s %17s %14s%n", "payload", "op", "envelope MiB/s",
        "raw MiB/s", "env/raw");
    System.out.printf("%-8s %-5s %17s %17s %14s%n", "", "", "min / median",
        "min / median", "median(round)");
    for (int size : sizes) {
      payload(size, rounds, key, one);
    }
  }

  private static void payload(int size, int rounds, RecipientPrivateKey key,
      List<RecipientPublicKey> one) throws Exception {
    byte[] data = new byte[size];
    RANDOM.nextBytes(data);
    byte[] envelope = sealToArray(data, one);
    byte[] rawCt = rawStore(data);
    int batch = Math.max(1, (64 << 20) / size);
    Op seal = () -> seal(data, one);
    Op rawSeal = () -> rawSeal(data);
    Op open = () -> open(envelope, key);
    Op rawOpen = () -> rawOpen(rawCt);
    long warmUntil = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() < warmUntil) {
      time(seal, 1);
      time(rawSeal, 1);
      time(open, 1);
      time(rawOpen, 1);
    }
    double[] s = new double[rounds];
    double[] rs = new double[rounds];
    double[] o = new double[rounds];
    double[] ro = new double[rounds];
    double[] sealRatio = new double[rounds];
    double[] openRatio = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      s[r] = mibps(size, batch, time(seal, batch));
      rs[r] = mibps(size, batch, time(rawSeal, batch));
      o[r] = mibps(size, batch, time(open, batch));
      ro[r] = mibps(size, batch, time(rawOpen, batch));
      sealRatio[r] = s[r] / rs[r];
      openRatio[r] = o[r] / ro[r];
    }
    String label = size >= (1 << 20) ? (size >> 20) + " MiB" : (size >> 10) + " KiB";
    row(label, "seal", s, rs, sealRatio);
    row("", "open", o, ro, openRatio);
  }

  private static void row(String label, String op, double[] env, double[] raw, double[] ratio) {
    System.out.printf("%-8s %-5s %7.0f / %7.0f %7.0f / %7.0f %14.2f%n", label, op, min(env),
        median(env), min(raw), median(raw), median(ratio));
  }

  private static void hpke(RecipientPrivateKey key, int rounds) throws Exception {
    byte[] pk = key.publicKey().toBytes();
    byte[] info = "testigo-envelope-v1\0report".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] aad = key.publicKey().fingerprint().toBytes();
    byte[] fileKey = new byte[32];
    XWingHpke.Sealed sealed = XWingHpke.seal(pk, info, aad, fileKey, RANDOM);
    Op seal = () -> XWingHpke.seal(pk, info, aad, fileKey, RANDOM);
    Op openSeed = () -> XWingHpke.open(key.exposeSecret(), sealed.enc(), info, aad,
        sealed.ciphertext());
    Op openKey = () -> key.openHpke(sealed.enc(), info, aad, sealed.ciphertext());
    int n = 200;
    for (int i = 0; i < 5; i++) {
      time(seal, n);
      time(openSeed, n);
      time(openKey, n);
    }
    double[] ts = new double[rounds];
    double[] to = new double[rounds];
    double[] tk = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      ts[r] = time(seal, n) / 1e3 / n;
      to[r] = time(openSeed, n) / 1e3 / n;
      tk[r] = time(openKey, n) / 1e3 / n;
    }
    System.out.printf("X-Wing HPKE per recipient, us (min / median of %d rounds of %d):%n"
        + "  seal %.0f / %.0f; open from seed %.0f / %.0f;"
        + " open with RecipientPrivateKey %.0f / %.0f%n",
        rounds, n, min(ts), median(ts), min(to), median(to), min(tk), median(tk));
  }

  private static long time(Op op, int n) throws Exception {
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      op.run();
    }
    return System.nanoTime() - t0;
  }

  private static double mibps(int size, int batch, long nanos) {
    return (double) size * batch / (1 << 20) / (nanos / 1e9);
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElseThrow();
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
  }

  private static byte[] sealToArray(byte[] data, List<RecipientPublicKey> to) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + data.length / 8 + 8192);
    Envelope.seal(new ByteArrayInputStream(data), out, to, Envelope.CONTEXT_REPORT, RANDOM);
    return out.toByteArray();
  }

  private static void seal(byte[] data, List<RecipientPublicKey> to) throws IOException {
    try (OutputStream s = Envelope.sealing(NULL, to, Envelope.CONTEXT_REPORT, RANDOM)) {
      for (int off = 0; off < data.length; off += WRITE) {
        s.write(data, off, Math.min(WRITE, data.length - off));
      }
    }
  }

  private static void open(byte[] envelope, RecipientPrivateKey key) throws Exception {
    Envelope.open(new ByteArrayInputStream(envelope), NULL, key, Envelope.CONTEXT_REPORT);
  }

  private static final byte[] RAW_KEY = new byte[32];

  private static void nonce(byte[] nonce, long counter, boolean last) {
    for (int i = 0; i < 8; i++) {
      nonce[10 - i] = (byte) (counter >>> (8 * i));
    }
    nonce[11] = (byte) (last ? 1 : 0);
  }

  /**
   * Raw AES-256-GCM seal: 64 KiB chunks taken from the caller's array in 1 MiB writes (as
   * the envelope's write path), one reused Cipher and output buffer, output discarded.
   */
  private static void rawSeal(byte[] data) throws GeneralSecurityException, IOException {
    rawSeal(data, NULL);
  }

  private static byte[] rawStore(byte[] data) throws GeneralSecurityException, IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream(data.length + data.length / 64 + 64);
    rawSeal(data, all);
    return all.toByteArray();
  }

  private static void rawSeal(byte[] data, OutputStream sink)
      throws GeneralSecurityException, IOException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    SecretKeySpec k = new SecretKeySpec(RAW_KEY, "AES");
    byte[] nonce = new byte[12];
    byte[] out = new byte[CHUNK + TAG];
    long counter = 0;
    for (int off = 0; off < data.length; off += CHUNK) {
      int len = Math.min(CHUNK, data.length - off);
      nonce(nonce, counter++, off + len == data.length);
      c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, nonce));
      int n = c.doFinal(data, off, len, out, 0);
      sink.write(out, 0, n);
    }
  }

  /**
   * Raw AES-256-GCM open: reads each sealed chunk from an InputStream into one input buffer,
   * decrypts into one output buffer, writes the plaintext to a discarding stream.
   */
  private static void rawOpen(byte[] ct) throws GeneralSecurityException, IOException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    SecretKeySpec k = new SecretKeySpec(RAW_KEY, "AES");
    byte[] nonce = new byte[12];
    byte[] in = new byte[CHUNK + TAG];
    byte[] plain = new byte[CHUNK];
    InputStream is = new ByteArrayInputStream(ct);
    long counter = 0;
    long remaining = ct.length;
    while (remaining > 0) {
      int len = is.readNBytes(in, 0, in.length);
      remaining -= len;
      nonce(nonce, counter++, remaining == 0);
      c.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(128, nonce));
      int m = c.doFinal(in, 0, len, plain, 0);
      NULL.write(plain, 0, m);
    }
  }
}
