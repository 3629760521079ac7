#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# End-to-end test of Testigo's onion services through a private Tor network (issue 6).
# Run INSIDE a network namespace with only loopback (it refuses otherwise):
#
#   unshare -n bash ops/testnet/onion-e2e.sh WORKDIR
#
# Starts the test network (tor-testnet.sh), the server's own tor (ControlPort + cookie),
# the REAL intake-server jar with a tor: section, and two client tors: "client" (no
# reviewer key; has a ControlPort for ONION_CLIENT_AUTH_ADD) and "reviewer" (the demo
# reviewer's Tor key, which the demo manifest lists, written into its ClientOnionAuthDir by
# `testigo-reviewer tor client-file`). Then checks:
#   a) source onion: GET / and /report, POST the no-JavaScript report form -> receipt
#      page (200); the report, exported on the admin port, opens with testigo-reviewer
#   b) reviewer onion: reachable with the key, refused without it (SOCKS error F4)
#   e) the reviewer's own tool through the reviewer onion: `server add http://<onion>
#      --socks` (refused without --socks), `sync` and `list` find the report of (a)
#   c) the server's tor is killed and restarted on the same DataDirectory: the server
#      re-creates both services and the SAME addresses answer again; still refused
#      without the key; then ONION_CLIENT_AUTH_ADD gives "client" access
# Writes WORKDIR/results.txt (key=value: check.*=PASS|FAIL, ms.* timings, kib.* memory,
# status=PASS|FAIL). Every process it starts is stopped on exit.
# Env: SERVER_JAR, REVIEWER_JAR (default: the repository's target/ jars),
#      E2E_DEADLINE (seconds for the whole run, default 150).
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
deadline_total=$((SECONDS + ${E2E_DEADLINE:-150}))
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

# --- onion keys and the reviewer's client-authorisation key (before anything runs) ----
keys="${work}/onion-keys"
mapfile -t addrs < <(java -cp "${server_jar}" "${here}/OnionKeyAddresses.java" "${keys}")
source_host="$(printf '%s\n' "${addrs[@]}" | awk '$1=="source"{print $2}')"
reviewer_host="$(printf '%s\n' "${addrs[@]}" | awk '$1=="reviewer"{print $2}')"
[[ "${source_host}" =~ ^[a-z2-7]{56}\.onion$ ]] || fail "bad source address ${source_host}"
[[ "${reviewer_host}" =~ ^[a-z2-7]{56}\.onion$ ]] || fail "bad reviewer address ${reviewer_host}"
record "source.address" "${source_host}"
record "reviewer.address" "${reviewer_host}"
auth_dir="${work}/reviewer-client-auth"
mkdir -p "${auth_dir}"
chmod 700 "${auth_dir}"
reviewer() {
  java -Xmx512m -jar "${reviewer_jar}" "$@" </dev/null
}

# --- the real intake server: the demo configuration plus a tor: section ----------------
# Derived from intake-server/config-demo.yml so it follows the server's evolution. The
# reviewer onion forwards to application connector 127.0.0.1:8082; main's demo config has
# no such connector yet (no reviewer API on main), so one is added: the reviewer onion
# then reaches the same application, which proves client authorisation, not the API.
tor_dir="${work}/tornet"
demo_config="${repo}/intake-server/config-demo.yml"
[ -f "${demo_config}" ] || fail "missing ${demo_config}"
if grep -q '^tor:' "${demo_config}"; then fail "config-demo.yml already has a tor: section"; fi
if grep -qE '^ +port: 8082$' "${demo_config}"; then
  cp "${demo_config}" "${work}/server.yml"
  record "reviewer.target" "config-demo connector 8082"
else
  grep -q '^  adminConnectors:$' "${demo_config}" || fail "config-demo.yml: no adminConnectors"
  sed '/^  adminConnectors:$/i\
    - type: http\
      bindHost: 127.0.0.1\
      port: 8082' "${demo_config}" >"${work}/server.yml"
  record "reviewer.target" "added connector 8082 (same application; no reviewer API on main)"
fi
cat >>"${work}/server.yml" <<EOF

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
EOF

# The server starts first (its start-up overlaps the network's) and keeps retrying
# tor's control port until its tor is up.
t0="$(now_ms)"
java -Xmx256m -Ddw.dataDirectory="${work}/server-data" \
  -Ddw.server.applicationConnectors[0].port=8080 -Ddw.server.adminConnectors[0].port=8081 \
  -Ddw.server.applicationConnectors[0].useProxyProtocol=true -Ddw.fairness.keyDerivationsPerMinute=2 \
  -jar "${server_jar}" server "${work}/server.yml" >"${work}/server.log" 2>&1 &
server_pid=$!

