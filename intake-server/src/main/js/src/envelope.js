// Envelope v1 (SECURITY.md section 3): HPKE X-Wing stanzas (hpke-js), HKDF/HMAC/AES-256-GCM
// (WebCrypto), Padmé padding, 64 KiB STREAM chunks. Sealing is push-style and holds at most
// one 64 KiB plaintext chunk; the caller decides where the ciphertext goes.
import { CipherSuite, HkdfSha256 } from '@hpke/core';
import { XWing } from '@hpke/hybridkem-x-wing';
import { Chacha20Poly1305 } from '@hpke/chacha20poly1305';
import { ascii, concat, equal, fingerprint, hkdf, hmac, randomBytes, subtle } from './bytes.js';

export const MAGIC = ascii('TSTG');
export const VERSION = 1;
export const CHUNK = 65536;
export const TAG = 16;
const STANZA = 1201;
const CONTEXT_RE = /^[a-z0-9-]{1,64}$/;

const suite = new CipherSuite({ kem: new XWing(), kdf: new HkdfSha256(), aead: new Chacha20Poly1305() });

export function padme(n) {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error('padme: bad length');
  if (n === 1) return 1;
  const e = Math.floor(Math.log2(n));
  // correct floating error near powers of two
  const E = 2 ** (e + 1) <= n ? e + 1 : 2 ** e > n ? e - 1 : e;
  const S = Math.floor(Math.log2(E)) + 1;
  const lastBits = E - S;
  const mask = 2 ** lastBits;
  return Math.ceil(n / mask) * mask;
}

export const recipientFingerprint = (pk) => fingerprint('testigo-recipient-v1', pk);

export const hpkeInfo = (context) => concat(ascii('testigo-envelope-v1'), new Uint8Array([0]), ascii(context));

function nonce(i, last) {
  const n = new Uint8Array(12);
  let v = BigInt(i);
  for (let k = 10; k >= 0; k--) {
    n[k] = Number(v & 0xffn);
    v >>= 8n;
  }
  n[11] = last ? 1 : 0;
  return n;
}

