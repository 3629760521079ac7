-- Galera (SECURITY-galera.md). Valid on MariaDB 10.11+ and on H2 2.x in MariaDB mode.
-- One row: which server instance signs tree heads (a lease that expires), and the size and
-- time of the last head stored. Every head is stored in a transaction that updates this row,
-- so heads are stored one at a time across the cluster (a write conflict between nodes) and
-- never go back in size or time.
CREATE TABLE log_signer (
  id                      INT            NOT NULL,
  holder                  VARBINARY(16)  NULL,
  lease_until_millis      BIGINT         NOT NULL,
  last_size               BIGINT         NOT NULL,
  last_timestamp_millis   BIGINT         NOT NULL,
  PRIMARY KEY (id)
);

INSERT INTO log_signer (id, holder, lease_until_millis, last_size, last_timestamp_millis)
  SELECT 1, NULL, 0, COALESCE(MAX(tree_size), -1), COALESCE(MAX(timestamp_millis), -1) FROM log_tree_heads;
