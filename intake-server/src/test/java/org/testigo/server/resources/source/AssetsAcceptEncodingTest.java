package org.testigo.server.resources.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Accept-Encoding as clients send it, and as an attacker does (a bad one was a 500). */
class AssetsAcceptEncodingTest {
  @Test
  void gzipOnlyWhenAccepted_andMalformedHeadersAreNotAccepted_neverAnError() {
    assertThat(AssetsResource.acceptsGzip("gzip, deflate, br")).isTrue();
    assertThat(AssetsResource.acceptsGzip("br;q=1, GZIP;q=0.5")).isTrue();
    assertThat(AssetsResource.acceptsGzip("gzip;q=0")).isFalse();
    assertThat(AssetsResource.acceptsGzip("deflate")).isFalse();
    assertThat(AssetsResource.acceptsGzip(null)).isFalse();
    for (String hostile : new String[] {";", ";;;,,,gzip", ",;,", "", " ; ", ";gzip", "gzip;;"}) {
      AssetsResource.acceptsGzip(hostile);
    }
    assertThat(AssetsResource.acceptsGzip(";;;,,,gzip")).isTrue();
    assertThat(AssetsResource.acceptsGzip(";")).isFalse();
  }
}
