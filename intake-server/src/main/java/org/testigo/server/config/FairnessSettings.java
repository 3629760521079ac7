package org.testigo.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Fair shares per Tor circuit (the {@code fairness:} block; SECURITY.md, "Intake under
 * attack"). Each circuit (each TCP connection when tor sends no PROXY line) has its own
 * budgets; a request over budget gets 429 with Retry-After, decided before its body is read.
 * Budgets per period refill steadily ({@code n} at once, then one every {@code period / n}).
 *
 * <p>The defaults let an honest source do everything a visit needs several times over (a
 * report, status checks, follow-ups, uploads in pieces) and let a shelter file a few reports
 * an hour from one circuit; one attacking circuit gets no more than that.
 */
public class FairnessSettings {
  @Min(1) @Max(256) private int maxConcurrentRequests = 8;
  @Min(1) @Max(64) private int maxConcurrentBodies = 2;
  @Min(1) @Max(16) private int maxKeyDerivationsInFlight = 1;
  @Min(1) @Max(600) private int keyDerivationsPerMinute = 6;
  @Min(1) @Max(64) private int maxOpenUploads = 2;
  @Min(1024) private long maxUploadBytes = 512L * 1024 * 1024;
  @Min(1) @Max(10000) private int mailboxesPerHour = 12;
  @Min(1) @Max(10000) private int uploadsPerHour = 20;
  @Min(1) @Max(100000) private int submissionsPerHour = 60;
  @Min(1) @Max(64) private int maxWaitingPerCircuit = 2;
  @Min(1) @Max(64) private int maxSubmissionsInFlight = 2;
  @Min(1000) @Max(10_000_000) private int maxTrackedCircuits = 200_000;

  /** Requests of one circuit being served at once; the next one gets 429. */
  @JsonProperty public int getMaxConcurrentRequests() { return maxConcurrentRequests; }
  @JsonProperty public void setMaxConcurrentRequests(int v) { this.maxConcurrentRequests = v; }
  /**
   * Requests of one circuit whose bodies are being read at once (a piece of an upload, a
   * submission, a form); the next one gets 429 before its body is read. A browser sends one
   * piece at a time; the rest of {@code maxConcurrentRequests} stays for pages and status checks.
   */
  @JsonProperty public int getMaxConcurrentBodies() { return maxConcurrentBodies; }
  @JsonProperty public void setMaxConcurrentBodies(int v) { this.maxConcurrentBodies = v; }
  /** Argon2id derivations of one circuit running at once (more wait, up to maxWaitingPerCircuit). */
  @JsonProperty public int getMaxKeyDerivationsInFlight() { return maxKeyDerivationsInFlight; }
  @JsonProperty public void setMaxKeyDerivationsInFlight(int v) { this.maxKeyDerivationsInFlight = v; }
  /** Requests that cost an Argon2id derivation (report, status, follow-up by receipt), per minute. */
  @JsonProperty public int getKeyDerivationsPerMinute() { return keyDerivationsPerMinute; }
  @JsonProperty public void setKeyDerivationsPerMinute(int v) { this.keyDerivationsPerMinute = v; }
  /** Uploads a circuit may hold open (not yet committed). */
  @JsonProperty public int getMaxOpenUploads() { return maxOpenUploads; }
  @JsonProperty public void setMaxOpenUploads(int v) { this.maxOpenUploads = v; }
  /** Bytes a circuit's open uploads may hold on disk together. */
  @JsonProperty public long getMaxUploadBytes() { return maxUploadBytes; }
  @JsonProperty public void setMaxUploadBytes(long v) { this.maxUploadBytes = v; }
  /** Mailboxes created per hour (a no-JS report creates one; so does POST /api/v1/mailboxes). */
  @JsonProperty public int getMailboxesPerHour() { return mailboxesPerHour; }
  @JsonProperty public void setMailboxesPerHour(int v) { this.mailboxesPerHour = v; }
  /**
   * Uploads created per hour ({@code POST /api/v1/uploads}): a source's report needs one, a retry
   * after an expired upload another; more than this from one circuit is churn.
   */
  @JsonProperty public int getUploadsPerHour() { return uploadsPerHour; }
  @JsonProperty public void setUploadsPerHour(int v) { this.uploadsPerHour = v; }
  /** Envelopes stored per hour: reports, follow-ups (early erasure requests too), API submissions and upload commits. */
  @JsonProperty public int getSubmissionsPerHour() { return submissionsPerHour; }
  @JsonProperty public void setSubmissionsPerHour(int v) { this.submissionsPerHour = v; }
  /** Submission slots (one database transaction each) one circuit holds at once; more wait. */
  @JsonProperty public int getMaxSubmissionsInFlight() { return maxSubmissionsInFlight; }
  @JsonProperty public void setMaxSubmissionsInFlight(int v) { this.maxSubmissionsInFlight = v; }
  /** Callers of one circuit waiting in the fair queue of one resource; beyond them, 429. */
  @JsonProperty public int getMaxWaitingPerCircuit() { return maxWaitingPerCircuit; }
  @JsonProperty public void setMaxWaitingPerCircuit(int v) { this.maxWaitingPerCircuit = v; }
  /**
   * Circuits remembered at once. A circuit is remembered while it has a connection, an open
   * upload or a budget still refilling; beyond this number the oldest without a connection or
   * an upload is forgotten first.
   */
  @JsonProperty public int getMaxTrackedCircuits() { return maxTrackedCircuits; }
  @JsonProperty public void setMaxTrackedCircuits(int v) { this.maxTrackedCircuits = v; }
}
