#!/usr/bin/env bash
# Testigo: idempotent installation on a Debian 12 host. Run as root; run again at will.
#
#   install.sh [--prefix DIR] [--jar FILE] [--db-host HOST] [--db-port PORT]
#              [--db-name NAME] [--db-user-prefix PREFIX] [--db-root-user USER]
#              [--db-root-password-file FILE] [--skip-db]
#
# Without --prefix: installs packages (tor, mariadb-server, openjdk-17-jre-headless),
# creates the system user and group "testigo", the MariaDB database and least-privilege
# accounts, config files in /etc/testigo, the torrc, the systemd units and the journald
# drop-in, and enables the services.
# With --prefix DIR: writes every file under DIR instead (DIR/etc/testigo, DIR/etc/tor,
# DIR/etc/systemd/system, DIR/var/lib/testigo, ...) and changes nothing else on the host:
# no apt, no user, no chown, no systemctl. The database step still runs against the
# MariaDB given by --db-host/--db-port (tests use a uniquely named database; --skip-db
# leaves it out).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ops="$(cd "${here}/.." && pwd)"

prefix=""
jar=""
db_host="localhost"
db_port="3306"
db_name="testigo"
user_prefix="testigo"
db_root_user="root"
db_root_password_file=""
skip_db=0

die() { echo "install.sh: $*" >&2; exit 1; }
say() { echo "install.sh: $*"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="${2:?--prefix needs a directory}"; shift 2 ;;
    --jar) jar="${2:?--jar needs a file}"; shift 2 ;;
    --db-host) db_host="${2:?}"; shift 2 ;;
    --db-port) db_port="${2:?}"; shift 2 ;;
    --db-name) db_name="${2:?}"; shift 2 ;;
    --db-user-prefix) user_prefix="${2:?}"; shift 2 ;;
    --db-root-user) db_root_user="${2:?}"; shift 2 ;;
    --db-root-password-file) db_root_password_file="${2:?}"; shift 2 ;;
    --skip-db) skip_db=1; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done

[[ "${db_name}" =~ ^[a-z][a-z0-9_]{0,47}$ ]] || die "--db-name must match [a-z][a-z0-9_]*"
[[ "${user_prefix}" =~ ^[a-z][a-z0-9_]{0,20}$ ]] || die "--db-user-prefix must match [a-z][a-z0-9_]*"
[[ "${db_port}" =~ ^[0-9]+$ ]] || die "--db-port must be a number"

if [ -n "${prefix}" ]; then
  mkdir -p "${prefix}"
  prefix="$(cd "${prefix}" && pwd)"
  system=0
else
  [ "$(id -u)" -eq 0 ] || die "run as root (or give --prefix DIR for a test install)"
  system=1
fi

etc="${prefix}/etc/testigo"
var="${prefix}/var/lib/testigo"
backups="${prefix}/var/backups/testigo"
bindir="${prefix}/usr/local/lib/testigo"
units="${prefix}/etc/systemd/system"
journald="${prefix}/etc/systemd/journald.conf.d"
tordir="${prefix}/etc/tor"

# --- packages, user ---------------------------------------------------------------------
if [ "${system}" -eq 1 ]; then
  say "installing packages"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    tor mariadb-server mariadb-client openjdk-17-jre-headless
  if ! getent group testigo >/dev/null; then
    groupadd --system testigo
  fi
  if ! getent passwd testigo >/dev/null; then
    useradd --system --gid testigo --home-dir /var/lib/testigo --no-create-home \
      --shell /usr/sbin/nologin testigo
  fi
  # The service reads tor's control cookie (CookieAuthFileGroupReadable): join tor's group.
  usermod -a -G debian-tor testigo
fi

# owner_mode MODE OWNER:GROUP FILE...  (ownership only on a real install)
owner_mode() {
  local mode="$1" owner="$2"
  shift 2
  chmod "${mode}" "$@"
  if [ "${system}" -eq 1 ]; then
    chown "${owner}" "$@"
  fi
}

# install_file SRC DEST MODE OWNER: copies only when the content differs.
install_file() {
  local src="$1" dest="$2" mode="$3" owner="$4"
  if [ -f "${dest}" ] && cmp -s "${src}" "${dest}"; then
    owner_mode "${mode}" "${owner}" "${dest}"
    return 0
  fi
  if [ -f "${dest}" ]; then
    cp -p "${dest}" "${dest}.before-testigo.$(date -u +%Y%m%dT%H%M%SZ)"
  fi
  install -m "${mode}" "${src}" "${dest}"
  owner_mode "${mode}" "${owner}" "${dest}"
  say "wrote ${dest}"
}

# secret_file FILE OWNER: a random 32-character [A-Za-z0-9] password, created once.
secret_file() {
  local file="$1" owner="$2"
  if [ ! -s "${file}" ]; then
    local pw=""
    while [ "${#pw}" -lt 32 ]; do
      pw="${pw}$(head -c 512 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9')"
    done
    (umask 077 && printf '%s' "${pw:0:32}" >"${file}")
    say "generated ${file}"
  fi
  owner_mode 0640 "${owner}" "${file}"
}

say "creating directories"
mkdir -p "${etc}" "${var}" "${var}/onion-keys" "${backups}" "${bindir}" "${units}" \
  "${journald}" "${tordir}"
