-- Transparency log without a global lock in storing transactions (docs/spec/merkle-log-and-proofs.md §6.1). Valid on
-- MariaDB 10.11+ and on H2 2.x in MariaDB mode.
-- A storing transaction (envelope, case event, reply, manifest) inserts its leaf here, keyed by
-- AUTO_INCREMENT (unique; under Galera neither dense nor commit-ordered, which is why it is not
-- the index). The sequencer then moves committed pending leaves into log_leaves in its own short
-- transaction, under the log_counter row (SELECT ... FOR UPDATE), giving them the next dense
-- indices and advancing next_index. log_counter.next_index remains the number of leaves.
CREATE TABLE log_pending (
  id           BIGINT        NOT NULL AUTO_INCREMENT,
  leaf         VARBINARY(64) NOT NULL,
  leaf_hash    BINARY(32)    NOT NULL,
  entry_type   SMALLINT      NOT NULL,
  object_hash  BINARY(32)    NOT NULL,
  envelope_id  BINARY(16)    NULL,
  PRIMARY KEY (id)
);

CREATE INDEX log_pending_by_envelope ON log_pending (envelope_id);
CREATE INDEX log_pending_by_object_hash ON log_pending (object_hash);

CREATE INDEX log_leaves_by_envelope ON log_leaves (envelope_id);
