#!/usr/bin/env bash
# Runs shellcheck on every shell script under ops/; exits non-zero on any finding.
# CI: ops/check-shellcheck.sh   (needs: apt-get install -y shellcheck)
set -euo pipefail
ops="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
command -v shellcheck >/dev/null || { echo "shellcheck missing: apt-get install -y shellcheck" >&2; exit 2; }
mapfile -t scripts < <(find "${ops}" -type f -name '*.sh' | sort)
[ "${#scripts[@]}" -gt 0 ] || { echo "no scripts found under ${ops}" >&2; exit 2; }
shellcheck --severity=style --external-sources "${scripts[@]}"
echo "shellcheck: ${#scripts[@]} scripts clean"
