#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# End-to-end test of Testigo's onion services through a private Tor network (issues 6, 24).
# Run INSIDE a network namespace with only loopback (it refuses otherwise):
#
#   unshare -n bash ops/testnet/onion-e2e.sh WORKDIR
#
# Makes an organisation with the reviewer jar as in the key-ceremony runbook (reviewers ana
# and beto make their keystores; the custodians' genesis ceremony, 2 of 2, lists both with
# their Tor client-auth keys; the server administrator makes the log key with the server
# jar), then starts the test network (tor-testnet.sh), the server's own tor (ControlPort +
# cookie), the REAL intake-server jar on that chain (no demo organisation) with a tor:
# section, and three client tors: "client" (the source's; no reviewer key; a ControlPort for
# ONION_CLIENT_AUTH_ADD), "reviewer" (ana's) and "reviewer2" (beto's), each reviewer's
# ClientOnionAuthDir written by `testigo-reviewer tor client-file`. Then checks:
#   a) source onion: GET / and /report, POST the no-JavaScript report form -> receipt
#      page (200); the report, exported on the admin port, opens with testigo-reviewer
#   d) fair shares per circuit through a torrc onion that exports circuit ids
#   b) reviewer onion: reachable with the key, refused without it (SOCKS error F4)
#   e) the reviewer's own tool through the reviewer onion: `server add http://<onion>
#      --socks` (refused without --socks), `sync` and `list` find the report of (a); ana
#      also runs `show` and `reply`, beto `server add` and `sync` through his own tor
#   f) the source reads ana's reply on the status page through the source onion (receipt)
#   g) an auditor runs `audit verify` through the source onion (the public log): exit 0
#   h) the custodians sign a manifest without beto (`manifest remove-reviewer`) and the
#      administrator installs it (admin task update-manifest, as in the runbook): beto's
#      `sync` then fails at the Tor layer (tor's SOCKS error F5, client authorization
#      rejected, explained by the tool; exit 7) while ana's still works
#   c) the server's tor is killed and restarted on the same DataDirectory: the server
#      re-creates both services and the SAME addresses answer again; still refused
#      without the key; then ONION_CLIENT_AUTH_ADD gives "client" access
# Writes WORKDIR/results.txt (key=value: check.*=PASS|FAIL, ms.* timings, kib.* memory,
# status=PASS|FAIL). Every process it starts is stopped on exit.
# Env: SERVER_JAR, REVIEWER_JAR (default: the repository's target/ jars),
#      E2E_DEADLINE (seconds for the whole run, default 420).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "${here}/../.." && pwd)"
# shellcheck source=tor-testnet.sh
. "${here}/tor-testnet.sh"