owner_mode 0750 root:testigo "${etc}"
owner_mode 0700 testigo:testigo "${var}" "${var}/onion-keys"
owner_mode 0700 root:root "${backups}"
# Backup keys (one X-Wing key pair per month, runbooks/backups.md): root only, never the service.
mkdir -p "${etc}/backup-keys"
owner_mode 0700 root:root "${etc}/backup-keys"

# --- secrets ----------------------------------------------------------------------------
secret_file "${etc}/db-password" root:testigo
# The eraser account's password: read by the service too (eraserDatabase), like db-password.
secret_file "${etc}/db-eraser-password" root:testigo
secret_file "${etc}/db-migrate-password" root:root
secret_file "${etc}/db-backup-password" root:root
secret_file "${etc}/db-admin-password" root:root
owner_mode 0600 root:root "${etc}/db-migrate-password" "${etc}/db-backup-password" \
  "${etc}/db-admin-password"
if [ ! -s "${etc}/deployment-secret" ]; then
  (umask 077 && head -c 32 /dev/urandom >"${etc}/deployment-secret")
  say "generated ${etc}/deployment-secret"
fi
owner_mode 0640 root:testigo "${etc}/deployment-secret"
if [ ! -e "${etc}/reviewer-client-keys" ]; then
  printf '%s\n' "# One reviewer client-auth public key per line (descriptor:x25519:<base32>)." \
    "# See ops/runbooks/adding-and-removing-a-reviewer.md. Re-read every few seconds." \
    >"${etc}/reviewer-client-keys"
fi
owner_mode 0640 root:testigo "${etc}/reviewer-client-keys"

# --- configuration, program, units ------------------------------------------------------
if [ -f "${ops}/config/intake-server.yml" ]; then
  if [ ! -f "${etc}/intake-server.yml" ]; then
    install_file "${ops}/config/intake-server.yml" "${etc}/intake-server.yml" 0640 root:testigo
  else
    say "keeping existing ${etc}/intake-server.yml (compare with ${ops}/config/intake-server.yml)"
  fi
fi
if [ -n "${jar}" ]; then
  install_file "${jar}" "${bindir}/testigo-intake-server.jar" 0644 root:root
fi
install_file "${ops}/systemd/testigo-intake.service" "${units}/testigo-intake.service" 0644 root:root
install_file "${ops}/systemd/testigo-backup.service" "${units}/testigo-backup.service" 0644 root:root
install_file "${ops}/systemd/testigo-backup.timer" "${units}/testigo-backup.timer" 0644 root:root
install_file "${ops}/journald/50-testigo.conf" "${journald}/50-testigo.conf" 0644 root:root
install_file "${ops}/tor/torrc" "${tordir}/torrc" 0644 root:root
install_file "${ops}/backup/testigo-backup.sh" "${bindir}/testigo-backup" 0755 root:root
install_file "${ops}/backup/testigo-restore.sh" "${bindir}/testigo-restore" 0755 root:root

# --- database ---------------------------------------------------------------------------
if [ "${skip_db}" -eq 0 ]; then
  say "creating database ${db_name} and accounts ${user_prefix}_{app,migrate,backup,eraser,admin}"
  mysql_args=(--user="${db_root_user}")
  if [ "${db_host}" != "localhost" ]; then
    mysql_args+=(--host="${db_host}" --port="${db_port}" --protocol=TCP)
  fi
  if [ -n "${db_root_password_file}" ]; then
    MYSQL_PWD="$(cat "${db_root_password_file}")"
    export MYSQL_PWD
  fi
  # Substitution in bash, not sed: passwords never appear in a command line (ps).
  template="$(cat "${here}/mariadb-users.sql")"
  for host in localhost 127.0.0.1; do
    sql="${template//@@DB@@/${db_name}}"
    sql="${sql//@@HOST@@/${host}}"
    sql="${sql//@@APP_USER@@/${user_prefix}_app}"
    sql="${sql//@@MIGRATE_USER@@/${user_prefix}_migrate}"
    sql="${sql//@@BACKUP_USER@@/${user_prefix}_backup}"
    sql="${sql//@@ERASER_USER@@/${user_prefix}_eraser}"
    sql="${sql//@@ADMIN_USER@@/${user_prefix}_admin}"
    sql="${sql//@@APP_PASSWORD@@/$(cat "${etc}/db-password")}"
    sql="${sql//@@MIGRATE_PASSWORD@@/$(cat "${etc}/db-migrate-password")}"
    sql="${sql//@@BACKUP_PASSWORD@@/$(cat "${etc}/db-backup-password")}"
    sql="${sql//@@ERASER_PASSWORD@@/$(cat "${etc}/db-eraser-password")}"
    sql="${sql//@@ADMIN_PASSWORD@@/$(cat "${etc}/db-admin-password")}"
    printf '%s\n' "${sql}" | mariadb "${mysql_args[@]}"
  done
  unset MYSQL_PWD
fi

# --- services ---------------------------------------------------------------------------
if [ "${system}" -eq 1 ]; then
  systemctl daemon-reload
  systemctl restart systemd-journald
  systemctl enable --now mariadb
  systemctl restart tor@default
  systemctl enable testigo-backup.timer
  if [ -f "${bindir}/testigo-intake-server.jar" ] && [ -f "${etc}/manifest-chain.txt" ]; then
    systemctl enable --now testigo-intake.service
  else
    say "not starting testigo-intake yet: install the jar (--jar) and the signed manifest"
    say "chain (${etc}/manifest-chain.txt, root-fingerprint); see runbooks/first-install.md"
  fi
fi
say "done"
