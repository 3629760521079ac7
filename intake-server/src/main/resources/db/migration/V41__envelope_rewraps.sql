-- Rewrapped envelope headers (docs/spec/reviewer-api-and-batches.md §5). Valid on MariaDB 10.11+ and on H2 2.x in
-- MariaDB mode. Append-only: a rewrap never changes the stored envelope (its chunks stay as
-- received) and a row here is never updated or deleted. The newest generation of an envelope
-- is the header served in front of its original payload.
CREATE TABLE envelope_rewraps (
  seq                     BIGINT      NOT NULL,
  envelope_id             BINARY(16)  NOT NULL,
  generation              INT         NOT NULL,
  header                  MEDIUMBLOB  NOT NULL,
  header_sha256           BINARY(32)  NOT NULL,
  previous_header_sha256  BINARY(32)  NOT NULL,
  served_sha256           BINARY(32)  NOT NULL,
  object_hash             BINARY(32)  NOT NULL,
  signer_fingerprint      BINARY(32)  NOT NULL,
  received_day            DATE        NOT NULL,
  PRIMARY KEY (seq),
  CONSTRAINT envelope_rewraps_generation_unique UNIQUE (envelope_id, generation),
  CONSTRAINT envelope_rewraps_object_unique UNIQUE (object_hash),
  CONSTRAINT envelope_rewraps_envelope FOREIGN KEY (envelope_id) REFERENCES envelopes (id)
);

-- Lock row 3 serialises rewraps and its next_seq hands out their sequence numbers (the
-- reviewers' cursor over rewraps) in the locked transaction, as V30 does for the feed:
-- generations are dense per envelope, sequence numbers dense and visible in increasing order,
-- also under Galera (where AUTO_INCREMENT values interleave by node).
INSERT INTO reviewer_feed_lock (id, generation, next_seq) VALUES (3, 0, 1);
