package org.testigo.server.intake.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.testigo.server.domain.InvalidInputException;

class MultipartReaderTest {
  private static final String B = "----testigoBoundary7MA4YWxk";

  /** Returns at most 7 bytes per read, to exercise every buffer boundary. */
  private static InputStream trickle(byte[] data) {
    return new FilterInputStream(new ByteArrayInputStream(data)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, 7));
      }
    };
  }

  private static byte[] body(byte[] file) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("preamble\r\n--" + B + "\r\nContent-Disposition: form-data; name=\"what\"\r\n\r\n"
        + "robbery\r\n--" + B + "\r\nContent-Disposition: form-data; name=\"narrative\"\r\n\r\n"
        + "línea 1\r\nlínea 2\r\n--" + B + "\r\nContent-Disposition: form-data; name=\"files\"; "
        + "filename=\"foto \\\"1\\\".jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    out.writeBytes(file);
    out.writeBytes(("\r\n--" + B + "--\r\nepilogue").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  @Test
  void next_streamsFieldsAndFilesIncludingBinaryThatLooksLikeABoundary() throws Exception {
    byte[] file = new byte[200_000];
    new Random(1).nextBytes(file);
    byte[] trap = ("\r\n--" + B.substring(0, 10)).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(trap, 0, file, 1000, trap.length);
    System.arraycopy(trap, 0, file, file.length - trap.length, trap.length);
    for (InputStream in : new InputStream[] {new ByteArrayInputStream(body(file)), trickle(body(file))}) {
      MultipartReader reader = new MultipartReader(in, B);
      MultipartReader.Part p = reader.next();
      assertThat(p.name()).isEqualTo("what");
      assertThat(p.isFile()).isFalse();
      assertThat(new String(p.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("robbery");
      p = reader.next();
      assertThat(p.name()).isEqualTo("narrative");
      assertThat(new String(p.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("línea 1\r\nlínea 2");
      p = reader.next();
      assertThat(p.filename()).isEqualTo("foto \"1\".jpg");
      assertThat(p.contentType()).isEqualTo("image/jpeg");
      assertThat(p.body().readAllBytes()).isEqualTo(file);
      assertThat(reader.next()).isNull();
      assertThat(reader.next()).isNull();
    }
  }

  @Test
  void next_skipsUnreadPartBodies() throws Exception {
    MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body(new byte[70_000])), B);
    assertThat(reader.next().name()).isEqualTo("what");
    assertThat(reader.next().name()).isEqualTo("narrative");
    assertThat(reader.next().name()).isEqualTo("files");
    assertThat(reader.next()).isNull();
  }

  @Test
  void read_failsOnTruncatedBody() throws Exception {
    byte[] full = body(new byte[50_000]);
    byte[] cut = java.util.Arrays.copyOf(full, full.length - 40);
    MultipartReader reader = new MultipartReader(new ByteArrayInputStream(cut), B);
    assertThatThrownBy(() -> {
      while (reader.next() != null) {
        // keep going
      }
    }).isInstanceOf(InvalidInputException.class).hasMessage("error.multipart");
  }

  @Test
  void next_failsOnGarbageAndOnMissingDisposition() {
    assertThatThrownBy(() -> new MultipartReader(new ByteArrayInputStream(new byte[] {1, 2, 3}), B).next())
        .isInstanceOf(InvalidInputException.class);
    byte[] noDisposition = ("--" + B + "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" + B + "--")
        .getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> new MultipartReader(new ByteArrayInputStream(noDisposition), B).next())
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void boundaryOf_refusesAContentTypeOfOnlySemicolons() {
    // Found by MultipartReaderFuzzTest (corpus entry crash-content-type-semicolon): split(";")
    // of ";" is empty, and boundaryOf threw ArrayIndexOutOfBoundsException.
    for (String contentType : new String[] {";", ";;", ""}) {
      assertThatThrownBy(() -> MultipartReader.boundaryOf(contentType))
          .isInstanceOf(InvalidInputException.class)
          .extracting(e -> ((InvalidInputException) e).messageKey()).isEqualTo("error.content_type");
    }
  }

  @Test
  void boundaryOf_acceptsOnlyMultipartFormData() {
    assertThat(MultipartReader.boundaryOf("multipart/form-data; boundary=\"abc\"")).isEqualTo("abc");
    assertThat(MultipartReader.boundaryOf("Multipart/Form-Data;charset=utf-8; boundary=x-y")).isEqualTo("x-y");
    assertThatThrownBy(() -> MultipartReader.boundaryOf("application/json"))
        .isInstanceOf(InvalidInputException.class).hasMessage("error.content_type");
    assertThatThrownBy(() -> MultipartReader.boundaryOf("multipart/form-data"))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> MultipartReader.boundaryOf(null)).isInstanceOf(InvalidInputException.class);
  }
}
