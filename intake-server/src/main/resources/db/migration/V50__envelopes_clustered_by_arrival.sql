-- Envelopes are stored in arrival order (docs/decisions/0011-envelopes-clustered-by-arrival.md). The primary key, which InnoDB
-- uses as the table's clustered index, was the random envelope id: every report inserted its
-- whole row at a random place in that index, splitting and dirtying pages all over it, and
-- the rate fell as the table grew. The primary key is now a sequence, so rows are appended;
-- the random id keeps a unique index of its own (a small entry per report), which every
-- lookup and every foreign key uses as before.
-- The sequence is internal: never shown, never sent, never in a log line. It reveals arrival
-- order, which the transparency log records already (one leaf per envelope, in order).
-- Valid on MariaDB 10.11+ and on H2 2.x in MariaDB mode. H2 does not drop a primary key that
-- a foreign key uses, so the five foreign keys to envelopes (id) are dropped first and added
-- back, unchanged, on the unique index. On MariaDB the key changes copy the envelopes table.
ALTER TABLE envelope_chunks DROP FOREIGN KEY chunks_envelope;
ALTER TABLE mailbox_envelopes DROP FOREIGN KEY mailbox_envelopes_envelope;
ALTER TABLE reviewer_feed DROP FOREIGN KEY reviewer_feed_envelope;
ALTER TABLE case_events DROP FOREIGN KEY case_events_case;
ALTER TABLE envelope_rewraps DROP FOREIGN KEY envelope_rewraps_envelope;

ALTER TABLE envelopes DROP PRIMARY KEY;
ALTER TABLE envelopes ADD CONSTRAINT envelopes_id_unique UNIQUE (id);
ALTER TABLE envelopes ADD COLUMN seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY FIRST;

ALTER TABLE envelope_chunks ADD CONSTRAINT chunks_envelope
  FOREIGN KEY (envelope_id) REFERENCES envelopes (id) ON DELETE CASCADE;
ALTER TABLE mailbox_envelopes ADD CONSTRAINT mailbox_envelopes_envelope
  FOREIGN KEY (envelope_id) REFERENCES envelopes (id) ON DELETE CASCADE;
ALTER TABLE reviewer_feed ADD CONSTRAINT reviewer_feed_envelope
  FOREIGN KEY (envelope_id) REFERENCES envelopes (id) ON DELETE CASCADE;
ALTER TABLE case_events ADD CONSTRAINT case_events_case
  FOREIGN KEY (case_id) REFERENCES envelopes (id);
ALTER TABLE envelope_rewraps ADD CONSTRAINT envelope_rewraps_envelope
  FOREIGN KEY (envelope_id) REFERENCES envelopes (id);