async function payloadKey(fileKey, salt, context) {
  const raw = await hkdf(fileKey, salt, concat(ascii('testigo-envelope-v1 payload'), new Uint8Array([0]), ascii(context)));
  return subtle().importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

const macKey = (fileKey) => hkdf(fileKey, new Uint8Array(0), ascii('testigo-envelope-v1 header-mac'));

/** The X-Wing public key (1216 bytes) of a 32-byte seed, draft-connolly-cfrg-xwing-kem. */
export async function publicKeyFromSeed(seed) {
  await suite.kem.deserializePrivateKey(seed.slice().buffer);
  const kp = await suite.kem.generateKeyPairDerand(seed.slice());
  return new Uint8Array(await suite.kem.serializePublicKey(kp.publicKey));
}

/**
 * Starts an envelope. `fixed` ({fileKey, salt, eseeds}) exists only for known-answer tests.
 * Returns {header, write(bytes) -> Promise<Uint8Array[]>, finish() -> Promise<Uint8Array[]>}.
 */
export async function createSealer(recipients, context, fixed) {
  if (!CONTEXT_RE.test(context)) throw new Error('bad context');
  if (recipients.length < 1 || recipients.length > 64) throw new Error('1..64 recipients');
  const fileKey = fixed ? fixed.fileKey : randomBytes(32);
  const salt = fixed ? fixed.salt : randomBytes(32);
  const info = hpkeInfo(context);
  const ctx = ascii(context);
  const parts = [MAGIC, new Uint8Array([VERSION, 0x01, 0x10, ctx.length]), ctx, salt, new Uint8Array([recipients.length])];
  const seen = new Set();
  for (let r = 0; r < recipients.length; r++) {
    const pk = recipients[r];
    if (pk.length !== 1216) throw new Error('bad recipient key');
    const fp = await recipientFingerprint(pk);
    const fpHex = Array.from(fp).join(',');
    if (seen.has(fpHex)) throw new Error('duplicate recipient');
    seen.add(fpHex);
    const recipientPublicKey = await suite.kem.deserializePublicKey(pk.slice().buffer);
    const params = { recipientPublicKey, info };
    if (fixed) params.ekm = fixed.eseeds[r].slice().buffer;
    const sealed = await suite.seal(params, fileKey.slice().buffer, fp.slice().buffer);
    const enc = new Uint8Array(sealed.enc);
    const ct = new Uint8Array(sealed.ct);
    if (enc.length !== 1120 || ct.length !== 48) throw new Error(`hpke sizes ${enc.length} ${ct.length}`);
    parts.push(new Uint8Array([0x01]), fp, enc, ct);
  }
  const body = concat(...parts);
  const mac = await hmac(await macKey(fileKey), body);
  const header = concat(body, mac);
  const key = await payloadKey(fileKey, salt, context);
  if (!fixed) fileKey.fill(0);

  const buf = new Uint8Array(CHUNK);
  let fill = 0;
  let index = 0;
  let length = 0;
  let finished = false;

  async function emit(last) {
    const ct = new Uint8Array(await subtle().encrypt({ name: 'AES-GCM', iv: nonce(index, last) }, key, buf.subarray(0, fill)));
    buf.fill(0, 0, fill);
    index++;
    fill = 0;
    return ct;
  }

  async function push(data, out) {
    let off = 0;
    while (off < data.length) {
      if (fill === CHUNK) out.push(await emit(false)); // more data follows: not final
      const n = Math.min(data.length - off, CHUNK - fill);
      buf.set(data.subarray(off, off + n), fill);
      fill += n;
      off += n;
    }
  }

  return {
    header,
    get plaintextLength() {
      return length;
    },
    async write(data) {
      if (finished) throw new Error('finished');
      const out = [];
      length += data.length;
      await push(data, out);
      return out;
    },
    async finish() {
      if (finished) throw new Error('finished');
      finished = true;
      const out = [];
      const P = padme(length + 1);
      const pad = new Uint8Array(Math.min(CHUNK, P - length));
      pad[0] = 0x80;
      let remaining = P - length;
      await push(pad.subarray(0, Math.min(remaining, pad.length)), out);
      remaining -= Math.min(remaining, pad.length);
      const zeros = new Uint8Array(Math.min(CHUNK, remaining));
      while (remaining > 0) {
        const n = Math.min(remaining, zeros.length);
        await push(zeros.subarray(0, n), out);
        remaining -= n;
      }
      out.push(await emit(true));
      return out;
    },
  };
}

/** Seals a whole byte array (small payloads and tests). */
export async function seal(data, recipients, context, fixed) {
  const s = await createSealer(recipients, context, fixed);
  const out = [s.header];
  for (let o = 0; o < data.length || o === 0; o += CHUNK) {
    out.push(...(await s.write(data.subarray(o, o + CHUNK))));
    if (data.length === 0) break;
  }
  out.push(...(await s.finish()));
  return concat(...out);
}

/** Parses the header strictly (SECURITY.md 3.6 step 1). */
export function parseHeader(env) {
  const fail = () => {
    throw new Error('envelope: invalid');
  };
  if (env.length < 8 || !equal(env.subarray(0, 4), MAGIC) || env[4] !== 1 || env[5] !== 1 || env[6] !== 0x10) fail();
  const c = env[7];
  if (c < 1 || c > 64 || env.length < 8 + c + 33) fail();
  const context = String.fromCharCode(...env.subarray(8, 8 + c));
  if (!CONTEXT_RE.test(context)) fail();
  const salt = env.subarray(8 + c, 40 + c);
  const count = env[40 + c];
  if (count < 1 || count > 64) fail();
  const headerLength = 73 + c + STANZA * count;
  if (env.length < headerLength) fail();
  const stanzas = [];
  const seen = new Set();
  for (let i = 0; i < count; i++) {
    const o = 41 + c + STANZA * i;
    if (env[o] !== 1) fail();
    const fp = env.subarray(o + 1, o + 33);
    const k = fp.join(',');
    if (seen.has(k)) fail();
    seen.add(k);
    stanzas.push({ fingerprint: fp, enc: env.subarray(o + 33, o + 1153), ct: env.subarray(o + 1153, o + 1201) });
  }
  return { context, salt, stanzas, headerLength, macOffset: headerLength - 32 };
}

/** Opens an envelope held in memory with a 32-byte X-Wing seed. Any defect: one generic error. */
export async function open(env, seed, expectedContext) {
  try {
    const h = parseHeader(env);
    if (h.context !== expectedContext) throw new Error();
    const pk = await publicKeyFromSeed(seed);
    const fp = await recipientFingerprint(pk);
    const st = h.stanzas.find((s) => equal(s.fingerprint, fp));
    if (!st) throw new Error();
    const recipientKey = await suite.kem.deserializePrivateKey(seed.slice().buffer);
    const fileKey = new Uint8Array(
      await suite.open({ recipientKey, enc: st.enc.slice().buffer, info: hpkeInfo(h.context) }, st.ct.slice().buffer, fp.slice().buffer),
    );
    if (fileKey.length !== 32) throw new Error();
    const mac = await hmac(await macKey(fileKey), env.subarray(0, h.macOffset));
    if (!equal(mac, env.subarray(h.macOffset, h.headerLength))) throw new Error();
    const key = await payloadKey(fileKey, h.salt, h.context);
    const chunks = [];
    let off = h.headerLength;
    let i = 0;
    if (off >= env.length) throw new Error();
    while (off < env.length) {
      const last = env.length - off <= CHUNK + TAG;
      const len = last ? env.length - off : CHUNK + TAG;
      if (len < TAG + 1) throw new Error();
      chunks.push(new Uint8Array(await subtle().decrypt({ name: 'AES-GCM', iv: nonce(i, last) }, key, env.subarray(off, off + len))));
      off += len;
      i++;
    }
    const q = concat(...chunks);
    let end = q.length - 1;
    while (end >= 0 && q[end] === 0) end--;
    if (end < 0 || q[end] !== 0x80 || padme(q.length) !== q.length) throw new Error();
    return q.subarray(0, end);
  } catch {
    throw new Error('envelope: cannot open');
  }
}
