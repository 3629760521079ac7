package org.testigo.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.nio.file.Path;

/**
 * The transparency log: where the log key is (a file holding the 32-byte Ed25519 seed,
 * mode 0600; relative paths resolve against the data directory), and how often tree heads
 * are signed. Heads are signed at multiples of the interval on the UTC clock; a long
 * interval hides when reports arrive (the default, one hour, matches the coarsening of
 * ARCHITECTURE invariant 2), a short one makes proofs of filing available sooner.
 */
public class LogSettings {
  @NotEmpty private String keyFile = "log-key";
  @Min(1) @Max(86_400) private int treeHeadIntervalSeconds = 3600;
  @Min(1) @Max(168) private int treeHeadRefreshHours = 24;
  @Min(10) @Max(3_600_000) private int sequencerIntervalMillis = 200;

  @JsonProperty public String getKeyFile() { return keyFile; }
  @JsonProperty public void setKeyFile(String v) { this.keyFile = v; }
  @JsonProperty public int getTreeHeadIntervalSeconds() { return treeHeadIntervalSeconds; }
  @JsonProperty public void setTreeHeadIntervalSeconds(int v) { this.treeHeadIntervalSeconds = v; }
  @JsonProperty public int getTreeHeadRefreshHours() { return treeHeadRefreshHours; }
  @JsonProperty public void setTreeHeadRefreshHours(int v) { this.treeHeadRefreshHours = v; }

  /**
   * How often pending leaves get their indices (docs/spec/merkle-log-and-proofs.md §6.1). Also done on demand before
   * a tree head is signed and when the index of a pending envelope is asked for.
   */
  @JsonProperty public int getSequencerIntervalMillis() { return sequencerIntervalMillis; }
  @JsonProperty public void setSequencerIntervalMillis(int v) { this.sequencerIntervalMillis = v; }

  public Path keyFile(Path dataDirectory) { return dataDirectory.resolve(keyFile); }
}
