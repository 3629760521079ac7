-- Fewer random index writes per stored report (docs/decisions/0010-inline-chunks-and-fewer-indexes.md). The index on
-- log_leaves.object_hash served one lookup only: whether a manifest is already in the log. It
-- took a random index write for every leaf. manifest_hash holds the object hash of manifest
-- leaves only and is NULL for every other leaf; in its index the NULL entries are ordered by
-- idx, so each new leaf's entry goes at the end of that range (no random page write).
-- Valid on MariaDB 10.11+ and on H2 2.x in MariaDB mode.
ALTER TABLE log_leaves ADD COLUMN manifest_hash BINARY(32) NULL;
UPDATE log_leaves SET manifest_hash = object_hash WHERE entry_type = 4;
CREATE INDEX log_leaves_by_manifest_hash ON log_leaves (manifest_hash);
ALTER TABLE log_leaves DROP INDEX log_leaves_by_object_hash;
