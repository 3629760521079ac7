package org.testigo.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The reviewer API: which application connector serves it (its own port, so that it can sit
 * behind a separate, client-authorised onion service), page sizes and body limits.
 * Reviewer paths answer only on that connector; that connector answers nothing else.
 */
public class ReviewerApiSettings {
  private boolean enabled = true;
  @Min(1) @Max(16) private int connectorIndex = 1;
  @Min(1) @Max(10000) private int maxPageSize = 500;
  @Min(1024) @Max(16 * 1024 * 1024) private int maxEventBytes = 1024 * 1024;
  @Min(5) @Max(3600) private int noncePurgeSeconds = 60;
  private java.util.List<String> authorities = java.util.List.of();

  /** Off: no reviewer paths at all (every connector answers them with 404). */
  @JsonProperty public boolean isEnabled() { return enabled; }
  @JsonProperty public void setEnabled(boolean v) { this.enabled = v; }
  /** Index in {@code server.applicationConnectors} of the reviewer connector (not 0: the source port). */
  @JsonProperty public int getConnectorIndex() { return connectorIndex; }
  @JsonProperty public void setConnectorIndex(int v) { this.connectorIndex = v; }
  @JsonProperty public int getMaxPageSize() { return maxPageSize; }
  @JsonProperty public void setMaxPageSize(int v) { this.maxPageSize = v; }
  @JsonProperty public int getMaxEventBytes() { return maxEventBytes; }
  @JsonProperty public void setMaxEventBytes(int v) { this.maxEventBytes = v; }
  @JsonProperty public int getNoncePurgeSeconds() { return noncePurgeSeconds; }
  @JsonProperty public void setNoncePurgeSeconds(int v) { this.noncePurgeSeconds = v; }
  /**
   * Names besides this server's own (the reviewer connector on loopback, the reviewer onion it
   * publishes) that a signed request may give as its authority: {@code host} or
   * {@code host:port}, e.g. an Onionbalance front's onion.
   */
  @JsonProperty public java.util.List<String> getAuthorities() { return authorities; }
  @JsonProperty public void setAuthorities(java.util.List<String> v) { this.authorities = v == null ? java.util.List.of() : java.util.List.copyOf(v); }
}
