package org.testigo.server.app;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds multipart/form-data bodies the way a browser with JavaScript off sends them. */
final class HttpForms {
  static final String BOUNDARY = "----TestigoFormBoundaryX7q";
  static final String USER_AGENT = "Mozilla/5.0 (Android 10; Mobile; rv:115.0) TestigoProbeAgent/7.7";
  static final HttpClient CLIENT = HttpClient.newHttpClient();

  private final List<byte[]> parts = new ArrayList<>();

  HttpForms field(String name, String value) {
    parts.add(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n"
        + value + "\r\n").getBytes(StandardCharsets.UTF_8));
    return this;
  }

  HttpForms file(String name, String filename, String type, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name
        + "\"; filename=\"" + filename + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    out.writeBytes(content);
    out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    parts.add(out.toByteArray());
    return this;
  }

  byte[] body() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    parts.forEach(out::writeBytes);
    out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  static HttpResponse<String> post(String url, String contentType, byte[] body) throws Exception {
    // A fresh connection per POST: the server may close a connection after refusing a body it
    // did not read, and a pooled connection reused at that moment fails with "header parser
    // received no bytes" (seen in CI), which says nothing about the server's answer.
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
        .header("User-Agent", USER_AGENT).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  HttpResponse<String> post(String url) throws Exception {
    return post(url, "multipart/form-data; boundary=" + BOUNDARY, body());
  }

  static HttpResponse<String> get(String url, String acceptLanguage) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("User-Agent", USER_AGENT);
    if (acceptLanguage != null) {
      b.header("Accept-Language", acceptLanguage);
    }
    return CLIENT.send(b.GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }
}
