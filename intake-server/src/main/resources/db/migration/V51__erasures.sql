-- Erasure (docs/spec/retention-and-erasure.md §3). Valid on MariaDB 10.11+ and on H2 2.x in MariaDB mode.
-- Until now the server never deleted stored data. An erasure deletes, in one transaction under
-- the eraser account (ops/install/mariadb-users.sql), a case's envelope rows (with their inline
-- data), chunks, rewrapped headers, mailbox links, mailbox and reviewer-feed rows, empties the
-- sealed content of its case events but one, clears the envelope link of their log leaves
-- (the leaves stay), and records the signed decision here. The decision is public: auditors
-- read it from the audit feed and check it against the erasure leaf (object hash =
-- decision_hash). case_id is unique: a case is erased by one decision.
CREATE TABLE erasures (
  seq            BIGINT      NOT NULL,
  case_id        BINARY(16)  NOT NULL,
  decision       MEDIUMBLOB  NOT NULL,
  decision_hash  BINARY(32)  NOT NULL,
  erased_day     DATE        NOT NULL,
  object_count   INT         NOT NULL,
  erased_bytes   BIGINT      NOT NULL,
  PRIMARY KEY (seq),
  CONSTRAINT erasures_case_unique UNIQUE (case_id),
  CONSTRAINT erasures_decision_unique UNIQUE (decision_hash)
);

-- Lock row 5 serialises erasures and its next_seq hands out their sequence numbers (the
-- erasure feeds' cursor), dense and visible in increasing order also under Galera, as V41 does
-- for rewraps. An erasure also takes lock row 2 (case events), so no event of the case is
-- stored while it is erased, and none after (a post for an erased case is refused).
INSERT INTO reviewer_feed_lock (id, generation, next_seq) VALUES (5, 0, 1);

-- The signed case events of an erased case stay (they are logged and hold no content), while
-- its report row goes: the link from case_events to envelopes can no longer be a foreign key.
-- The service checks that a case is a stored report before storing an event, under lock row 2.
ALTER TABLE case_events DROP FOREIGN KEY case_events_case;