[ $# -eq 1 ] || { echo "usage: unshare -n bash $0 WORKDIR" >&2; exit 2; }
work="$1"
mkdir -p "${work}"
work="$(cd "${work}" && pwd)"
server_jar="${SERVER_JAR:-${repo}/intake-server/target/testigo-intake-server.jar}"
reviewer_jar="${REVIEWER_JAR:-${repo}/reviewer-cli/target/testigo-reviewer.jar}"
deadline_total=$((SECONDS + ${E2E_DEADLINE:-420}))
results="${work}/results.txt"
: >"${results}"
server_pid=""
done_ok=0
t_start="$(date +%s%3N)"

now_ms() { date +%s%3N; }
record() { printf '%s=%s\n' "$1" "$2" >>"${results}"; echo "[e2e] $1=$2" >&2; }
since() { echo $(($(now_ms) - $1)); }
fail() {
  record "failure" "$*"
  exit 1
}
left() { echo $((deadline_total - SECONDS)); }

cleanup() {
  local rc=$?
  if [ -n "${server_pid}" ]; then
    kill -TERM "${server_pid}" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "${server_pid}" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "${server_pid}" 2>/dev/null || true
    wait "${server_pid}" 2>/dev/null || true
  fi
  testnet_stop
  record "ms.total" "$(since "${t_start}")"
  if [ "${done_ok}" = 1 ] && [ "${rc}" = 0 ]; then
    record "status" "PASS"
  else
    record "status" "FAIL"
  fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT

# Nothing may leave loopback: refuse to start anything outside such a namespace.
testnet_require_loopback_only || fail "not inside a loopback-only network namespace"
for f in "${server_jar}" "${reviewer_jar}"; do
  [ -f "${f}" ] || fail "missing ${f}: run mvn -DskipTests package first"
done
for c in tor tor-gencert curl ip java; do
  command -v "${c}" >/dev/null || fail "missing command ${c}"
done

# --- onion keys (before anything runs) ------------------------------------------------
keys="${work}/onion-keys"
mapfile -t addrs < <(java -cp "${server_jar}" "${here}/OnionKeyAddresses.java" "${keys}")
source_host="$(printf '%s\n' "${addrs[@]}" | awk '$1=="source"{print $2}')"
reviewer_host="$(printf '%s\n' "${addrs[@]}" | awk '$1=="reviewer"{print $2}')"
[[ "${source_host}" =~ ^[a-z2-7]{56}\.onion$ ]] || fail "bad source address ${source_host}"
[[ "${reviewer_host}" =~ ^[a-z2-7]{56}\.onion$ ]] || fail "bad reviewer address ${reviewer_host}"
record "source.address" "${source_host}"
record "reviewer.address" "${reviewer_host}"
# The reviewer's tool; REVIEWER_TIMEOUT=N bounds one run (timeout's exit 124).
reviewer() {
  local bound=()
  [ -z "${REVIEWER_TIMEOUT:-}" ] || bound=(timeout "${REVIEWER_TIMEOUT}")
  "${bound[@]}" java -Xmx256m -XX:TieredStopAtLevel=1 -jar "${reviewer_jar}" "$@" </dev/null
}

# --- the real intake server: the demo configuration (no demo organisation) plus tor: --
# Derived from intake-server/config-demo.yml so it follows the server's evolution; its
# second application connector (8082) is the reviewer API's, which the reviewer onion targets.
tor_dir="${work}/tornet"
data="${work}/server-data"
mkdir -p "${data}"
demo_config="${repo}/intake-server/config-demo.yml"
[ -f "${demo_config}" ] || fail "missing ${demo_config}"
if grep -q '^tor:' "${demo_config}"; then fail "config-demo.yml already has a tor: section"; fi
grep -qE '^ +port: 8082$' "${demo_config}" || fail "config-demo.yml has no reviewer connector on 8082"
cp "${demo_config}" "${work}/server.yml"
cat >>"${work}/server.yml" <<EOT

tor:
  controlHost: 127.0.0.1
  controlPort: 9051
  cookieFile: ${tor_dir}/service/control_auth_cookie
  keyDirectory: ${keys}
  source: { virtualPort: 80, targetPort: 8080 }
  reviewer: { virtualPort: 80, targetPort: 8082 }
  proofOfWorkDefence: true
  checkInterval: 1 second
  maxBackoff: 2 seconds
EOT
server_java=(java -Xmx256m -Ddw.dataDirectory="${data}" -Ddw.keys.demoBootstrap=false)

# --- the organisation, made with the product's own tools (key-ceremony runbook) ---------
# Reviewers ana and beto make their keystores and public bundles (v2: with the Tor
# client-auth key) on "their workstations"; the server administrator makes the log key; the
# custodians' genesis ceremony (2 of 2) lists both reviewers. Runs while the network forms.
org="${work}/organisation"
custodians=(custodia-uno custodia-dos)
ks() { echo "${org}/$1/keystore.tkey"; }
pf() { echo "${org}/$1/passphrase"; }
kopts_of() { echo "--keystore $(ks "$1") --passphrase-file $(pf "$1")"; }
make_organisation() {
  local r c pids=() p
  umask 077
  for r in ana beto "${custodians[@]}"; do
    mkdir -p "${org}/${r}"
    printf 'una frase larga y secreta de %s\n' "${r}" >"$(pf "${r}")"
  done
  for r in ana beto; do
    reviewer keys init --alias "${r}" --keystore "$(ks "${r}")" --passphrase-file "$(pf "${r}")" \
      --argon2-memory-mib 8 --argon2-iterations 1 >"${org}/${r}/init.log" 2>&1 &
    pids+=($!)
  done
  "${server_java[@]}" -jar "${server_jar}" log-key create --public-out "${org}/log.pub" \
    "${work}/server.yml" >"${org}/log-key.log" 2>&1 &
  pids+=($!)
  for p in "${pids[@]}"; do wait "${p}" || { echo "key creation failed" >&2; return 1; }; done
  pids=()
  for r in ana beto; do
    reviewer keys public --keystore "$(ks "${r}")" --passphrase-file "$(pf "${r}")" \
      -o "${org}/${r}.pub" >"${org}/${r}/public.log" 2>&1 &
    pids+=($!)
    # The reviewer's tor gets the key from the keystore (mode 0600 file in ClientOnionAuthDir).
    mkdir -p "${org}/${r}/onion-auth"
    reviewer tor client-file --onion "${reviewer_host}" --dir "${org}/${r}/onion-auth" \
      --keystore "$(ks "${r}")" --passphrase-file "$(pf "${r}")" >"${org}/${r}/client-file.log" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "${p}" || { echo "keys public / tor client-file failed" >&2; return 1; }; done
  head -c 32 /dev/urandom >"${data}/deployment-secret"
  local init=(custody init --organisation "Casa del Migrante (red Tor de prueba)" -m 2
    --log-key "${org}/log.pub" --reviewer "${org}/ana.pub" --reviewer "${org}/beto.pub"
    --out "${org}/ceremony" --argon2-memory-mib 8 --argon2-iterations 1)
  for c in "${custodians[@]}"; do init+=(--custodian "${c}=$(pf "${c}")"); done
  reviewer "${init[@]}" >"${org}/genesis.log" 2>&1 || { cat "${org}/genesis.log" >&2; return 1; }
  sed -n 's/^Full root fingerprint: *//p' "${org}/genesis.log" | tr -d ' \n' >"${data}/root-fingerprint"
  echo >>"${data}/root-fingerprint"
  cp "${org}/ceremony/chain.txt" "${data}/manifest-chain.txt"
}
# shares_args: every custodian's share and passphrase, for a ceremony.
shares_args() {
  local c
  for c in "${custodians[@]}"; do
    printf '%s\n' --share "${org}/ceremony/${c}.tshare" --share-passphrase-file "$(pf "${c}")"
  done
}

t0="$(now_ms)"
make_organisation >"${work}/organisation.log" 2>&1 &
org_pid=$!
TESTNET_TIMEOUT=$(( $(left) > 90 ? 90 : $(left) ))
TESTNET_NO_WAIT=1 testnet_start "${tor_dir}" || fail "test network did not start"
wait "${org_pid}" || fail "making the organisation failed: $(tail -n 5 "${work}/organisation.log")"
root_fp="$(tr -d ' \n' <"${data}/root-fingerprint")"
[[ "${root_fp}" =~ ^[0-9a-f]{64}$ ]] || fail "no root fingerprint from the genesis ceremony"
record "ms.organisation" "$(since "${t0}")"
for r in ana beto; do
  f="$(ls "${org}/${r}/onion-auth/"*.auth_private)"
  grep -qE "^${reviewer_host%.onion}:descriptor:x25519:[A-Z2-7]{52}\$" "${f}" \
    || fail "tor client-file wrote no ClientOnionAuthDir line for ${r}"
  [ "$(stat -c %a "${f}")" = 600 ] || fail "${r}'s client-auth file is not mode 0600"
done
auth_file="$(ls "${org}/ana/onion-auth/"*.auth_private)"

# The server starts while the network forms and keeps retrying tor's control port until
# its tor is up. Tree heads every 5 s so that the audit (g) sees the reply quickly.
"${server_java[@]}" -Ddw.log.treeHeadIntervalSeconds=5 \
  -Ddw.server.applicationConnectors[0].port=8080 -Ddw.server.adminConnectors[0].port=8081 \
  -Ddw.server.applicationConnectors[0].useProxyProtocol=true -Ddw.fairness.keyDerivationsPerMinute=2 \
  -jar "${server_jar}" server "${work}/server.yml" >"${work}/server.log" 2>&1 &
server_pid=$!
testnet_wait_full_consensus || fail "test network did not reach a full consensus"
record "ms.consensus" "$(since "${t0}")"

# Besides the server's own ADD_ONION services, one torrc-configured source onion with
# HiddenServiceExportCircuitID haproxy (ADD_ONION cannot ask for it): tor begins each of its
# connections with a PROXY line naming the circuit, which the source connector reads (d).
service_torrc=("SocksPort 0" "ControlPort 127.0.0.1:9051" "CookieAuthentication 1"
  "CookieAuthFile ${tor_dir}/service/control_auth_cookie"
  "HiddenServiceDir ${work}/hs-fair" "HiddenServicePort 80 127.0.0.1:8080"
  "HiddenServiceExportCircuitID haproxy")
t1="$(now_ms)"
testnet_start_tor service "${service_torrc[@]}"
# ExtendedErrors: tor reports onion-service failures as SOCKS codes F0-F7.
testnet_start_tor client "SocksPort 127.0.0.1:9050 ExtendedErrors" \
  "ControlPort 127.0.0.1:9052" "CookieAuthentication 1" \
  "CookieAuthFile ${tor_dir}/client/control_auth_cookie"
testnet_start_tor reviewer "SocksPort 127.0.0.1:9060 ExtendedErrors" \
  "ClientOnionAuthDir ${org}/ana/onion-auth"
testnet_start_tor reviewer2 "SocksPort 127.0.0.1:9061 ExtendedErrors" \
  "ClientOnionAuthDir ${org}/beto/onion-auth"
for t in service client reviewer reviewer2; do
  testnet_wait_bootstrap "${t}" 60 || fail "${t} tor did not bootstrap"
done
record "ms.tors_bootstrapped" "$(since "${t1}")"

health() { curl -s --max-time 5 http://127.0.0.1:8081/healthcheck || true; }
wait_healthy() {
  local until=$((SECONDS + $1))
  while [ "${SECONDS}" -lt "${until}" ]; do
    kill -0 "${server_pid}" 2>/dev/null || { tail -n 30 "${work}/server.log" >&2; return 1; }
    if curl -s -o /dev/null -w '%{http_code}' --max-time 5 http://127.0.0.1:8081/healthcheck \
      | grep -qx 200; then
      return 0
    fi
    sleep 0.3
  done
  health >&2
  return 1
}
wait_healthy "$(left)" || fail "server not healthy (tor services not published)"
record "ms.server_healthy" "$(since "${t0}")"
health >"${work}/health-1.json"
grep -q "\"sourceService\":\"${source_host}\"" "${work}/health-1.json" \
  || fail "health check does not show the source address"
grep -q '"reviewerService":"published"' "${work}/health-1.json" \
  || fail "reviewer service not published"

# onion_fetch SOCKSPORT URL OUTFILE [curl args...]: one try, fresh SOCKS username (= a
# new circuit); prints the HTTP code (000 on failure); curl's error goes to OUTFILE.err.
onion_fetch() {
  local port="$1" url="$2" out="$3"
  shift 3
  curl -s -S --max-time 15 --socks5-hostname "127.0.0.1:${port}" \
    --proxy-user "e2e${RANDOM}${RANDOM}:x" -o "${out}" -w '%{http_code}' "$@" "${url}" \
    2>"${out}.err" || true
}
# until_200 SECONDS SOCKSPORT URL OUTFILE [curl args...]: retries; returns 1 on timeout.
until_200() {
  local secs="$1" code until
  shift
  until=$((SECONDS + secs))
  while [ "${SECONDS}" -lt "${until}" ]; do
    code="$(onion_fetch "$@")"
    [ "${code}" = 200 ] && return 0
    sleep 0.5
  done
  echo "last try: HTTP ${code}; $(cat "${3}.err" 2>/dev/null)" >&2
  return 1
}

# until_answer SECONDS SOCKSPORT URL OUTFILE: like until_200, but any HTTP answer counts
# (the reviewer connector may answer / with 404 once the reviewer API is there); prints
# the status code.
until_answer() {
  local secs="$1" code until
  shift
  until=$((SECONDS + secs))
  while [ "${SECONDS}" -lt "${until}" ]; do
    code="$(onion_fetch "$@")"
    if [[ "${code}" =~ ^[1-5][0-9][0-9]$ ]]; then
      echo "${code}"
      return 0
    fi
    sleep 0.5
  done
  echo "last try: $(cat "${3}.err" 2>/dev/null)" >&2
  return 1
}

# --- (a) a source reaches the source onion and reports without JavaScript -------------
t2="$(now_ms)"
until_200 "$(left)" 9050 "http://${source_host}/" "${work}/a-index.html" \
  || fail "source onion / not reachable"
record "ms.source_first_get" "$(since "${t2}")"
t2="$(now_ms)"
[ "$(onion_fetch 9050 "http://${source_host}/report?lang=es" "${work}/a-form.html")" = 200 ] \
  || fail "GET /report through the onion failed"
record "ms.source_get_form" "$(since "${t2}")"
grep -qi '<form' "${work}/a-form.html" || fail "no form on /report"
# The only script allowed is the same-origin bundle with its integrity hash (progressive
# enhancement: the form below is posted without running it, as with JavaScript off).
if grep -oi '<script[^>]*>' "${work}/a-form.html" "${work}/a-index.html" \
    | grep -viqE 'src="/assets/testigo\.js" integrity="sha384-'; then
  fail "the source pages contain a script other than the same-origin bundle"
fi
marker="MARCADOR-TOR-${RANDOM}${RANDOM}${RANDOM}"
printf 'foto del retén %s' "${marker}" >"${work}/reten.jpg"
t2="$(now_ms)"
code="$(onion_fetch 9050 "http://${source_host}/report?lang=es" "${work}/a-receipt.html" \
  -F version=1 -F lang=es -F what=extortion -F who=inm -F state=OAX -F place_kind=train \
  -F "narrative=Nos pidieron dinero en el tren. ${marker}" -F wants=reply \
  -F "files=@${work}/reten.jpg;type=application/octet-stream;filename=reten.jpg")"
record "ms.source_post_report" "$(since "${t2}")"
[ "${code}" = 200 ] || fail "report POST through the onion: HTTP ${code} $(cat "${work}/a-receipt.html.err")"
grep -q '<p class="receipt">' "${work}/a-receipt.html" || fail "no receipt on the answer page"
if grep -q "${marker}" "${work}/a-receipt.html"; then fail "receipt page echoes the report"; fi
# The receipt as the source writes it down (words separated by spaces), for (f).
receipt="$(tr '\n' ' ' <"${work}/a-receipt.html" | grep -o '<p class="receipt">[^<]*</p>' | head -n 1 \
  | sed -e 's/<[^>]*>//g' -e 's/^ *//' -e 's/ *$//' -e 's/  */ /g')"
[ -n "${receipt}" ] || fail "the receipt page shows no receipt words"
record "check.a_source_report_without_javascript" "PASS"

export_out="$(curl -s --max-time 30 -X POST \
  'http://127.0.0.1:8081/tasks/export-envelope?latest=true')"
envelope="$(grep -oE '/[^ ]+\.tgenv' <<<"${export_out}" | head -n 1)"
[ -n "${envelope}" ] || fail "export-envelope gave no file: ${export_out}"
t2="$(now_ms)"
reviewer open --keystore "$(ks ana)" --passphrase-file "$(pf ana)" \
  "${envelope}" "${work}/report.payload" >"${work}/reviewer-open.log" 2>&1 \
  || fail "testigo-reviewer open failed: $(tail -n 3 "${work}/reviewer-open.log")"
record "ms.reviewer_open" "$(since "${t2}")"
grep -q "Nos pidieron dinero en el tren. ${marker}" "${work}/report.payload" \
  || fail "the opened report lacks the narrative"
grep -q "foto del retén ${marker}" "${work}/report.payload" \
  || fail "the opened report lacks the file"
record "check.a_report_via_tor_opens_with_reviewer_cli" "PASS"

# --- (d) fair shares per Tor circuit, through the onion that exports circuit ids -------
# Two Tor clients (the source client's tor and the reviewer's tor), each on one circuit of
# its own (a fixed SOCKS username keeps a circuit). The server allows a circuit 2 key
# derivations a minute here (-Ddw.fairness.keyDerivationsPerMinute=2): client 1's third
# status request gets 429, which proves the circuit id arrived (without it each curl is a new
# connection with a budget of its own); client 2 is still served (a fresh budget).
fair_host="$(cat "${work}/hs-fair/hostname" 2>/dev/null || true)"
[[ "${fair_host}" =~ ^[a-z2-7]{56}\.onion$ ]] || fail "the circuit-exporting onion has no hostname"
fair_status_once() {
  curl -s -S --max-time 15 --socks5-hostname "127.0.0.1:$1" --proxy-user "$2:x" \
    -o "${work}/d-$2.html" -w '%{http_code}' --data 'receipt=not-a-receipt' \
    "http://${fair_host}/status?lang=en" 2>"${work}/d-$2.err" || true
}
# A 408 means the server cut the request as arriving too slowly (slow-sender protection on a
# starved machine: it happened at load average 25 on 2 cores) before any key derivation was
# charged: the same request is sent again, at most 3 times.
fair_status() {
  local code i
  for i in 1 2 3; do
    code="$(fair_status_once "$1" "$2")"
    [ "${code}" = 408 ] || break
    echo "408 on ${2}, retried" >>"${work}/d-retries.log"
  done
  echo "${code}"
}
t2="$(now_ms)"
code=""
until=$((SECONDS + $(left)))
while [ "${SECONDS}" -lt "${until}" ]; do
  code="$(fair_status 9050 circuit-one)"
  [ "${code}" = 400 ] && break
  [ "${code}" = 429 ] && fail "circuit one refused before its budget was spent"
  sleep 0.5
done
[ "${code}" = 400 ] || fail "circuit-exporting onion not reachable: HTTP ${code} $(cat "${work}/d-circuit-one.err")"
record "ms.fair_onion_reachable" "$(since "${t2}")"
code="$(fair_status 9050 circuit-one)"
[ "${code}" = 400 ] || fail "circuit one, second status: HTTP ${code} (want 400)"
code="$(fair_status 9050 circuit-one)"
[ "${code}" = 429 ] || fail "circuit one, third status: HTTP ${code} (want 429: circuit id not seen?)"
grep -q 'Too many requests' "${work}/d-circuit-one.html" || fail "the 429 page does not say why"
record "d.circuit_one_third_status" "${code}"
code=""
until=$((SECONDS + $(left)))
while [ "${SECONDS}" -lt "${until}" ]; do
  code="$(fair_status 9060 circuit-two)"
  [[ "${code}" =~ ^[1-5][0-9][0-9]$ ]] && break
  sleep 0.5
done
[ "${code}" = 400 ] || fail "the second Tor client on its own circuit: HTTP ${code} (want 400)"
record "d.circuit_two_first_status" "${code}"
if grep -qiE 'fc00:|dead:beef' "${work}/server.log"; then fail "the server log shows a circuit address"; fi
record "check.d_circuit_ids_arrive_and_budgets_are_per_circuit" "PASS"

# Memory of everything running now (every tor and the server).
rss_of() {
  local r
  r="$(awk '/^VmRSS:/{print $2}' "/proc/$1/status" 2>/dev/null || true)"
  echo "${r:-0}"
}
# PSS shares the common pages (libraries) fairly between the tors; RSS counts them 9 times.
pss_of() {
  local r
  r="$(awk '/^Pss:/{print $2}' "/proc/$1/smaps_rollup" 2>/dev/null || true)"
  echo "${r:-0}"
}
tor_rss=0
tor_pss=0
for name in "${!TESTNET_PIDS[@]}"; do
  tor_rss=$((tor_rss + $(rss_of "${TESTNET_PIDS[${name}]}")))
  tor_pss=$((tor_pss + $(pss_of "${TESTNET_PIDS[${name}]}")))
done
record "kib.tors_rss" "${tor_rss}"
record "kib.tors_pss" "${tor_pss}"
record "kib.server_rss" "$(rss_of "${server_pid}")"
record "count.tors" "${#TESTNET_PIDS[@]}"

# --- (b) the reviewer onion answers only a client holding an authorised key -----------
t2="$(now_ms)"
code="$(until_answer "$(left)" 9060 "http://${reviewer_host}/" "${work}/b-reviewer.html")" \
  || fail "reviewer onion not reachable with the client key"
record "b.reviewer_http_status" "${code}"
record "ms.reviewer_with_key" "$(since "${t2}")"
record "check.b_reviewer_with_key" "PASS"

# --- (e) the reviewers' own tool through the reviewer onion (SOCKS, remote resolution) --
# ana through her tor (9060), beto through his (9061); each has a home of their own.
rhome() { echo "${org}/$1/home"; }
as() {
  local who="$1" cmd="$2"
  shift 2
  # shellcheck disable=SC2046
  reviewer "${cmd}" --home "$(rhome "${who}")" $(kopts_of "${who}") "$@"
}
# sync_until_ok WHO LOG: sync, retried (fresh circuits) until it succeeds or time runs out.
sync_until_ok() {
  local until=$((SECONDS + $(left)))
  while [ "${SECONDS}" -lt "${until}" ]; do
    if as "$1" sync >"$2" 2>&1; then return 0; fi
    sleep 1
  done
  return 1
}
set +e
reviewer server add "http://${reviewer_host}" --root "${root_fp}" --home "$(rhome ana)" >"${work}/e-nosocks.log" 2>&1
rc=$?
set -e
if [ "${rc}" != 2 ] || ! grep -q 'onion address' "${work}/e-nosocks.log"; then
  fail "server add of an onion without --socks was not refused (exit ${rc})"
fi
for who in ana:9060 beto:9061; do
  reviewer server add "http://${reviewer_host}" --socks "127.0.0.1:${who#*:}" --root "${root_fp}" \
    --home "$(rhome "${who%:*}")" >"${work}/e-add-${who%:*}.log" 2>&1 \
    || fail "server add --socks (${who%:*}) failed: $(tail -n 3 "${work}/e-add-${who%:*}.log")"
done
t2="$(now_ms)"
sync_until_ok ana "${work}/e-sync.log" \
  || fail "testigo-reviewer sync through the reviewer onion: $(tail -n 3 "${work}/e-sync.log")"
record "ms.reviewer_cli_sync" "$(since "${t2}")"
grep -q '1 new submission(s)' "${work}/e-sync.log" || fail "sync did not fetch the report: $(cat "${work}/e-sync.log")"
as ana list >"${work}/e-list.log" 2>&1 || fail "testigo-reviewer list failed: $(tail -n 3 "${work}/e-list.log")"
grep -q '1 report(s)' "${work}/e-list.log" || fail "list does not show the report: $(cat "${work}/e-list.log")"
record "check.e_reviewer_cli_sync_and_list_through_the_reviewer_onion" "PASS"
report_id="$(grep -oE '^[0-9a-f]{12}  ' "${work}/e-list.log" | head -n 1 | tr -d ' ')"
[ -n "${report_id}" ] || fail "list shows no report id: $(cat "${work}/e-list.log")"
as ana show "${report_id}" >"${work}/e-show.log" 2>&1 || fail "show failed: $(tail -n 3 "${work}/e-show.log")"
grep -q "Nos pidieron dinero en el tren. ${marker}" "${work}/e-show.log" \
  || fail "show does not give the narrative: $(head -c 2000 "${work}/e-show.log")"
reply_text="Recibimos su denuncia por Tor. Puede acudir al albergue el lunes. Respuesta ${RANDOM}${RANDOM}"
printf '%s\n' "${reply_text}" >"${work}/respuesta.txt"
t2="$(now_ms)"
as ana reply "${report_id}" --file "${work}/respuesta.txt" --yes >"${work}/e-reply.log" 2>&1 \
  || fail "reply through the reviewer onion failed: $(tail -n 3 "${work}/e-reply.log")"
grep -q 'Reply sent' "${work}/e-reply.log" || fail "reply did not say it was sent: $(cat "${work}/e-reply.log")"
record "ms.reviewer_cli_reply" "$(since "${t2}")"
t2="$(now_ms)"
sync_until_ok beto "${work}/e-sync-beto.log" \
  || fail "beto's sync through his tor: $(tail -n 3 "${work}/e-sync-beto.log")"
record "ms.second_reviewer_sync" "$(since "${t2}")"
grep -q '1 new submission(s)' "${work}/e-sync-beto.log" || fail "beto's sync: $(cat "${work}/e-sync-beto.log")"
record "check.e_show_reply_and_second_reviewer_through_the_reviewer_onion" "PASS"

# --- (f) the source reads the reply on the status page, through the source onion -------
t2="$(now_ms)"
until_200 "$(left)" 9050 "http://${source_host}/status?lang=es" "${work}/f-status.html" \
  --data-urlencode "receipt=${receipt}" || fail "status page through the source onion"
record "ms.source_status_page" "$(since "${t2}")"
grep -qF "${reply_text}" "${work}/f-status.html" || fail "the status page does not show the reply"
record "check.f_source_reads_the_reply_through_the_source_onion" "PASS"

# --- (g) an auditor verifies the public log through the source onion -----------------
# audit_until_ok LOG [GREP]: audit verify until it exits 0 (and LOG has GREP), at most 60 s
# (a tree head is signed every 5 s); each attempt's exit code goes to LOG.attempts.
audit_until_ok() {
  local until=$((SECONDS + ($(left) < 60 ? $(left) : 60))) rc
  while [ "${SECONDS}" -lt "${until}" ]; do
    set +e
    reviewer audit verify --server "http://${source_host}/" --socks 127.0.0.1:9050 \
      --state-dir "${work}/audit-state" --root "${root_fp}" >"$1" 2>&1
    rc=$?
    set -e
    echo "exit ${rc}" >>"$1.attempts"
    if [ "${rc}" = 0 ] && { [ -z "${2:-}" ] || grep -q "$2" "$1"; }; then return 0; fi
    sleep 2
  done
  return 1
}
t2="$(now_ms)"
audit_until_ok "${work}/g-audit.log" || fail "audit verify through the source onion: $(tail -n 20 "${work}/g-audit.log")"
record "ms.audit_verify" "$(since "${t2}")"
grep -q 'recipients' "${work}/g-audit.log" || fail "the audit did not check recipients: $(cat "${work}/g-audit.log")"
record "check.g_audit_verify_through_the_source_onion" "PASS"

# --- (h) a manifest without beto: his sync fails at the Tor layer, ana's works ----------
t2="$(now_ms)"
# shellcheck disable=SC2046
reviewer manifest remove-reviewer beto --chain "${org}/ceremony/chain.txt" -o "${org}/chain-1.txt" \
  $(shares_args) >"${work}/h-remove.log" 2>&1 || fail "manifest remove-reviewer: $(tail -n 3 "${work}/h-remove.log")"
# The administrator installs it on the running server, as the runbook says.
update="$(curl -s -S --max-time 30 -H 'Content-Type: text/plain' --data-binary "@${org}/chain-1.txt" \
  -w ' HTTP %{http_code}' http://127.0.0.1:8081/tasks/update-manifest 2>&1 || true)"
record "h.update_manifest" "$(tr -d '\n=' <<<"${update}")"
grep -q 'manifest 1 in force: 1 reviewer entry' <<<"${update}" || fail "update-manifest refused: ${update}"
until=$((SECONDS + $(left)))
while [ "${SECONDS}" -lt "${until}" ]; do
  health | grep -q '"reviewerClientKeys":1[,}]' && break
  sleep 0.3
done
health | grep -q '"reviewerClientKeys":1[,}]' || fail "the server did not re-publish the reviewer onion for 1 client"
record "ms.h_reviewer_onion_republished" "$(since "${t2}")"
# beto: sync until tor refuses him (his tor refetches the descriptor once the old
# introduction points fail); an attempt may first fail otherwise (introduction failed,
# or the server refusing his signature), so poll, each attempt bounded.
t2="$(now_ms)"
tor_refused=0
attempts=0
until=$((SECONDS + $(left)))
while [ "${SECONDS}" -lt "${until}" ]; do
  attempts=$((attempts + 1))
  set +e
  # Bounded above tor's own SocksTimeout (120 s) and the tool's 130 s, so that an attempt
  # ends with the tool's verdict: a client may first wait out introduction points of the old
  # descriptor before it fetches the new one.
  ta="$(now_ms)"
  REVIEWER_TIMEOUT=150 as beto sync >"${work}/h-beto-sync.log" 2>&1
  rc=$?
  set -e
  echo "attempt ${attempts}: exit ${rc} after $(since "${ta}") ms: $(tail -n 1 "${work}/h-beto-sync.log")" \
    >>"${work}/h-beto-attempts.log"
  if grep -qE 'Tor F[45]' "${work}/h-beto-sync.log"; then tor_refused=1; break; fi
  sleep 1
done
[ "${tor_refused}" = 1 ] || fail "beto's sync was never refused by tor: $(tail -n 5 "${work}/h-beto-attempts.log" | tr '\n' ' ')"
record "ms.h_removed_reviewer_refused_by_tor" "$(since "${t2}")"
record "h.removed_reviewer_attempts" "${attempts}"
record "h.removed_reviewer_exit" "${rc}"
record "h.removed_reviewer_error" "$(grep -E 'Tor F[45]' "${work}/h-beto-sync.log" | head -n 1 | tr -d '=')"
[ "${rc}" = 7 ] || fail "beto's refused sync exited ${rc}, not 7 (server unreachable)"
t2="$(now_ms)"
sync_until_ok ana "${work}/h-ana-sync.log" || fail "ana's sync after beto's removal: $(tail -n 3 "${work}/h-ana-sync.log")"
record "ms.h_remaining_reviewer_sync" "$(since "${t2}")"
grep -q 'manifest #1' "${work}/h-ana-sync.log" || fail "ana's sync did not see manifest 1: $(cat "${work}/h-ana-sync.log")"
record "check.h_removed_reviewer_refused_at_the_tor_layer_other_still_syncs" "PASS"
audit_until_ok "${work}/h-audit.log" "consistent with the tree head this auditor saw before" \
  || fail "audit after the manifest update: $(tail -n 20 "${work}/h-audit.log")"
record "check.h_audit_after_the_manifest_update" "PASS"

# refused_without_key: 3 tries with fresh circuits, each must fail with no HTTP answer.
refused_without_key() {
  local i code err
  for i in 1 2 3; do
    code="$(onion_fetch 9050 "http://${reviewer_host}/" "${work}/b-nokey-${1}-${i}.html")"
    err="$(cat "${work}/b-nokey-${1}-${i}.html.err")"
    [ "${code}" = 000 ] || { echo "HTTP ${code} without key" >&2; return 1; }
    echo "${err}" >"${work}/b-nokey-${1}.err"
  done
}
t2="$(now_ms)"
refused_without_key before || fail "reviewer onion answered a client without the key"
record "ms.reviewer_refused_3_tries" "$(since "${t2}")"
record "b.refusal_error" "$(tr -d '\n=' <"${work}/b-nokey-before.err")"
# tor's extended SOCKS error F4 = "onion service client authorization missing"; curl
# prints it as reply 244.
grep -q '244' "${work}/b-nokey-before.err" || fail "refusal was not 'client auth missing': \
$(cat "${work}/b-nokey-before.err")"
record "check.b_reviewer_refused_without_key" "PASS"

# --- (c) restart the server's tor: same addresses reachable again ---------------------
t3="$(now_ms)"
testnet_stop_tor service KILL
until=$((SECONDS + 20))
while [ "${SECONDS}" -lt "${until}" ]; do
  if ! curl -s -o /dev/null -w '%{http_code}' --max-time 5 http://127.0.0.1:8081/healthcheck \
    | grep -qx 200; then
    break
  fi
  sleep 0.1
done
record "ms.server_noticed_tor_down" "$(since "${t3}")"
health >"${work}/health-down.json"
grep -q '"connected":false' "${work}/health-down.json" \
  || fail "health check did not report the lost control connection"
t4="$(now_ms)"
testnet_start_tor service "${service_torrc[@]}"
testnet_wait_bootstrap service 60 || fail "restarted service tor did not bootstrap"
wait_healthy "$(left)" || fail "server did not re-create its services after tor restarted"
record "ms.restart_to_healthy" "$(since "${t4}")"
health >"${work}/health-2.json"
grep -q "\"sourceService\":\"${source_host}\"" "${work}/health-2.json" \
  || fail "source address changed after the restart"
t4="$(now_ms)"
until_200 "$(left)" 9050 "http://${source_host}/" "${work}/c-index.html" \
  || fail "source onion not reachable after tor restart"
record "ms.restart_source_reachable" "$(since "${t4}")"
t4="$(now_ms)"
until_answer "$(left)" 9060 "http://${reviewer_host}/" "${work}/c-reviewer.html" >/dev/null \
  || fail "reviewer onion not reachable after tor restart"
record "ms.restart_reviewer_reachable" "$(since "${t4}")"
record "check.c_same_addresses_after_tor_restart" "PASS"
refused_without_key after || fail "after the restart the reviewer onion answered without key"
grep -q '244' "${work}/b-nokey-after.err" || fail "refusal after restart: \
$(cat "${work}/b-nokey-after.err")"
record "check.c_reviewer_still_refused_without_key" "PASS"

# --- (b') the same client, given the key through ONION_CLIENT_AUTH_ADD, gets in -------
private_b32="$(awk -F: '{print $4}' "${auth_file}")"
private_b64="$(printf '%s====' "${private_b32}" | base32 -d | base64)"
cookie_hex="$(od -An -tx1 -v "${tor_dir}/client/control_auth_cookie" | tr -d ' \n')"
exec 3<>/dev/tcp/127.0.0.1/9052
printf 'AUTHENTICATE %s\r\nONION_CLIENT_AUTH_ADD %s x25519:%s\r\nQUIT\r\n' "${cookie_hex}" \
  "${reviewer_host%.onion}" "${private_b64}" >&3
control_reply="$(timeout 10 cat <&3 || true)"
exec 3<&-
unset private_b64 private_b32
# Three replies: AUTHENTICATE, ONION_CLIENT_AUTH_ADD (250 OK, 251 replaced, 252
# registered and decrypted a cached descriptor), QUIT.
[ "$(grep -cE '^25[012] ' <<<"${control_reply}")" -ge 3 ] \
  || fail "ONION_CLIENT_AUTH_ADD refused: $(tr -d '\r\n' <<<"${control_reply}")"
t2="$(now_ms)"
until_answer "$(left)" 9050 "http://${reviewer_host}/" "${work}/b-added.html" >/dev/null \
  || fail "reviewer onion not reachable after ONION_CLIENT_AUTH_ADD"
record "ms.reviewer_after_client_auth_add" "$(since "${t2}")"
record "check.b_reviewer_after_onion_client_auth_add" "PASS"

done_ok=1

