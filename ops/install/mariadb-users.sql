-- Testigo: database and least-privilege MariaDB accounts. A TEMPLATE: install.sh replaces
-- @@DB@@, @@HOST@@, @@APP_USER@@, @@MIGRATE_USER@@, @@BACKUP_USER@@, @@ERASER_USER@@, @@ADMIN_USER@@ and the
-- @@..._PASSWORD@@ placeholders (generated passwords: [A-Za-z0-9] only) and runs it once
-- per client host (localhost and 127.0.0.1). Idempotent: safe to run again.
--
-- Who may do what (no account but eraser and admin may DELETE; none but admin may DROP):
--   app      SELECT, INSERT, UPDATE            the running intake-server
--   migrate  + CREATE, ALTER, INDEX, ...       Flyway migrations (no DELETE, no DROP)
--   backup   SELECT, SHOW VIEW, TRIGGER, ...   mariadb-dump --single-transaction
--   eraser   SELECT; DELETE on the tables an   the intake-server's erasures only
--            erasure empties, UPDATE on three  (docs/spec/retention-and-erasure.md §3.3)
--            columns and the lock row, INSERT
--            on erasures and log_pending
--   admin    ALL on this database only         restores, repairs; used by a person, rarely
--
-- The eraser's table grants name tables that the migrations create (V51 and earlier): MariaDB
-- refuses a grant on a table that does not exist. They are given once the erasures table
-- exists, so run install.sh again after the first "db migrate" (it is idempotent).

CREATE DATABASE IF NOT EXISTS `@@DB@@` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

CREATE USER IF NOT EXISTS '@@APP_USER@@'@'@@HOST@@' IDENTIFIED BY '@@APP_PASSWORD@@';
ALTER USER '@@APP_USER@@'@'@@HOST@@' IDENTIFIED BY '@@APP_PASSWORD@@';
REVOKE ALL PRIVILEGES, GRANT OPTION FROM '@@APP_USER@@'@'@@HOST@@';
GRANT SELECT, INSERT, UPDATE ON `@@DB@@`.* TO '@@APP_USER@@'@'@@HOST@@';

CREATE USER IF NOT EXISTS '@@MIGRATE_USER@@'@'@@HOST@@' IDENTIFIED BY '@@MIGRATE_PASSWORD@@';
ALTER USER '@@MIGRATE_USER@@'@'@@HOST@@' IDENTIFIED BY '@@MIGRATE_PASSWORD@@';
REVOKE ALL PRIVILEGES, GRANT OPTION FROM '@@MIGRATE_USER@@'@'@@HOST@@';
GRANT SELECT, INSERT, UPDATE, CREATE, ALTER, INDEX, REFERENCES, CREATE VIEW, SHOW VIEW,
  LOCK TABLES ON `@@DB@@`.* TO '@@MIGRATE_USER@@'@'@@HOST@@';

CREATE USER IF NOT EXISTS '@@BACKUP_USER@@'@'@@HOST@@' IDENTIFIED BY '@@BACKUP_PASSWORD@@';
ALTER USER '@@BACKUP_USER@@'@'@@HOST@@' IDENTIFIED BY '@@BACKUP_PASSWORD@@';
REVOKE ALL PRIVILEGES, GRANT OPTION FROM '@@BACKUP_USER@@'@'@@HOST@@';
GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES ON `@@DB@@`.* TO '@@BACKUP_USER@@'@'@@HOST@@';

CREATE USER IF NOT EXISTS '@@ERASER_USER@@'@'@@HOST@@' IDENTIFIED BY '@@ERASER_PASSWORD@@';
ALTER USER '@@ERASER_USER@@'@'@@HOST@@' IDENTIFIED BY '@@ERASER_PASSWORD@@';
REVOKE ALL PRIVILEGES, GRANT OPTION FROM '@@ERASER_USER@@'@'@@HOST@@';
GRANT SELECT ON `@@DB@@`.* TO '@@ERASER_USER@@'@'@@HOST@@';
DELIMITER //
BEGIN NOT ATOMIC
  IF (SELECT COUNT(*) FROM information_schema.tables
      WHERE table_schema = '@@DB@@' AND table_name = 'erasures') = 1 THEN
    GRANT DELETE ON `@@DB@@`.`envelopes` TO '@@ERASER_USER@@'@'@@HOST@@';
    GRANT DELETE ON `@@DB@@`.`envelope_chunks` TO '@@ERASER_USER@@'@'@@HOST@@';
    GRANT DELETE ON `@@DB@@`.`envelope_rewraps` TO '@@ERASER_USER@@'@'@@HOST@@';
    GRANT DELETE ON `@@DB@@`.`mailboxes` TO '@@ERASER_USER@@'@'@@HOST@@';
    GRANT DELETE ON `@@DB@@`.`mailbox_envelopes` TO '@@ERASER_USER@@'@'@@HOST@@';
    GRANT DELETE ON `@@DB@@`.`reviewer_feed` TO '@@ERASER_USER@@'@'@@HOST@@';
    GRANT UPDATE (`content`) ON `@@DB@@`.`case_events` TO '@@ERASER_USER@@'@'@@HOST@@';
    GRANT UPDATE (`envelope_id`) ON `@@DB@@`.`log_leaves` TO '@@ERASER_USER@@'@'@@HOST@@';
    GRANT INSERT, UPDATE (`envelope_id`) ON `@@DB@@`.`log_pending` TO '@@ERASER_USER@@'@'@@HOST@@';
    GRANT UPDATE (`generation`, `next_seq`) ON `@@DB@@`.`reviewer_feed_lock` TO '@@ERASER_USER@@'@'@@HOST@@';
    GRANT INSERT ON `@@DB@@`.`erasures` TO '@@ERASER_USER@@'@'@@HOST@@';
  END IF;
END //
DELIMITER ;

CREATE USER IF NOT EXISTS '@@ADMIN_USER@@'@'@@HOST@@' IDENTIFIED BY '@@ADMIN_PASSWORD@@';
ALTER USER '@@ADMIN_USER@@'@'@@HOST@@' IDENTIFIED BY '@@ADMIN_PASSWORD@@';
REVOKE ALL PRIVILEGES, GRANT OPTION FROM '@@ADMIN_USER@@'@'@@HOST@@';
GRANT ALL PRIVILEGES ON `@@DB@@`.* TO '@@ADMIN_USER@@'@'@@HOST@@';

FLUSH PRIVILEGES;
