#!/usr/bin/env bash
# Testigo restore: checks a sealed backup made by testigo-backup, opens it with the backup
# key of its period, creates a FRESH database and loads it. Refuses to touch a database that
# already exists, and refuses cleanly, changing nothing, a backup whose period key was
# destroyed on schedule (crypto-shredded).
#
#   testigo-restore BACKUP.tgbackup --db-name NEW_NAME [--key-dir DIR]
#                   [--jar FILE | --tool FILE] [--db-user USER] [--db-password-file FILE]
#                   [--db-host HOST] [--db-port PORT] [--manifest-to DIR]
#
# --key-dir: the backup key directory (default /etc/testigo/backup-keys; on a new host, a
# directory holding the offline copy of the period's key: runbooks/backups.md).
# Needs an account allowed to create databases (default: MariaDB root over the local
# socket). After loading, run install.sh (or mariadb-users.sql) for NEW_NAME to grant the
# least-privilege accounts, and point intake-server.yml at it (runbooks/seized-server.md).
# --manifest-to DIR copies the manifest chain and root fingerprint from the backup there.
# Exit codes: 0 restored; 1 failure; 3 the backup's period key was destroyed on schedule
# (crypto-shredded: the backup cannot be read); 4 no key in the key directory matches the
# backup; 5 the backup is damaged or altered. On any failure no database was created.
set -euo pipefail

die() { echo "testigo-restore: $*" >&2; exit 1; }

[ $# -ge 1 ] || die "usage: testigo-restore BACKUP.tgbackup --db-name NEW_NAME [...]"
archive="$1"
shift
db_name=""
db_user="root"
db_password_file=""
db_host="localhost"
db_port="3306"
manifest_to=""
key_dir="/etc/testigo/backup-keys"
jar="/usr/local/lib/testigo/testigo-intake-server.jar"
tool=""
while [ $# -gt 0 ]; do
  case "$1" in
    --db-name) db_name="${2:?}"; shift 2 ;;
    --db-user) db_user="${2:?}"; shift 2 ;;
    --db-password-file) db_password_file="${2:?}"; shift 2 ;;
    --db-host) db_host="${2:?}"; shift 2 ;;
    --db-port) db_port="${2:?}"; shift 2 ;;
    --manifest-to) manifest_to="${2:?}"; shift 2 ;;
    --key-dir) key_dir="${2:?}"; shift 2 ;;
    --jar) jar="${2:?}"; shift 2 ;;
    --tool) tool="${2:?}"; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
[[ "${db_name}" =~ ^[a-z][a-z0-9_]{0,47}$ ]] || die "--db-name must match [a-z][a-z0-9_]*"
[ -f "${archive}" ] || die "no such backup: ${archive}"
case "${archive}" in
  *.tar.gz) die "${archive} is an unsealed backup from before sealed backups: it is not crypto-shredded;
open it by hand with tar if you must, then delete it and its copies (runbooks/backups.md)" ;;
esac
[ -f "${archive}.sha256" ] || die "missing checksum file ${archive}.sha256"

dir="$(cd "$(dirname "${archive}")" && pwd)"
base="$(basename "${archive}")"
expected="$(awk '{print $1}' "${archive}.sha256")"
actual="$(sha256sum "${dir}/${base}" | awk '{print $1}')"
[ "${expected}" = "${actual}" ] || die "checksum mismatch: the backup is damaged or altered; use another copy"

umask 077
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

# Open first: a backup that cannot be read changes nothing.
status=0
if [ -n "${tool}" ]; then
  "${tool}" backup open --key-dir "${key_dir}" --in "${dir}/${base}" --out "${work}/backup.tar.gz" \
    >"${work}/open.log" 2>&1 || status=$?
else
  [ -r "${jar}" ] || die "cannot read the server jar ${jar} (give --jar FILE)"
  java -Xmx128m -jar "${jar}" backup open --key-dir "${key_dir}" --in "${dir}/${base}" \
    --out "${work}/backup.tar.gz" >"${work}/open.log" 2>&1 || status=$?
fi
if [ "${status}" -ne 0 ]; then
  reason="$(sed -n 's/^backup: //p' "${work}/open.log" | head -n 1)"
  [ -n "${reason}" ] || reason="$(tail -n 5 "${work}/open.log")"
  echo "testigo-restore: ${reason}" >&2
  echo "testigo-restore: nothing was restored; no database was created" >&2
  case "${status}" in
    3|4|5) exit "${status}" ;;
    *) exit 1 ;;
  esac
fi

tar -C "${work}" -xzf "${work}/backup.tar.gz"
rm -f "${work}/backup.tar.gz"
inner="$(find "${work}" -mindepth 1 -maxdepth 1 -type d -name 'testigo-backup-*' | head -n 1)"
[ -n "${inner}" ] || die "not a testigo backup"
grep -qx 'format: testigo-backup-v1' "${inner}/BACKUP-INFO" || die "unknown backup format"
(cd "${inner}" && sha256sum --quiet -c SHA256SUMS) || die "inner checksum mismatch"

conn=(--user="${db_user}")
if [ "${db_host}" != "localhost" ]; then
  conn+=(--host="${db_host}" --port="${db_port}" --protocol=TCP)
fi
if [ -n "${db_password_file}" ]; then
  MYSQL_PWD="$(cat "${db_password_file}")"
  export MYSQL_PWD
fi
exists="$(mariadb "${conn[@]}" -N -B -e \
  "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME='${db_name}'")"
[ "${exists}" = "0" ] || die "database ${db_name} already exists; restore into a new one"
mariadb "${conn[@]}" -e \
  "CREATE DATABASE \`${db_name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
mariadb "${conn[@]}" "${db_name}" <"${inner}/database.sql"

if [ -n "${manifest_to}" ]; then
  mkdir -p "${manifest_to}"
  for f in manifest-chain.txt root-fingerprint; do
    if [ -f "${inner}/${f}" ]; then
      cp "${inner}/${f}" "${manifest_to}/${f}"
    fi
  done
fi
echo "restored ${base} into database ${db_name}"
