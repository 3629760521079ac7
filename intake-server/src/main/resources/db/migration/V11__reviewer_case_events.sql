-- Case events posted by reviewers (SECURITY-revapi.md). Append-only: the server never updates
-- or deletes a row. It stores only what it may know: the signed event (case, author key,
-- counter, parents, claimed time, content hash, signature), the sealed content as received,
-- the author's key fingerprint, the sizes and the second it arrived (reviewers are not
-- anonymous; sources never post here).
CREATE TABLE case_events (
  seq                    BIGINT         NOT NULL AUTO_INCREMENT,
  event_id               BINARY(32)     NOT NULL,
  case_id                BINARY(16)     NOT NULL,
  author_fingerprint     BINARY(32)     NOT NULL,
  received_epoch_second  BIGINT         NOT NULL,
  event_size             INT            NOT NULL,
  content_size           INT            NOT NULL,
  event_bytes            VARBINARY(1024) NOT NULL,
  content                MEDIUMBLOB     NOT NULL,
  PRIMARY KEY (seq),
  CONSTRAINT case_events_event_unique UNIQUE (event_id),
  CONSTRAINT case_events_case FOREIGN KEY (case_id) REFERENCES envelopes (id)
);

CREATE INDEX case_events_by_case ON case_events (case_id);

-- Lock row 2 serialises event inserts so that sequence numbers become visible in order.
INSERT INTO reviewer_feed_lock (id, generation) VALUES (2, 0);
