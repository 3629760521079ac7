package org.testigo.server.intake.strip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.testigo.server.intake.strip.TestImages.ascii;
import static org.testigo.server.intake.strip.TestImages.pngChunk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MetadataStripperTest {
  static byte[] strip(byte[] in, int pieceSize) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MetadataStripper s = new MetadataStripper(out);
    for (int o = 0; o < in.length; o += pieceSize) {
      s.write(in, o, Math.min(pieceSize, in.length - o));
    }
    s.finish();
    return out.toByteArray();
  }

  @Test
  void jpeg_dropsExifGpsCommentXmpAndTrailerAndKeepsImageSegmentsByteForByte() throws IOException {
    byte[] in = TestImages.jpegWithGps("GPSMARKER");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MetadataStripper s = new MetadataStripper(out);
    s.write(in);
    s.finish();
    assertThat(out.toByteArray()).isEqualTo(TestImages.expectedCleanJpeg());
    assertThat(new String(out.toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("GPSMARKER").doesNotContain("Exif").doesNotContain("TRAILER");
    assertThat(s.removedCount()).isEqualTo(4);
  }

  @Test
  void jpeg_givesTheSameBytesWhateverTheWriteSizes() throws IOException {
    byte[] in = TestImages.jpegWithGps("GPSMARKER");
    for (int size : new int[] {1, 2, 3, 5, 7, 64, 100000}) {
      assertThat(strip(in, size)).as("piece size " + size).isEqualTo(TestImages.expectedCleanJpeg());
    }
  }

  @Test
  void jpeg_refusesTruncatedHeadersBadLengthsAndMissingScan() {
    byte[] in = TestImages.jpegWithGps("GPSMARKER");
    assertThatThrownBy(() -> strip(Arrays.copyOf(in, 30), 4096)).isInstanceOf(MetadataStripper.MalformedImageException.class);
    byte[] bad = in.clone();
    bad[4] = 0;
    bad[5] = 1;
    assertThatThrownBy(() -> strip(bad, 4096)).isInstanceOf(MetadataStripper.MalformedImageException.class);
    assertThatThrownBy(() -> strip(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xd9}, 4096))
        .isInstanceOf(MetadataStripper.MalformedImageException.class);
  }

  @Test
  void png_dropsTextExifTimeAndTrailerAndKeepsCriticalChunks() throws IOException {
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    byte[] ihdr = pngChunk("IHDR", new byte[13]);
    byte[] idat = pngChunk("IDAT", new byte[100]);
    byte[] iend = pngChunk("IEND", new byte[0]);
    for (byte[] b : new byte[][] {TestImages.PNG_SIG, ihdr, pngChunk("tEXt", ascii("Author\0me")),
        pngChunk("eXIf", new byte[20]), pngChunk("tIME", new byte[7]), idat, iend, ascii("junk")}) {
      in.writeBytes(b);
    }
    for (byte[] b : new byte[][] {TestImages.PNG_SIG, ihdr, idat, iend}) {
      expected.writeBytes(b);
    }
    for (int size : new int[] {1, 9, 4096}) {
      assertThat(strip(in.toByteArray(), size)).isEqualTo(expected.toByteArray());
    }
    byte[] noEnd = Arrays.copyOf(in.toByteArray(), TestImages.PNG_SIG.length + ihdr.length);
    assertThatThrownBy(() -> strip(noEnd, 4096)).isInstanceOf(MetadataStripper.MalformedImageException.class);
  }

  @Test
  void otherFiles_passThroughUnchanged() throws IOException {
    byte[] pdf = ascii("%PDF-1.7 /Author (someone) ... %%EOF");
    assertThat(strip(pdf, 3)).isEqualTo(pdf);
    assertThat(strip(new byte[] {1, 2}, 1)).isEqualTo(new byte[] {1, 2});
    assertThat(strip(new byte[0], 1)).isEmpty();
  }
}
