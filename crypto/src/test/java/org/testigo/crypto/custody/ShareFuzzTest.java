package org.testigo.crypto.custody;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.GoldenFileWriter;
import org.testigo.crypto.fuzz.Refusals;
import org.testigo.crypto.identity.KeystoreParams;
import org.testigo.crypto.identity.Passphrase;

/** Fuzz targets for custodians' root-key shares: the passphrase-protected file and the printed text. */
class ShareFuzzTest {
  /**
   * {@code ShareFile.peek} either refuses with {@link CryptoException} or returns a header;
   * for files at the test Argon2id cost, {@code decrypt} with the golden passphrase either
   * refuses with {@link CryptoException} or returns a share whose header is the peeked one.
   */
  @FuzzTest(maxDuration = "10m")
  void shareFile_refusesOrOpensConsistently(byte[] data) throws CryptoException {
    ShareHeader peeked;
    try {
      peeked = ShareFile.peek(data);
    } catch (CryptoException e) {
      return;
    }
    assertThat(peeked.threshold()).isBetween(1, peeked.total());
    if (!ShareFile.looksLikeShareFile(data) || !atTestCost(data)) {
      return;
    }
    RootShare share;
    Passphrase p = Passphrase.of(GoldenFileWriter.PASSPHRASE.toCharArray());
    try {
      share = ShareFile.decrypt(data, p);
    } catch (CryptoException e) {
      return;
    } finally {
      p.destroy();
    }
    assertThat(share.header()).isEqualTo(peeked);
  }

  /**
   * {@code PrintableShare.parse} either refuses with a plain {@link IllegalArgumentException}
   * or returns a share whose own printed text parses back to an equal share.
   */
  @FuzzTest(maxDuration = "10m")
  void printableShare_refusesOrRoundTrips(byte[] data) {
    RootShare share;
    try {
      share = PrintableShare.parse(new String(data, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      Refusals.expectPlainIllegalArgument(e);
      return;
    }
    RootShare again = PrintableShare.parse(PrintableShare.toText(share));
    assertThat(again).isEqualTo(share);
    assertThat(again.header()).isEqualTo(share.header());
  }

  /**
   * Argon2id at most 64 KiB, 1 pass, 1 lane: fast enough to try every accepted input. The
   * three u32 costs sit just before the fixed-size salt, nonce and sealed value at the end.
   */
  private static boolean atTestCost(byte[] file) {
    int o = file.length - ShareFile.SALT_LENGTH - 12 - RootShare.VALUE_LENGTH - 16 - 12;
    if (o < 0) {
      return false;
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(file, o, 12);
    long m = b.getInt() & 0xffffffffL;
    long t = b.getInt() & 0xffffffffL;
    long par = b.getInt() & 0xffffffffL;
    return m <= KeystoreParams.TEST.memoryKiB() && t <= 1 && par <= 1;
  }
}
