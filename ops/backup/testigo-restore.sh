#!/usr/bin/env bash
# Testigo restore: checks an archive made by testigo-backup, creates a FRESH database and
# loads it. Refuses to touch a database that already exists.
#
#   testigo-restore ARCHIVE.tar.gz --db-name NEW_NAME [--db-user USER]
#                   [--db-password-file FILE] [--db-host HOST] [--db-port PORT]
#                   [--manifest-to DIR]
#
# Needs an account allowed to create databases (default: MariaDB root over the local
# socket). After loading, run install.sh (or mariadb-users.sql) for NEW_NAME to grant the
# least-privilege accounts, and point intake-server.yml at it (runbooks/seized-server.md).
# --manifest-to DIR copies the manifest chain and root fingerprint from the archive there.
set -euo pipefail

die() { echo "testigo-restore: $*" >&2; exit 1; }

[ $# -ge 1 ] || die "usage: testigo-restore ARCHIVE.tar.gz --db-name NEW_NAME [...]"
archive="$1"
shift
db_name=""
db_user="root"
db_password_file=""
db_host="localhost"
db_port="3306"
manifest_to=""
while [ $# -gt 0 ]; do
  case "$1" in
    --db-name) db_name="${2:?}"; shift 2 ;;
    --db-user) db_user="${2:?}"; shift 2 ;;
    --db-password-file) db_password_file="${2:?}"; shift 2 ;;
    --db-host) db_host="${2:?}"; shift 2 ;;
    --db-port) db_port="${2:?}"; shift 2 ;;
    --manifest-to) manifest_to="${2:?}"; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
[[ "${db_name}" =~ ^[a-z][a-z0-9_]{0,47}$ ]] || die "--db-name must match [a-z][a-z0-9_]*"
[ -f "${archive}" ] || die "no such archive: ${archive}"
[ -f "${archive}.sha256" ] || die "missing checksum file ${archive}.sha256"

dir="$(cd "$(dirname "${archive}")" && pwd)"
base="$(basename "${archive}")"
expected="$(awk '{print $1}' "${archive}.sha256")"
actual="$(sha256sum "${dir}/${base}" | awk '{print $1}')"
[ "${expected}" = "${actual}" ] || die "checksum mismatch: the archive is damaged or altered"

umask 077
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
tar -C "${work}" -xzf "${archive}"
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
