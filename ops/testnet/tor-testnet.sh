#!/usr/bin/env bash
# A private Tor network on loopback for end-to-end tests: 3 directory authorities and
# 3 relays from Debian's tor (no exits), plus clients and onion-service tors on demand.
# Options and timings as measured in shared/design/TOR-TESTNET.md.
#
# Run it ONLY inside a network namespace that has nothing but loopback, e.g.
#   unshare -n bash -c 'ip link set lo up && ops/testnet/tor-testnet.sh /tmp/tornet'
# (run as a program it starts the network, waits for a full consensus, prints the
# directory and waits until interrupted; every tor is stopped on exit).
#
# Sourced by a test driver it provides functions:
#   testnet_start WORKDIR          authorities + relays, returns once the consensus
#                                  lists every relay (or fails after TESTNET_TIMEOUT s);
#                                  with TESTNET_NO_WAIT=1 at once (then call
#                                  testnet_wait_full_consensus)
#   testnet_start_client NAME SOCKSPORT [EXTRA TORRC LINE]...
#   testnet_start_tor NAME [TORRC LINE]...   any extra tor (e.g. an onion-service tor)
#   testnet_wait_bootstrap NAME [TIMEOUT]    waits for "Bootstrapped 100%"
#   testnet_stop_tor NAME [SIGNAL]           stops one tor, waits until it has exited
#   testnet_stop                             stops every tor started here
# Ports (private to the namespace): authorities OR 5001-5003, Dir 7001-7003; relays
# OR 5011-5013. Each tor logs to WORKDIR/NAME/notice.log.
set -euo pipefail

TESTNET_AUTHORITIES=3
TESTNET_RELAYS=3
: "${TESTNET_TIMEOUT:=90}"
TESTNET_DIR=""
TESTNET_DIRAUTH_LINES=""
declare -A TESTNET_PIDS=()

