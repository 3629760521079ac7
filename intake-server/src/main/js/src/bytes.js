// Byte helpers shared by every module. No secrets are logged anywhere in this bundle.
export const te = new TextEncoder();
export const ascii = (s) => te.encode(s);

export function concat(...parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function equal(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

export function compare(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

export const toHex = (u) => Array.from(u, (b) => b.toString(16).padStart(2, '0')).join('');

export function fromHex(h) {
  if (!/^([0-9a-fA-F]{2})*$/.test(h)) throw new Error('bad hex');
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.substr(2 * i, 2), 16);
  return out;
}

export function toBase64(u) {
  let s = '';
  for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode.apply(null, u.subarray(i, i + 0x8000));
  return btoa(s);
}

export const toBase64Url = (u) => toBase64(u).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export function fromBase64(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function u32(v) {
  return new Uint8Array([(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);
}

export const subtle = () => globalThis.crypto.subtle;

export async function sha256(data) {
  return new Uint8Array(await subtle().digest('SHA-256', data));
}

/** SHA-256(domain || 0x00 || parts...), the Fingerprint of SECURITY.md section 4.1. */
export async function fingerprint(domain, ...parts) {
  return sha256(concat(ascii(domain), new Uint8Array([0]), ...parts));
}

/** Short form: first 100 bits as five 20-bit slices, each mod 100000, five digits. */
export function shortForm(fp) {
  let bits = 0n;
  for (let i = 0; i < 13; i++) bits = (bits << 8n) | BigInt(fp[i]);
  bits >>= 4n; // 104 -> 100 bits
  const groups = [];
  for (let g = 4; g >= 0; g--) {
    const v = Number((bits >> BigInt(20 * g)) & 0xfffffn) % 100000;
    groups.push(String(v).padStart(5, '0'));
  }
  return groups.join(' ');
}

export async function hkdf(ikm, salt, info, length = 32) {
  const key = await subtle().importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
  return new Uint8Array(await subtle().deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info }, key, length * 8));
}

export async function hmac(key, data) {
  const k = await subtle().importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await subtle().sign('HMAC', k, data));
}

export function randomBytes(n) {
  const out = new Uint8Array(n);
  globalThis.crypto.getRandomValues(out);
  return out;
}
