#!/usr/bin/env python3
"""Independent check of the erasure golden files (docs/spec/retention-and-erasure.md §1, §2).

Reads crypto/src/test/resources/golden/{erasure-decision-v1-*.txt, manifest-chain-v3.txt},
parses them from the spec alone (not the Java code), verifies every Ed25519 signature with
pyca/cryptography and prints the fields. Exit 0 only if everything holds.
    python3 docs/spec/vectors/check-erasure-golden.py
"""
import base64, datetime, hashlib, pathlib, struct, sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

GOLDEN = pathlib.Path(__file__).resolve().parents[3] / "crypto/src/test/resources/golden"

def armored(name, begin):
    out, cur = [], None
    for line in (GOLDEN / name).read_text().splitlines():
        line = line.strip()
        if line == f"-----BEGIN {begin}-----":
            cur = []
        elif line == f"-----END {begin}-----":
            out.append(base64.b64decode("".join(cur))); cur = None
        elif cur is not None:
            cur.append(line)
    return out

def tbs(label, msg):
    return b"testigo-sig-v1\x00" + label + b"\x00" + msg

def check_decision(name):
    (e,) = armored(name, "TESTIGO ERASURE DECISION")
    assert e[:7] == b"TSTGERA" and e[7] == 1
    case, reason, basis = e[8:24], e[24], e[25]
    decided, = struct.unpack(">q", e[26:34]); day, = struct.unpack(">I", e[34:38])
    record, n = e[38:70], struct.unpack(">H", e[70:72])[0]
    objs = [e[72 + 32 * i: 104 + 32 * i] for i in range(n)]
    assert objs == sorted(objs) and len(set(objs)) == n
    body_end = 72 + 32 * n
    s = e[body_end]
    assert len(e) == 73 + 32 * n + 96 * s, "length"
    assert (basis == 2) == (day == 0)
    keys = []
    for i in range(s):
        o = body_end + 1 + 96 * i
        pk, sig = e[o:o + 32], e[o + 32:o + 96]
        Ed25519PublicKey.from_public_bytes(pk).verify(sig, tbs(b"erasure-v1", e[:body_end]))
        keys.append(pk)
    assert keys == sorted(keys)
    print(name, "case", case.hex(), "reason", reason, "basis", basis,
          "decided", datetime.datetime.fromtimestamp(decided, datetime.timezone.utc).isoformat(),
          "policy_day", day and datetime.date.fromordinal(datetime.date(1970, 1, 1).toordinal() + day),
          "objects", n, "signers", [k.hex()[:16] for k in keys], "sha256", hashlib.sha256(e).hexdigest())
    return hashlib.sha256(e).hexdigest()

def check_manifest_v3():
    chain = armored("manifest-chain-v3.txt", "TESTIGO KEY MANIFEST")
    m = chain[3]
    assert m[:7] == b"TSTGMAN" and m[7] == 3
    body, sig = m[:-64], m[-64:]
    # the root key follows sequence, previous hash and organisation
    o = 8 + 8 + 1 + 32
    olen, = struct.unpack(">H", m[o:o + 2]); o += 2 + olen
    root = m[o:o + 32]
    Ed25519PublicKey.from_public_bytes(root).verify(sig, tbs(b"manifest-v1", body))
    assert hashlib.sha256(chain[2]).digest() == m[17:49], "previous hash"
    closed, referral, spam, early = struct.unpack(">HHHB", body[-7:])
    print("manifest 3 v3 policy", closed, referral, spam, early, "sha256", hashlib.sha256(m).hexdigest())
    assert (closed, referral, spam, early) == (365, 1825, 30, 2)
    return hashlib.sha256(m).hexdigest()

facts = dict(l.split(": ") for l in (GOLDEN / "erasure-decision-v1.facts.txt").read_text().splitlines())
assert check_decision("erasure-decision-v1-policy.txt") == facts["policy-decision-sha256"]
assert check_decision("erasure-decision-v1-early.txt") == facts["early-decision-sha256"]
assert check_manifest_v3() == facts["manifest-3-hash"]
print("OK")
