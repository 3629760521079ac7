-- Transparency log (SECURITY-translog.md). Valid on MariaDB 10.11+ and on H2 2.x in MariaDB mode.
-- Leaf indices come from the single row of log_counter, read with SELECT ... FOR UPDATE and
-- advanced in the same transaction that stores the logged object: indices are dense, never
-- reused, and commit in index order (the row lock is held until commit). No time finer than a
-- day is stored (the day is inside the 38-byte leaf).

CREATE TABLE log_counter (
  id          INT      NOT NULL,
  next_index  BIGINT   NOT NULL,
  PRIMARY KEY (id)
);

INSERT INTO log_counter (id, next_index) VALUES (1, 0);

CREATE TABLE log_leaves (
  idx          BIGINT        NOT NULL,
  leaf         VARBINARY(64) NOT NULL,
  leaf_hash    BINARY(32)    NOT NULL,
  entry_type   SMALLINT      NOT NULL,
  object_hash  BINARY(32)    NOT NULL,
  envelope_id  BINARY(16)    NULL,
  PRIMARY KEY (idx)
);

CREATE INDEX log_leaves_by_leaf_hash ON log_leaves (leaf_hash);
CREATE INDEX log_leaves_by_object_hash ON log_leaves (object_hash);

CREATE TABLE log_tree_heads (
  tree_size         BIGINT         NOT NULL,
  timestamp_millis  BIGINT         NOT NULL,
  sth               VARBINARY(128) NOT NULL,
  PRIMARY KEY (tree_size, timestamp_millis)
);
