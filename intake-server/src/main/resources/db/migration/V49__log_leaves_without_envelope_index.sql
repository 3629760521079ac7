-- Fewer random index writes per stored report (docs/decisions/0010-inline-chunks-and-fewer-indexes.md). An envelope's leaf is a
-- function of its row (entry type of its context, its UTC day, its SHA-256), so the index of
-- an envelope's leaf is found through log_leaves_by_leaf_hash, which every inclusion proof
-- uses already. log_leaves_by_envelope, keyed by the random envelope id, cost a random index
-- write per report. The column envelope_id stays (the leaf's envelope, by index).
-- Valid on MariaDB 10.11+ and on H2 2.x in MariaDB mode.
ALTER TABLE log_leaves DROP INDEX log_leaves_by_envelope;
