-- Testigo: database and least-privilege MariaDB accounts. A TEMPLATE: install.sh replaces
-- @@DB@@, @@HOST@@, @@APP_USER@@, @@MIGRATE_USER@@, @@BACKUP_USER@@, @@ADMIN_USER@@ and the
-- @@..._PASSWORD@@ placeholders (generated passwords: [A-Za-z0-9] only) and runs it once
-- per client host (localhost and 127.0.0.1). Idempotent: safe to run again.
--
-- Who may do what (no account but admin may DELETE or DROP anything):
--   app      SELECT, INSERT, UPDATE            the running intake-server
--   migrate  + CREATE, ALTER, INDEX, ...       Flyway migrations (no DELETE, no DROP)
--   backup   SELECT, SHOW VIEW, TRIGGER, ...   mariadb-dump --single-transaction
--   admin    ALL on this database only         restores, repairs; used by a person, rarely

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

CREATE USER IF NOT EXISTS '@@ADMIN_USER@@'@'@@HOST@@' IDENTIFIED BY '@@ADMIN_PASSWORD@@';
ALTER USER '@@ADMIN_USER@@'@'@@HOST@@' IDENTIFIED BY '@@ADMIN_PASSWORD@@';
REVOKE ALL PRIVILEGES, GRANT OPTION FROM '@@ADMIN_USER@@'@'@@HOST@@';
GRANT ALL PRIVILEGES ON `@@DB@@`.* TO '@@ADMIN_USER@@'@'@@HOST@@';

FLUSH PRIVILEGES;
