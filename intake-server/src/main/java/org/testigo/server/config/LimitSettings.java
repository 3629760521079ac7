package org.testigo.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Resource limits. Every queue is bounded: work beyond the concurrency limits is refused
 * (503 with Retry-After) rather than queued without bound. Only receipt key derivations have
 * a short wait queue ({@code maxQueuedKeyDerivations} callers for at most
 * {@code keyDerivationWaitMillis}), so a core never idles while a source's report waits for
 * one of a few slots that frees within a second.
 */
public class LimitSettings {
  @Min(1024) private long maxEnvelopeBytes = 64L * 1024 * 1024;
  @Min(1024) private long maxFormBytes = 64L * 1024 * 1024;
  @Min(1) @Max(20) private int maxFilesPerForm = 10;
  @Min(1) @Max(1024) private int maxConcurrentSubmissions = 32;
  @Min(1) @Max(64) private int maxConcurrentKeyDerivations = 2;
  @Min(0) @Max(1024) private int maxQueuedKeyDerivations = 32;
  @Min(0) @Max(60_000) private int keyDerivationWaitMillis = 10_000;
  @Min(4096) @Max(1048576) private int chunkBytes = 256 * 1024;
  @Min(1) @Max(3600) private int retryAfterSeconds = 10;
  @Min(1) @Max(10000) private int maxOpenUploads = 128;
  @Min(1) @Max(10000) private int maxBodiesInFlight = 256;
  @Min(1) @Max(100_000) private int maxPendingUploads = 1024;
  @Min(1024) private long maxUploadDiskBytes = 4L * 1024 * 1024 * 1024;
  @Min(4096) @Max(16 * 1024 * 1024) private int maxUploadPieceBytes = 4 * 1024 * 1024;
  @Min(1) @Max(1440) private int uploadIdleMinutes = 60;
  @Min(5) @Max(3600) private int uploadStallSeconds = 60;
  @Min(1) @Max(1440) private int uploadMaxAgeMinutes = 120;
  @Min(0) @Max(4096) private int maxQueuedSubmissions = 64;
  @Min(0) @Max(60_000) private int submissionWaitMillis = 10_000;
  @Min(1) @Max(1_000_000) private int maxVisits = 10_000;
  @Min(1) @Max(720) private int visitIdleMinutes = 30;
  @Min(1) @Max(24) private int visitMaxHours = 2;
  @Min(0) @Max(64 * 1024 * 1024) private int replayBufferBytes = 4 * 1024 * 1024;

