// Key manifest v1, v2 and v3 (docs/spec/manifest-and-custody.md; v3: docs/spec/retention-and-erasure.md
// §1): strict parser, Ed25519 signature check (WebCrypto, @noble/ed25519 where the browser lacks
// Ed25519), chain rules from a pinned root fingerprint.
import * as noble from '@noble/ed25519';
import { ascii, compare, concat, equal, fingerprint, fromBase64, sha256, subtle } from './bytes.js';

const MAGIC = ascii('TSTGMAN');
const ROLES = ['reviewer', 'admin', 'auditor'];
const ALIAS = /^[a-z0-9][a-z0-9._-]{0,31}$/;
const fail = () => {
  throw new Error('manifest: does not verify');
};

export function parseArmored(text) {
  const blocks = [];
  let cur = null;
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line === '-----BEGIN TESTIGO KEY MANIFEST-----') {
      if (cur !== null) fail();
      cur = '';
    } else if (line === '-----END TESTIGO KEY MANIFEST-----') {
      if (cur === null) fail();
      blocks.push(fromBase64(cur));
      cur = null;
    } else if (cur !== null) {
      cur += line;
    } else if (line !== '') {
      fail();
    }
  }
  if (cur !== null || blocks.length === 0) fail();
  return blocks;
}

function reader(b) {
  let o = 0;
  const need = (n) => {
    if (o + n > b.length) fail();
  };
  return {
    get offset() {
      return o;
    },
    bytes(n) {
      need(n);
      const r = b.subarray(o, o + n);
      o += n;
      return r;
    },
    u8() {
      return this.bytes(1)[0];
    },
    u16() {
      const r = this.bytes(2);
      return (r[0] << 8) | r[1];
    },
    i64() {
      const r = this.bytes(8);
      let v = 0n;
      for (const x of r) v = (v << 8n) | BigInt(x);
      return BigInt.asIntN(64, v);
    },
  };
}

/** Decodes one signed manifest (body || 64-byte signature). */
export async function parseSigned(encoded) {
  if (encoded.length > 2 * 1024 * 1024) fail();
  const r = reader(encoded);
  if (!equal(r.bytes(7), MAGIC)) fail();
  // v1; v2 when some entry carries a Tor client-auth key; v3 when the manifest carries a
  // retention policy (v2 entries, then the 7-byte policy block)
  const version = r.u8();
  if (version !== 1 && version !== 2 && version !== 3) fail();
  const sequence = r.i64();
  if (sequence < 0n) fail();
  const hasPrev = r.u8();
  if (hasPrev > 1 || (hasPrev === 0) !== (sequence === 0n)) fail();
  const previousHash = hasPrev ? r.bytes(32) : null;
  const orgLen = r.u16();
  if (orgLen < 1 || orgLen > 255) fail();
  const organisation = new TextDecoder('utf-8', { fatal: true }).decode(r.bytes(orgLen));
  const rootKey = r.bytes(32);
  const logKey = r.bytes(32);
  if (equal(rootKey, logKey)) fail();
  const issuedAt = r.i64();
  const n = r.u16();
  if (n > 1000) fail();
  const reviewers = [];
  let prevFp = null;
  let torKeys = 0;
  for (let i = 0; i < n; i++) {
    const alias = String.fromCharCode(...r.bytes(r.u8()));
    const role = String.fromCharCode(...r.bytes(r.u8()));
    if (!ALIAS.test(alias) || !ROLES.includes(role)) fail();
    const encryptionKey = r.bytes(1216);
    const signingKey = r.bytes(32);
    const notBefore = r.i64();
    const notAfter = r.i64();
    if (notAfter <= notBefore) fail();
    let torKey = null;
    if (version >= 2) {
      const hasTor = r.u8();
      if (hasTor > 1) fail();
      if (hasTor) {
        torKey = r.bytes(32);
        torKeys++;
      }
    }
    const fp = await fingerprint('testigo-reviewer-v1', encryptionKey, signingKey);
    if (prevFp && compare(prevFp, fp) >= 0) fail(); // sorted, no duplicates
    prevFp = fp;
    reviewers.push({ alias, role, encryptionKey, signingKey, notBefore, notAfter, torKey });
  }
  if (version === 2 && torKeys === 0) fail(); // not canonical: written as v1
  let retention = null;
  if (version === 3) {
    const closedDays = r.u16();
    const referralDays = r.u16();
    const spamDays = r.u16();
    const earlySignatures = r.u8();
    const days = (d) => d >= 1 && d <= 3650;
    if (!days(closedDays) || !days(referralDays) || !days(spamDays) || referralDays < closedDays) fail();
    if (earlySignatures < 1 || earlySignatures > 8) fail();
    retention = { closedDays, referralDays, spamDays, earlySignatures };
  }
  const bodyLength = r.offset;
  if (encoded.length - bodyLength !== 64) fail();
  return {
    version, sequence, previousHash, organisation, rootKey, logKey, issuedAt, reviewers, retention,
    body: encoded.subarray(0, bodyLength), signature: encoded.subarray(bodyLength), encoded,
  };
}

let webCryptoEd25519 = true;

export async function verifyEd25519(publicKey, signature, message) {
  if (webCryptoEd25519) {
    try {
      const key = await subtle().importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
      return await subtle().verify({ name: 'Ed25519' }, key, signature, message);
    } catch (e) {
      if (!(e && (e.name === 'NotSupportedError' || e.name === 'TypeError'))) return false;
      webCryptoEd25519 = false;
    }
  }
  try {
    return await noble.verifyAsync(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/** SECURITY.md 4.7: returns the latest manifest of a chain that verifies from `pinned`. */
export async function verifyChain(encodedList, pinnedRootFingerprint) {
  if (encodedList.length === 0) fail();
  let prev = null;
  let latest = null;
  for (const enc of encodedList) {
    const m = await parseSigned(enc);
    const rootFp = await fingerprint('testigo-root-v1', m.rootKey);
    if (!equal(rootFp, pinnedRootFingerprint)) fail();
    const tbs = concat(ascii('testigo-sig-v1'), new Uint8Array([0]), ascii('manifest-v1'), new Uint8Array([0]), m.body);
    if (!(await verifyEd25519(m.rootKey, m.signature, tbs))) fail();
    if (prev === null) {
      if (m.sequence !== 0n || m.previousHash !== null) fail();
    } else {
      if (m.sequence !== prev.sequence + 1n || !equal(m.previousHash, await sha256(prev.encoded)) || m.issuedAt < prev.issuedAt) fail();
    }
    prev = m;
    latest = m;
  }
  return latest;
}

/** X-Wing keys of entries with role reviewer or admin valid at `nowSeconds` (nb <= t < na). */
export function recipients(manifest, nowSeconds) {
  const t = BigInt(nowSeconds);
  return manifest.reviewers
    .filter((e) => (e.role === 'reviewer' || e.role === 'admin') && e.notBefore <= t && t < e.notAfter)
    .map((e) => e.encryptionKey);
}