TESTNET_TIMEOUT=$(( $(left) > 90 ? 90 : $(left) ))
testnet_start "${tor_dir}" || fail "test network did not reach a full consensus"
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
# The reviewer's Tor key: the demo manifest lists the demo reviewer's (bundle v2); the
# reviewer's own tool derives the private half from the keystore and writes tor's file.
until=$((SECONDS + 60))
while [ ! -s "${work}/server-data/demo/reviewer.passphrase" ] && [ "${SECONDS}" -lt "${until}" ]; do sleep 0.2; done
reviewer tor client-file --onion "${reviewer_host}" --dir "${auth_dir}" \
  --keystore "${work}/server-data/demo/reviewer.keystore" \
  --passphrase-file "${work}/server-data/demo/reviewer.passphrase" >"${work}/tor-client-file.log" 2>&1 \
  || fail "testigo-reviewer tor client-file failed: $(tail -n 3 "${work}/tor-client-file.log")"
auth_file="$(ls "${auth_dir}"/*.auth_private)"
grep -qE "^${reviewer_host%.onion}:descriptor:x25519:[A-Z2-7]{52}\$" "${auth_file}" \
  || fail "tor client-file wrote no ClientOnionAuthDir line"
[ "$(stat -c %a "${auth_file}")" = 600 ] || fail "the client-auth file is not mode 0600"
testnet_start_tor reviewer "SocksPort 127.0.0.1:9060 ExtendedErrors" \
  "ClientOnionAuthDir ${auth_dir}"
for t in service client reviewer; do
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
record "check.a_source_report_without_javascript" "PASS"

export_out="$(curl -s --max-time 30 -X POST \
  'http://127.0.0.1:8081/tasks/export-envelope?latest=true')"
envelope="$(grep -oE '/[^ ]+\.tgenv' <<<"${export_out}" | head -n 1)"
[ -n "${envelope}" ] || fail "export-envelope gave no file: ${export_out}"
t2="$(now_ms)"
java -Xmx512m -jar "${reviewer_jar}" open \
  --keystore "${work}/server-data/demo/reviewer.keystore" \
  --passphrase-file "${work}/server-data/demo/reviewer.passphrase" \
  "${envelope}" "${work}/report.payload" </dev/null >"${work}/reviewer-open.log" 2>&1 \
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
fair_status() {
  curl -s -S --max-time 15 --socks5-hostname "127.0.0.1:$1" --proxy-user "$2:x" \
    -o "${work}/d-$2.html" -w '%{http_code}' --data 'receipt=not-a-receipt' \
    "http://${fair_host}/status?lang=en" 2>"${work}/d-$2.err" || true
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

# --- (e) the reviewer's own tool through the reviewer onion (SOCKS, remote resolution) --
rhome="${work}/reviewer-home"
root_fp="$(tr -d ' \n' <"${work}/server-data/root-fingerprint")"
ropts=(--home "${rhome}")
kopts=(--keystore "${work}/server-data/demo/reviewer.keystore"
  --passphrase-file "${work}/server-data/demo/reviewer.passphrase")
set +e
reviewer server add "http://${reviewer_host}" --root "${root_fp}" "${ropts[@]}" >"${work}/e-nosocks.log" 2>&1
rc=$?
set -e
if [ "${rc}" != 2 ] || ! grep -q 'onion address' "${work}/e-nosocks.log"; then
  fail "server add of an onion without --socks was not refused (exit ${rc})"
fi
reviewer server add "http://${reviewer_host}" --socks 127.0.0.1:9060 --root "${root_fp}" "${ropts[@]}" \
  >"${work}/e-add.log" 2>&1 || fail "server add --socks failed: $(tail -n 3 "${work}/e-add.log")"
t2="$(now_ms)"
synced=0
until=$((SECONDS + $(left)))
while [ "${SECONDS}" -lt "${until}" ]; do
  if reviewer sync "${ropts[@]}" "${kopts[@]}" >"${work}/e-sync.log" 2>&1; then synced=1; break; fi
  sleep 1
done
[ "${synced}" = 1 ] || fail "testigo-reviewer sync through the reviewer onion: $(tail -n 3 "${work}/e-sync.log")"
record "ms.reviewer_cli_sync" "$(since "${t2}")"
grep -q '1 new submission(s)' "${work}/e-sync.log" || fail "sync did not fetch the report: $(cat "${work}/e-sync.log")"
reviewer list "${ropts[@]}" "${kopts[@]}" >"${work}/e-list.log" 2>&1 \
  || fail "testigo-reviewer list failed: $(tail -n 3 "${work}/e-list.log")"
grep -q '1 report(s)' "${work}/e-list.log" || fail "list does not show the report: $(cat "${work}/e-list.log")"
record "check.e_reviewer_cli_sync_and_list_through_the_reviewer_onion" "PASS"

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
