-- Fewer index writes per stored report (docs/decisions/0008-group-commit.md). log_pending holds only the leaves the
-- sequencer has not moved yet (it runs every few hundred milliseconds), so the two rare lookups
-- by envelope id and by object hash (a proof of filing asked for at once, a manifest logged at
-- start) read it whole. Its two secondary indexes cost four random index writes per report
-- (insert, then the sequencer's delete) in tables the envelope blobs keep pushing out of memory.
-- Valid on MariaDB 10.11+ and on H2 2.x in MariaDB mode.
ALTER TABLE log_pending DROP INDEX log_pending_by_envelope;
ALTER TABLE log_pending DROP INDEX log_pending_by_object_hash;