testnet_log() { printf '[testnet %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# Refuses to run where a non-loopback interface exists: nothing may leave loopback.
testnet_require_loopback_only() {
  local ifaces
  ifaces="$(ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -vx lo || true)"
  if [ -n "${ifaces}" ]; then
    testnet_log "refusing to run: interfaces other than lo exist (${ifaces//$'\n'/ }); use unshare -n"
    return 1
  fi
  ip link set lo up
}

# Options every node of the test network shares. __OwningControllerProcess: each tor
# exits by itself (within about 15 s) if this shell dies without cleaning up (SIGKILL).
testnet_common_torrc() {
  local name="$1"
  cat <<EOF
TestingTorNetwork 1
DataDirectory ${TESTNET_DIR}/${name}
PidFile ${TESTNET_DIR}/${name}/pid
Log notice file ${TESTNET_DIR}/${name}/notice.log
RunAsDaemon 0
ShutdownWaitLength 0
SafeLogging 0
Nickname ${name//[^a-zA-Z0-9]/}
${TESTNET_DIRAUTH_LINES}
UseDefaultFallbackDirs 0
ClientUseIPv6 0
AssumeReachable 1
PathsNeededToBuildCircuits 0.25
TestingDirAuthVoteGuard *
TestingDirAuthVoteHSDir *
V3AuthNIntervalsValid 2
__OwningControllerProcess $$
EOF
}

# Starts tor with WORKDIR/NAME/torrc; records its pid. MALLOC_ARENA_MAX=1: glibc's
# per-thread malloc arenas (tor's cpuworker threads) doubled each relay's memory (measured:
# 7 tors 624 MB PSS without it, 306 MB with it).
testnet_launch() {
  local name="$1"
  MALLOC_ARENA_MAX=1 tor -f "${TESTNET_DIR}/${name}/torrc" >"${TESTNET_DIR}/${name}/stdout.log" 2>&1 &
  TESTNET_PIDS["${name}"]=$!
}

# Generates the authorities' keys and the DirAuthority lines.
testnet_make_authorities() {
  local i name dir v3ident fpr
  TESTNET_DIRAUTH_LINES=""
  for i in $(seq 1 "${TESTNET_AUTHORITIES}"); do
    name="auth${i}"
    dir="${TESTNET_DIR}/${name}"
    mkdir -p "${dir}/keys"
    chmod 700 "${dir}"
    (cd "${dir}/keys" && echo "" | tor-gencert --create-identity-key --passphrase-fd 0 \
      -i authority_identity_key -s authority_signing_key -c authority_certificate \
      -m 12 -a "127.0.0.1:$((7000 + i))" >/dev/null 2>&1)
    v3ident="$(awk '/^fingerprint /{print $2}' "${dir}/keys/authority_certificate")"
    printf 'DataDirectory %s\nORPort %s\nAddress 127.0.0.1\nNickname %s\nLog err stderr\n' \
      "${dir}" "$((5000 + i))" "${name}" >"${dir}/fingerprint.torrc"
    tor --list-fingerprint -f "${dir}/fingerprint.torrc" >/dev/null
    fpr="$(awk '{print $2}' "${dir}/fingerprint")"
    TESTNET_DIRAUTH_LINES+="DirAuthority ${name} orport=$((5000 + i)) no-v2 v3ident=${v3ident} 127.0.0.1:$((7000 + i)) ${fpr}"$'\n'
  done
}

testnet_start() {
  TESTNET_DIR="$1"
  mkdir -p "${TESTNET_DIR}"
  TESTNET_DIR="$(cd "${TESTNET_DIR}" && pwd)"
  testnet_require_loopback_only
  if ! command -v tor >/dev/null || ! command -v tor-gencert >/dev/null; then
    testnet_log "tor and tor-gencert are needed (apt-get install tor)"
    return 1
  fi
  testnet_make_authorities
  local i name
  for i in $(seq 1 "${TESTNET_AUTHORITIES}"); do
    name="auth${i}"
    {
      testnet_common_torrc "${name}"
      cat <<EOF
Address 127.0.0.1
ORPort 127.0.0.1:$((5000 + i))
DirPort 127.0.0.1:$((7000 + i))
SocksPort 0
ExitRelay 0
ExitPolicy reject *:*
ContactInfo ${name}@testnet.invalid
AuthoritativeDirectory 1
V3AuthoritativeDirectory 1
TestingV3AuthInitialVotingInterval 5
TestingV3AuthInitialVoteDelay 2
TestingV3AuthInitialDistDelay 2
V3AuthVotingInterval 10
V3AuthVoteDelay 2
V3AuthDistDelay 2
EOF
    } >"${TESTNET_DIR}/${name}/torrc"
    testnet_launch "${name}"
  done
  for i in $(seq 1 "${TESTNET_RELAYS}"); do
    name="relay${i}"
    mkdir -p "${TESTNET_DIR}/${name}"
    chmod 700 "${TESTNET_DIR}/${name}"
    {
      testnet_common_torrc "${name}"
      cat <<EOF
Address 127.0.0.1
ORPort 127.0.0.1:$((5010 + i))
SocksPort 0
ExitRelay 0
ExitPolicy reject *:*
ContactInfo ${name}@testnet.invalid
EOF
    } >"${TESTNET_DIR}/${name}/torrc"
    testnet_launch "${name}"
  done
  # TESTNET_NO_WAIT=1: return at once; the caller runs testnet_wait_full_consensus itself
  # (so that it can prepare other things while the network forms).
  [ "${TESTNET_NO_WAIT:-0}" = 1 ] || testnet_wait_full_consensus
}

# Waits until every authority's consensus lists all authorities and relays as Running.
testnet_wait_full_consensus() {
  local want=$((TESTNET_AUTHORITIES + TESTNET_RELAYS)) deadline=$((SECONDS + TESTNET_TIMEOUT))
  local i ok n
  while [ "${SECONDS}" -lt "${deadline}" ]; do
    testnet_check_alive
    ok=1
    for i in $(seq 1 "${TESTNET_AUTHORITIES}"); do
      n=0
      if [ -f "${TESTNET_DIR}/auth${i}/cached-consensus" ]; then
        n="$(awk '/^r /{r=1} /^s /{if (r && / Running/) c++; r=0} END{print c+0}' \
          "${TESTNET_DIR}/auth${i}/cached-consensus")"
      fi
      [ "${n}" -ge "${want}" ] || ok=0
    done
    if [ "${ok}" = 1 ]; then
      testnet_log "full consensus: ${want} running routers"
      return 0
    fi
    sleep 0.5
  done
  testnet_log "no full consensus after ${TESTNET_TIMEOUT} s"
  return 1
}

# Fails if a tor started here has exited.
testnet_check_alive() {
  local name
  for name in "${!TESTNET_PIDS[@]}"; do
    if ! kill -0 "${TESTNET_PIDS[${name}]}" 2>/dev/null; then
      testnet_log "tor ${name} exited; last log lines:"
      tail -n 5 "${TESTNET_DIR}/${name}/notice.log" "${TESTNET_DIR}/${name}/stdout.log" >&2 || true
      return 1
    fi
  done
}

# testnet_start_tor NAME [TORRC LINE]...: a tor that uses the test network (client,
# onion-service tor...). A data directory that exists is kept (restarts).
testnet_start_tor() {
  local name="$1"
  shift
  mkdir -p "${TESTNET_DIR}/${name}"
  chmod 700 "${TESTNET_DIR}/${name}"
  {
    testnet_common_torrc "${name}"
    printf '%s\n' "$@"
  } >"${TESTNET_DIR}/${name}/torrc"
  testnet_launch "${name}"
}

testnet_start_client() {
  local name="$1" socks="$2"
  shift 2
  testnet_start_tor "${name}" "SocksPort 127.0.0.1:${socks}" "$@"
}

testnet_wait_bootstrap() {
  local name="$1" timeout="${2:-60}"
  local deadline=$((SECONDS + timeout))
  while [ "${SECONDS}" -lt "${deadline}" ]; do
    if grep -q 'Bootstrapped 100%' "${TESTNET_DIR}/${name}/notice.log" 2>/dev/null; then
      return 0
    fi
    kill -0 "${TESTNET_PIDS[${name}]}" 2>/dev/null || { testnet_check_alive; return 1; }
    sleep 0.2
  done
  testnet_log "${name} did not bootstrap in ${timeout} s"
  tail -n 5 "${TESTNET_DIR}/${name}/notice.log" >&2 || true
  return 1
}

# testnet_stop_tor NAME [SIGNAL]: default TERM (ShutdownWaitLength 0); KILL after 5 s (a tor
# 0.4.9.11 authority was once seen deadlocked on a futex after "exiting cleanly").
testnet_stop_tor() {
  local name="$1" signal="${2:-TERM}" pid i
  pid="${TESTNET_PIDS[${name}]:-}"
  [ -n "${pid}" ] || return 0
  kill "-${signal}" "${pid}" 2>/dev/null || true
  for i in $(seq 1 50); do
    kill -0 "${pid}" 2>/dev/null || break
    [ "${i}" = 50 ] && kill -KILL "${pid}" 2>/dev/null
    sleep 0.1
  done
  wait "${pid}" 2>/dev/null || true
  unset "TESTNET_PIDS[${name}]"
}

testnet_stop() {
  local name
  for name in "${!TESTNET_PIDS[@]}"; do
    kill -TERM "${TESTNET_PIDS[${name}]}" 2>/dev/null || true
  done
  for name in "${!TESTNET_PIDS[@]}"; do
    testnet_stop_tor "${name}" TERM
  done
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  [ $# -eq 1 ] || { echo "usage: $0 WORKDIR   (inside unshare -n)" >&2; exit 2; }
  trap testnet_stop EXIT
  trap 'exit 130' INT TERM
  testnet_start "$1"
  testnet_start_client client 9050
  testnet_wait_bootstrap client
  testnet_log "network up in ${TESTNET_DIR}; client SocksPort 127.0.0.1:9050; Ctrl-C stops it"
  while testnet_check_alive; do sleep 2; done
fi