  @JsonProperty public long getMaxEnvelopeBytes() { return maxEnvelopeBytes; }
  @JsonProperty public void setMaxEnvelopeBytes(long v) { this.maxEnvelopeBytes = v; }
  @JsonProperty public long getMaxFormBytes() { return maxFormBytes; }
  @JsonProperty public void setMaxFormBytes(long v) { this.maxFormBytes = v; }
  @JsonProperty public int getMaxFilesPerForm() { return maxFilesPerForm; }
  @JsonProperty public void setMaxFilesPerForm(int v) { this.maxFilesPerForm = v; }
  @JsonProperty public int getMaxConcurrentSubmissions() { return maxConcurrentSubmissions; }
  @JsonProperty public void setMaxConcurrentSubmissions(int v) { this.maxConcurrentSubmissions = v; }
  @JsonProperty public int getMaxConcurrentKeyDerivations() { return maxConcurrentKeyDerivations; }
  @JsonProperty public void setMaxConcurrentKeyDerivations(int v) { this.maxConcurrentKeyDerivations = v; }
  /** Callers that may wait for a key-derivation slot; beyond them, 503 at once. */
  @JsonProperty public int getMaxQueuedKeyDerivations() { return maxQueuedKeyDerivations; }
  @JsonProperty public void setMaxQueuedKeyDerivations(int v) { this.maxQueuedKeyDerivations = v; }
  /** How long a queued caller waits for a key-derivation slot before a 503. */
  @JsonProperty public int getKeyDerivationWaitMillis() { return keyDerivationWaitMillis; }
  @JsonProperty public void setKeyDerivationWaitMillis(int v) { this.keyDerivationWaitMillis = v; }
  @JsonProperty public int getChunkBytes() { return chunkBytes; }
  @JsonProperty public void setChunkBytes(int v) { this.chunkBytes = v; }
  /**
   * Envelopes up to this size are held in memory (ciphertext) so their transaction can be run
   * again after a database conflict or node loss; larger ones get one attempt (then 503).
   */
  @JsonProperty public int getReplayBufferBytes() { return replayBufferBytes; }
  @JsonProperty public void setReplayBufferBytes(int v) { this.replayBufferBytes = v; }
  /**
   * Requests on the source connector whose bodies are being read at once (any request with a
   * Content-Length above 0 or a Transfer-Encoding), server-wide; the next one gets 503 with
   * Retry-After before a byte of its body is read. Keep it well below the worker pool
   * ({@code server.maxThreads}, 1024 by default; a quarter of it by default), so that slow
   * bodies, each holding a worker thread while it trickles in at the connector's minimum data
   * rate, can never take the threads that serve pages and the reviewer API (SECURITY.md §8.5).
   */
  @JsonProperty public int getMaxBodiesInFlight() { return maxBodiesInFlight; }
  @JsonProperty public void setMaxBodiesInFlight(int v) { this.maxBodiesInFlight = v; }
  @JsonProperty public int getRetryAfterSeconds() { return retryAfterSeconds; }
  @JsonProperty public void setRetryAfterSeconds(int v) { this.retryAfterSeconds = v; }
  /**
   * Uploads moving data at once: an upload takes one of these slots when its first piece starts
   * to arrive and keeps it until it is committed, deleted or released. An upload that has
   * received no byte (pending) holds none (SECURITY.md §8.5).
   */
  @JsonProperty public int getMaxOpenUploads() { return maxOpenUploads; }
  @JsonProperty public void setMaxOpenUploads(int v) { this.maxOpenUploads = v; }
  /**
   * Uploads created that have received no byte yet, kept at once; when they are all taken a new
   * one releases the oldest of them (whose client gets 404) rather than being refused.
   */
  @JsonProperty public int getMaxPendingUploads() { return maxPendingUploads; }
  @JsonProperty public void setMaxPendingUploads(int v) { this.maxPendingUploads = v; }
  /**
   * Bytes of uncommitted uploads on disk, with room reserved for the pieces arriving; a piece
   * that would pass it gets 503 before any byte is read.
   */
  @JsonProperty public long getMaxUploadDiskBytes() { return maxUploadDiskBytes; }
  @JsonProperty public void setMaxUploadDiskBytes(long v) { this.maxUploadDiskBytes = v; }
  @JsonProperty public int getMaxUploadPieceBytes() { return maxUploadPieceBytes; }
  @JsonProperty public void setMaxUploadPieceBytes(int v) { this.maxUploadPieceBytes = v; }
  /** How long a committed upload's result is kept, so that a repeated commit gets the same answer. */
  @JsonProperty public int getUploadIdleMinutes() { return uploadIdleMinutes; }
  @JsonProperty public void setUploadIdleMinutes(int v) { this.uploadIdleMinutes = v; }
  /** An open upload that receives no byte for this long is released (an empty piece is not progress). */
  @JsonProperty public int getUploadStallSeconds() { return uploadStallSeconds; }
  @JsonProperty public void setUploadStallSeconds(int v) { this.uploadStallSeconds = v; }
  /** Submissions that may wait (fairly, circuit by circuit) for a slot before a 503. */
  @JsonProperty public int getMaxQueuedSubmissions() { return maxQueuedSubmissions; }
  @JsonProperty public void setMaxQueuedSubmissions(int v) { this.maxQueuedSubmissions = v; }
  /** How long a queued submission waits for a slot before a 503. */
  @JsonProperty public int getSubmissionWaitMillis() { return submissionWaitMillis; }
  @JsonProperty public void setSubmissionWaitMillis(int v) { this.submissionWaitMillis = v; }
  /** Source visits (a receipt entered once, SECURITY.md "One Argon2id per visit") held in memory at once. */
  @JsonProperty public int getMaxVisits() { return maxVisits; }
  @JsonProperty public void setMaxVisits(int v) { this.maxVisits = v; }
  /** A visit ends after this long without a request. */
  @JsonProperty public int getVisitIdleMinutes() { return visitIdleMinutes; }
  @JsonProperty public void setVisitIdleMinutes(int v) { this.visitIdleMinutes = v; }
  /** A visit ends this long after it began, used or not. */
  @JsonProperty public int getVisitMaxHours() { return visitMaxHours; }
  @JsonProperty public void setVisitMaxHours(int v) { this.visitMaxHours = v; }
  /** An upload still uncommitted this long after it opened is released, progress or not. */
  @JsonProperty public int getUploadMaxAgeMinutes() { return uploadMaxAgeMinutes; }
  @JsonProperty public void setUploadMaxAgeMinutes(int v) { this.uploadMaxAgeMinutes = v; }
}
