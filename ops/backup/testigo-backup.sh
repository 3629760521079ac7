#!/usr/bin/env bash
# Testigo backup: the database (ciphertext only: the server never stores plaintext) and
# the signed key-manifest chain, in one dated tar.gz with a SHA-256 checksum file.
#
#   testigo-backup [--out DIR] [--etc DIR] [--db-name NAME] [--db-user USER]
#                  [--db-password-file FILE] [--db-host HOST] [--db-port PORT]
#
# Defaults: --out /var/backups/testigo, --etc /etc/testigo, database "testigo" read by the
# least-privilege account testigo_backup with the password in <etc>/db-backup-password.
# Prints the path of the archive. The archive holds no onion-service key and no secret
# of the server (those are backed up offline, by hand: runbooks/first-install.md).
set -euo pipefail

out="/var/backups/testigo"
etc="/etc/testigo"
db_name="testigo"
db_user="testigo_backup"
db_password_file=""
db_host="localhost"
db_port="3306"

die() { echo "testigo-backup: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="${2:?}"; shift 2 ;;
    --etc) etc="${2:?}"; shift 2 ;;
    --db-name) db_name="${2:?}"; shift 2 ;;
    --db-user) db_user="${2:?}"; shift 2 ;;
    --db-password-file) db_password_file="${2:?}"; shift 2 ;;
    --db-host) db_host="${2:?}"; shift 2 ;;
    --db-port) db_port="${2:?}"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
done
[ -n "${db_password_file}" ] || db_password_file="${etc}/db-backup-password"
[ -r "${db_password_file}" ] || die "cannot read ${db_password_file}"

umask 077
mkdir -p "${out}"
stamp="$(date -u +%Y-%m-%dT%H%M%SZ)"
name="testigo-backup-${stamp}"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
mkdir "${work}/${name}"

MYSQL_PWD="$(cat "${db_password_file}")"
export MYSQL_PWD
conn=(--user="${db_user}")
if [ "${db_host}" != "localhost" ]; then
  conn+=(--host="${db_host}" --port="${db_port}" --protocol=TCP)
fi
mariadb-dump "${conn[@]}" --single-transaction --quick --skip-lock-tables \
  --hex-blob --routines --triggers --no-tablespaces --skip-dump-date \
  "${db_name}" >"${work}/${name}/database.sql"
unset MYSQL_PWD

for f in manifest-chain.txt root-fingerprint; do
  if [ -f "${etc}/${f}" ]; then
    cp "${etc}/${f}" "${work}/${name}/${f}"
  fi
done
printf 'format: testigo-backup-v1\ncreated: %s\ndatabase: %s\n' "${stamp}" "${db_name}" \
  >"${work}/${name}/BACKUP-INFO"
(cd "${work}/${name}" && sha256sum -- * >SHA256SUMS)

tar -C "${work}" -czf "${out}/${name}.tar.gz" "${name}"
(cd "${out}" && sha256sum "${name}.tar.gz" >"${name}.tar.gz.sha256")
echo "${out}/${name}.tar.gz"
