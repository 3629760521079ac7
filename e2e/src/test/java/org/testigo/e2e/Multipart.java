package org.testigo.e2e;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A minimal multipart/form-data body builder, as a browser without JavaScript sends. */
final class Multipart {
  final String boundary = "----testigo" + UUID.randomUUID().toString().replace("-", "");
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();

  Multipart field(String name, String value) {
    write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
        + "\"\r\n\r\n" + value + "\r\n");
    return this;
  }

  Multipart file(String name, String filename, String type, byte[] content) {
    write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
        + "\"; filename=\"" + filename + "\"\r\nContent-Type: " + type + "\r\n\r\n");
    body.writeBytes(content);
    write("\r\n");
    return this;
  }

  byte[] build() {
    write("--" + boundary + "--\r\n");
    return body.toByteArray();
  }

  String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  private void write(String s) {
    body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }
}
