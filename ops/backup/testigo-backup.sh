#!/usr/bin/env bash
# Testigo backup: the database (ciphertext only: the server never stores plaintext) and
# the signed key-manifest chain, in one tar.gz sealed as an envelope v1 (context "backup")
# to the backup key of the current period (UTC month), with a SHA-256 checksum file.
# Before that, on every run, destroys the backup keys of expired periods (crypto-shredding:
# every backup of such a period becomes unreadable wherever its copies are) and names them.
#
#   testigo-backup [--out DIR] [--etc DIR] [--key-dir DIR] [--keep-months N]
#                  [--jar FILE | --tool FILE] [--period YYYY-MM] [--db-name NAME]
#                  [--db-user USER] [--db-password-file FILE] [--db-host HOST] [--db-port PORT]
#
# Defaults: --out /var/backups/testigo, --etc /etc/testigo, --key-dir <etc>/backup-keys,
# --jar /usr/local/lib/testigo/testigo-intake-server.jar, database "testigo" read by the
# least-privilege account testigo_backup with the password in <etc>/db-backup-password.
# --keep-months N: keep the keys of the current period and the N before it; without it,
# N = ceil(longest retention in days / 30) + 1 from the retention policy of the manifest in
# force (<etc>/manifest-chain.txt verified from <etc>/root-fingerprint; the longest retention
# is referral_days, or spam_days if longer); no key is destroyed if it has no policy.
# --period YYYY-MM replaces the current month (disaster drills and tests only).
# --tool FILE runs FILE instead of "java -jar JAR" (tests). Prints the path of the sealed
# backup last. The archive holds no onion-service key and no secret of the server.
# Exit codes: 0 done; 1 failure: nothing was sealed, or the key destruction failed (the backup
# is still made then, and the failure reported last).
set -euo pipefail

out="/var/backups/testigo"
etc="/etc/testigo"
key_dir=""
keep_months=""
jar="/usr/local/lib/testigo/testigo-intake-server.jar"
tool=""
period=""
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
    --key-dir) key_dir="${2:?}"; shift 2 ;;
    --keep-months) keep_months="${2:?}"; shift 2 ;;
    --jar) jar="${2:?}"; shift 2 ;;
    --tool) tool="${2:?}"; shift 2 ;;
    --period) period="${2:?}"; shift 2 ;;
    --db-name) db_name="${2:?}"; shift 2 ;;
    --db-user) db_user="${2:?}"; shift 2 ;;
    --db-password-file) db_password_file="${2:?}"; shift 2 ;;
    --db-host) db_host="${2:?}"; shift 2 ;;
    --db-port) db_port="${2:?}"; shift 2 ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
done
[ -n "${db_password_file}" ] || db_password_file="${etc}/db-backup-password"
[ -r "${db_password_file}" ] || die "cannot read ${db_password_file}"
[ -n "${key_dir}" ] || key_dir="${etc}/backup-keys"
if [ -n "${keep_months}" ]; then
  [[ "${keep_months}" =~ ^[0-9]{1,4}$ ]] || die "--keep-months must be a number of months"
fi
if [ -n "${period}" ]; then
  [[ "${period}" =~ ^[0-9]{4}-[0-9]{2}$ ]] || die "--period must be YYYY-MM"
fi

# backup_tool ARGS...: the intake server's "backup" command (streams; 128 MiB of heap whatever the size).
backup_tool() {
  if [ -n "${tool}" ]; then
    "${tool}" backup "$@"
  else
    [ -r "${jar}" ] || die "cannot read the server jar ${jar} (give --jar FILE)"
    java -Xmx128m -jar "${jar}" backup "$@"
  fi
}
period_args=()
if [ -n "${period}" ]; then
  period_args=(--period "${period}")
fi

umask 077
mkdir -p "${out}"

shred_failed=0
# 1. Destroy the keys of expired periods, on every run, before anything else can fail.
shred_args=(--key-dir "${key_dir}" "${period_args[@]}")
if [ -n "${keep_months}" ]; then
  shred_args+=(--keep-months "${keep_months}")
elif [ -f "${etc}/manifest-chain.txt" ] && [ -f "${etc}/root-fingerprint" ]; then
  shred_args+=(--manifest "${etc}/manifest-chain.txt" --root-fingerprint "${etc}/root-fingerprint")
else
  shred_args=()
  echo "testigo-backup: no --keep-months and no manifest chain in ${etc}: no backup key destroyed" >&2
fi
if [ "${#shred_args[@]}" -gt 0 ]; then
  if ! backup_tool shred "${shred_args[@]}" | sed 's/^/testigo-backup: /'; then
    shred_failed=1
    echo "testigo-backup: destroying the expired backup keys failed (see above); backing up anyway" >&2
  fi
fi

# 2. Dump, pack, seal.
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

sealed="${out}/${name}.tgbackup"
if ! tar -C "${work}" -cz "${name}" \
    | backup_tool seal --key-dir "${key_dir}" "${period_args[@]}" --out "${sealed}" \
    | sed 's/^/testigo-backup: /'; then
  die "sealing the backup failed (see above); nothing was written"
fi
rm -rf "${work:?}/${name}"
(cd "${out}" && sha256sum "${name}.tgbackup" >"${name}.tgbackup.sha256")
echo "${sealed}"
if [ "${shred_failed}" -ne 0 ]; then
  die "the backup was made, but expired backup keys were NOT destroyed: fix the cause above"
fi
