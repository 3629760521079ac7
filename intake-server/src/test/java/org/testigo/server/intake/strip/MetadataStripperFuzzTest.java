package org.testigo.server.intake.strip;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fuzz target for the server-side JPEG/PNG metadata stripper, which parses attacker-supplied
 * images inside the intake server.
 */
class MetadataStripperFuzzTest {
  private static final byte[] PNG_SIG = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};

  /**
   * The stripper either refuses with {@link MetadataStripper.MalformedImageException} or
   * writes an output that is never larger than the input, does not depend on how the input
   * was split into writes, is a well-formed JPEG or PNG without any metadata segment or chunk
   * (or, for any other file, the input unchanged), and is left unchanged by a second pass.
   */
  @FuzzTest(maxDuration = "10m")
  void strip_refusesOrWritesCleanImageNoLargerThanInput(byte[] data) throws IOException {
    byte[] whole = strip(data, data.length);
    int piece = data.length == 0 ? 1 : 1 + (data[data.length - 1] & 0xff) % 97;
    byte[] pieces = strip(data, piece);
    if (whole == null || pieces == null) {
      assertThat(pieces).as("refusal must not depend on write sizes").isEqualTo(whole);
      return;
    }
    assertThat(pieces).isEqualTo(whole);
    assertThat(whole.length).isLessThanOrEqualTo(data.length);
    if (isJpeg(data)) {
      checkCleanJpeg(whole);
    } else if (data.length >= 8 && Arrays.equals(data, 0, 8, PNG_SIG, 0, 8)) {
      checkCleanPng(whole);
    } else {
      assertThat(whole).isEqualTo(data);
    }
    if (whole.length >= 8) {
      assertThat(strip(whole, whole.length)).as("a second pass changes nothing").isEqualTo(whole);
    }
  }

  /** The stripped bytes, or null if the stripper refused the input. */
  private static byte[] strip(byte[] data, int piece) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      MetadataStripper s = new MetadataStripper(out);
      for (int off = 0; off < data.length; off += piece) {
        s.write(data, off, Math.min(piece, data.length - off));
      }
      s.finish();
      assertThat(s.removedCount()).isNotNegative();
    } catch (MetadataStripper.MalformedImageException e) {
      return null;
    }
    return out.toByteArray();
  }

  private static boolean isJpeg(byte[] d) {
    return d.length >= 8 && (d[0] & 0xff) == 0xff && (d[1] & 0xff) == 0xd8 && (d[2] & 0xff) == 0xff;
  }

  /** Walks the output: SOI, kept marker segments, entropy data, nothing after EOI. */
  static void checkCleanJpeg(byte[] b) {
    assertThat(b.length).isGreaterThanOrEqualTo(2);
    assertThat(b[0] & 0xff).isEqualTo(0xff);
    assertThat(b[1] & 0xff).isEqualTo(0xd8);
    int o = 2;
    boolean scan = false;
    boolean entropy = false;
    while (o < b.length) {
      if (entropy) {
        if ((b[o] & 0xff) != 0xff) {
          o++;
          continue;
        }
        if (o + 1 >= b.length) {
          return; // a truncated scan ends the file
        }
        int n = b[o + 1] & 0xff;
        if (n == 0x00 || (n >= 0xd0 && n <= 0xd7)) {
          o += 2;
          continue;
        }
        entropy = false;
        continue;
      }
      assertThat(b[o] & 0xff).as("marker at %d", o).isEqualTo(0xff);
      assertThat(o + 1).as("marker cut at %d", o).isLessThan(b.length);
      int m = b[o + 1] & 0xff;
      o += 2;
      if ((m >= 0xd0 && m <= 0xd7) || m == 0x01) {
        entropy = scan;
        continue;
      }
      if (m == 0xd9) {
        assertThat(o).as("bytes after EOI").isEqualTo(b.length);
        return;
      }
      assertThat(m).as("marker %02x", m).isNotIn(0x00, 0xd8, 0xff);
      assertThat(o + 2).as("segment length cut").isLessThanOrEqualTo(b.length);
      int len = ((b[o] & 0xff) << 8) | (b[o + 1] & 0xff);
      assertThat(len).isGreaterThanOrEqualTo(2);
      assertThat(o + len).as("segment cut").isLessThanOrEqualTo(b.length);
      assertThat(m).as("COM segment kept").isNotEqualTo(0xfe);
      if (m == 0xe0) {
        assertThat(len).as("APP0 other than a bare JFIF header").isEqualTo(16);
        assertThat(new String(b, o + 2, 5, StandardCharsets.ISO_8859_1)).isEqualTo("JFIF\0");
      } else if (m == 0xee) {
        assertThat(new String(b, o + 2, Math.min(5, len - 2), StandardCharsets.ISO_8859_1))
            .isEqualTo("Adobe");
      } else {
        assertThat(m >= 0xe1 && m <= 0xef).as("APP%d segment kept", m - 0xe0).isFalse();
      }
      o += len;
      if (m == 0xda) {
        scan = true;
        entropy = true;
      }
    }
    assertThat(scan).as("a JPEG without a scan").isTrue();
  }

  /** Walks the output: signature, kept chunks only, ending exactly after IEND. */
  static void checkCleanPng(byte[] b) {
    assertThat(Arrays.equals(b, 0, 8, PNG_SIG, 0, 8)).isTrue();
    int o = 8;
    while (true) {
      assertThat(o + 8).as("chunk header cut").isLessThanOrEqualTo(b.length);
      long len = ((long) (b[o] & 0xff) << 24) | ((b[o + 1] & 0xff) << 16)
          | ((b[o + 2] & 0xff) << 8) | (b[o + 3] & 0xff);
      String type = new String(b, o + 4, 4, StandardCharsets.ISO_8859_1);
      assertThat(MetadataStripper.PNG_KEEP).contains(type);
      assertThat(o + 12 + len).as("chunk cut").isLessThanOrEqualTo(b.length);
      o += 12 + (int) len;
      if (type.equals("IEND")) {
        assertThat(o).as("bytes after IEND").isEqualTo(b.length);
        return;
      }
    }
  }
}
