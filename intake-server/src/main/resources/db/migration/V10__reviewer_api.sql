-- Reviewer API (SECURITY-revapi.md). Valid on MariaDB 10.11+ and on H2 2.x in MariaDB mode.

-- Replay protection of signed reviewer requests: one row per accepted (key, nonce) until the
-- signature expires. nonce_hash = SHA-256("testigo-nonce-v1" || 0x00 || keyid || 0x00 || nonce).
CREATE TABLE reviewer_nonces (
  nonce_hash     BINARY(32)  NOT NULL,
  expires_epoch  BIGINT      NOT NULL,
  PRIMARY KEY (nonce_hash)
);

CREATE INDEX reviewer_nonces_by_expiry ON reviewer_nonces (expires_epoch);

-- The reviewers' cursor over submissions. A row is added only for a committed envelope, by a
-- sequencer that first updates the single lock row, so sequence numbers become visible in
-- increasing order (no committed row can later appear below a cursor a reader has seen).
CREATE TABLE reviewer_feed_lock (
  id          INT     NOT NULL,
  generation  BIGINT  NOT NULL,
  PRIMARY KEY (id)
);

INSERT INTO reviewer_feed_lock (id, generation) VALUES (1, 0);

CREATE TABLE reviewer_feed (
  seq          BIGINT      NOT NULL AUTO_INCREMENT,
  envelope_id  BINARY(16)  NOT NULL,
  PRIMARY KEY (seq),
  CONSTRAINT reviewer_feed_envelope_unique UNIQUE (envelope_id),
  CONSTRAINT reviewer_feed_envelope FOREIGN KEY (envelope_id) REFERENCES envelopes (id) ON DELETE CASCADE
);
