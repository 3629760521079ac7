-- Galera (SECURITY-galera.md). Valid on MariaDB 10.11+ and on H2 2.x in MariaDB mode.
-- Reviewer feed sequence numbers come from this counter, advanced in the sequencer's
-- transaction under the feed lock row, instead of AUTO_INCREMENT: under Galera each node
-- hands out auto-increment values from its own offset (auto_increment_increment = cluster
-- size), which are unique but not dense and not tied to commit order.
ALTER TABLE reviewer_feed_lock ADD COLUMN next_seq BIGINT NOT NULL DEFAULT 1;

UPDATE reviewer_feed_lock SET next_seq = (SELECT COALESCE(MAX(seq), 0) + 1 FROM reviewer_feed) WHERE id = 1;
