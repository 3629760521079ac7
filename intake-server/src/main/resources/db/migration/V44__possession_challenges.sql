-- Answered possession challenges (docs/spec/merkle-log-and-proofs.md §5.1). Append-only: the server never updates
-- or deletes a row. A row is stored only for an answer that verified, together with the
-- challenge it answers; both are public (the nonce is revealed by the answer, once used).
CREATE TABLE possession_challenges (
  seq                    BIGINT          NOT NULL AUTO_INCREMENT,
  challenge_id           BINARY(16)      NOT NULL,
  reviewer_fingerprint   BINARY(32)      NOT NULL,
  received_epoch_second  BIGINT          NOT NULL,
  challenge              VARBINARY(8400) NOT NULL,
  answer                 VARBINARY(256)  NOT NULL,
  PRIMARY KEY (seq),
  CONSTRAINT possession_challenges_id_unique UNIQUE (challenge_id)
);

-- Lock row 4 serialises answers: sequence numbers become visible in order, and a second
-- answer to the same challenge id waits for the first and is then refused.
INSERT INTO reviewer_feed_lock (id, generation) VALUES (4, 0);
