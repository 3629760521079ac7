package org.testigo.server.resources.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CrossSiteFilterTest {
  @Test
  void fetchSite_onlySameOriginAndNoneAreOurs() {
    assertThat(CrossSiteFilter.isCrossSite("same-origin", null, "x.onion")).isFalse();
    assertThat(CrossSiteFilter.isCrossSite(" None ", null, "x.onion")).isFalse();
    assertThat(CrossSiteFilter.isCrossSite("cross-site", null, "x.onion")).isTrue();
    assertThat(CrossSiteFilter.isCrossSite("same-site", null, "x.onion")).isTrue();
    assertThat(CrossSiteFilter.isCrossSite("", null, "x.onion")).isTrue();
    assertThat(CrossSiteFilter.isCrossSite("CROSS-SITE", "http://x.onion", "x.onion")).isTrue();
  }

  @Test
  void origin_absentPasses_nullIsAnotherSite_otherwiseItMustNameThisHost() {
    assertThat(CrossSiteFilter.isCrossSite(null, null, "x.onion")).isFalse();
    // a browser sends null after another site's redirect or from a sandboxed frame (second attack);
    // our pages' own posts carry our origin (Referrer-Policy: same-origin)
    assertThat(CrossSiteFilter.isCrossSite(null, "null", "x.onion")).isTrue();
    assertThat(CrossSiteFilter.isCrossSite("same-origin", "null", "x.onion")).isTrue();
    assertThat(CrossSiteFilter.isCrossSite(null, "ftp://x.onion", "x.onion")).isTrue();
    assertThat(CrossSiteFilter.isCrossSite(null, "http://x.onion", "x.onion")).isFalse();
    assertThat(CrossSiteFilter.isCrossSite(null, "http://X.ONION", "x.onion:80")).isFalse();
    assertThat(CrossSiteFilter.isCrossSite(null, "http://127.0.0.1:8080", "127.0.0.1:8080")).isFalse();
    assertThat(CrossSiteFilter.isCrossSite(null, "http://[::1]:8080", "[::1]:8080")).isFalse();
    assertThat(CrossSiteFilter.isCrossSite(null, "http://y.onion", "x.onion")).isTrue();
    assertThat(CrossSiteFilter.isCrossSite(null, "http://x.onion:8080", "x.onion")).isTrue();
    assertThat(CrossSiteFilter.isCrossSite(null, "http://127.0.0.1:8081", "127.0.0.1:8080")).isTrue();
    assertThat(CrossSiteFilter.isCrossSite(null, "http://x.onion.evil", "x.onion")).isTrue();
    assertThat(CrossSiteFilter.isCrossSite(null, "http://x.onion", null)).isTrue();
    assertThat(CrossSiteFilter.isCrossSite(null, "not a url", "x.onion")).isTrue();
    assertThat(CrossSiteFilter.isCrossSite(null, "file:///etc", "x.onion")).isTrue();
    assertThat(CrossSiteFilter.isCrossSite("same-origin", "http://y.onion", "x.onion")).isTrue();
  }
}
