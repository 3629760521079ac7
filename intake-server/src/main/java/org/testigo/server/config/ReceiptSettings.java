package org.testigo.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Argon2id cost of deriving keys from a receipt. A security parameter: lowering it makes
 * stolen mailbox hashes cheaper to attack. Changing it after receipts were issued makes
 * their mailboxes unreachable, so it is fixed per deployment.
 */
public class ReceiptSettings {
  @Min(8) @Max(4 * 1024 * 1024) private int memoryKiB = 64 * 1024;
  @Min(1) @Max(20) private int iterations = 3;
  @Min(1) @Max(16) private int parallelism = 1;

  @JsonProperty public int getMemoryKiB() { return memoryKiB; }
  @JsonProperty public void setMemoryKiB(int v) { this.memoryKiB = v; }
  @JsonProperty public int getIterations() { return iterations; }
  @JsonProperty public void setIterations(int v) { this.iterations = v; }
  @JsonProperty public int getParallelism() { return parallelism; }
  @JsonProperty public void setParallelism(int v) { this.parallelism = v; }
}
