// Receipts, format testigo-receipt-v1 (SECURITY.md 5.1): 77-bit secret + check word in a
// BIP-39 list, tolerant parsing, and key derivation Argon2id -> HKDF -> X-Wing seed.
import { argon2idAsync } from '@noble/hashes/argon2.js';
import es from '../../../../../crypto/src/main/resources/org/testigo/crypto/receipt/bip39-spanish.txt';
import en from '../../../../../crypto/src/main/resources/org/testigo/crypto/receipt/bip39-english.txt';
import fr from '../../../../../crypto/src/main/resources/org/testigo/crypto/receipt/bip39-french.txt';
import pt from '../../../../../crypto/src/main/resources/org/testigo/crypto/receipt/bip39-portuguese.txt';
import { ascii, concat, hkdf, hmac, randomBytes, sha256 } from './bytes.js';
import { publicKeyFromSeed } from './envelope.js';

const LISTS = { ES: es, EN: en, FR: fr, PT: pt };
const ORDER = ['ES', 'EN', 'FR', 'PT'];
const cache = {};

export const norm = (s) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
const key4 = (t) => (t.length < 4 ? t : Array.from(t).slice(0, 4).join(''));

function list(lang) {
  if (!cache[lang]) {
    const words = LISTS[lang].split('\n').map((w) => w.trim()).filter((w) => w.length > 0);
    if (words.length !== 2048) throw new Error('wordlist');
    const index = new Map();
    words.forEach((w, i) => index.set(key4(norm(w)), i));
    if (index.size !== 2048) throw new Error('wordlist prefixes');
    cache[lang] = { display: words.map((w) => w.normalize('NFC')), index };
  }
  return cache[lang];
}

/** The receipt language for a page language (Haitian Creole uses the French list). */
export const receiptLanguage = (pageLang) => ({ es: 'ES', en: 'EN', fr: 'FR', ht: 'FR', pt: 'PT' })[pageLang] || 'ES';

async function checkWord(secret) {
  const h = await sha256(concat(ascii('testigo-receipt-checksum-v1'), new Uint8Array([0]), secret));
  return ((h[0] << 8) | h[1]) >> 5;
}

function dataWords(secret) {
  let v = 0n;
  for (const b of secret) v = (v << 8n) | BigInt(b);
  const out = [];
  for (let i = 0; i < 7; i++) out.push(Number((v >> BigInt(66 - 11 * i)) & 0x7ffn));
  return out;
}

function secretOf(words) {
  let v = 0n;
  for (const w of words) v = (v << 11n) | BigInt(w);
  const s = new Uint8Array(10);
  for (let i = 9; i >= 0; i--) {
    s[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return s;
}

export async function render(secret, lang) {
  const l = list(lang);
  return [...dataWords(secret), await checkWord(secret)].map((i) => l.display[i]).join(' ');
}

/** Parses typed words in any of the four languages; returns the 10-byte secret or throws. */
export async function parse(typed) {
  if (typeof typed !== 'string' || typed.length > 512) throw new Error('receipt not recognised: check the words');
  const tokens = norm(typed).split(/[^\p{L}]+/u).filter((t) => t.length > 0);
  if (tokens.length !== 8) throw new Error('receipt not recognised: check the words');
  const candidates = [];
  for (const lang of ORDER) {
    const idx = tokens.map((t) => list(lang).index.get(key4(t)));
    if (idx.some((i) => i === undefined)) continue;
    const s = secretOf(idx.slice(0, 7));
    if ((await checkWord(s)) === idx[7]) candidates.push(s);
  }
  if (candidates.length === 0 || candidates.some((c) => c.join() !== candidates[0].join())) {
    throw new Error('receipt not recognised: check the words');
  }
  return candidates[0];
}

/** A fresh receipt secret: 10 random bytes, top 3 bits zero, re-drawn if ambiguous. */
export async function generate() {
  for (;;) {
    const s = randomBytes(10);
    s[0] &= 0x1f;
    let ok = true;
    for (const lang of ORDER) {
      try {
        if ((await parse(await render(s, lang))).join() !== s.join()) ok = false;
      } catch {
        ok = false;
      }
    }
    if (ok) return s;
  }
}

/**
 * Derives the mailbox lookup key, the reply key seed and the reply public key.
 * params = {memoryKiB, iterations, parallelism}; deploymentSalt = root fingerprint bytes.
 */
export async function deriveKeys(secret, params, deploymentSalt, onProgress) {
  const salt = (await sha256(concat(ascii('testigo-receipt-v1'), new Uint8Array([0]), deploymentSalt))).subarray(0, 16);
  const master = await argon2idAsync(secret, salt, {
    m: params.memoryKiB, t: params.iterations, p: params.parallelism, dkLen: 32,
    asyncTick: 20, onProgress,
  });
  const empty = new Uint8Array(0);
  const lookup = await hkdf(master, empty, ascii('testigo-receipt-v1 mailbox'));
  const seed = await hkdf(master, empty, ascii('testigo-receipt-v1 reply-key'));
  master.fill(0);
  const replyPublicKey = await publicKeyFromSeed(seed);
  return { lookup, seed, replyPublicKey };
}

/** HMAC-SHA256(deploymentSecret, "testigo-mailbox-v1" || lookup): server side, for tests. */
export const mailboxId = (deploymentSecret, lookup) => hmac(deploymentSecret, concat(ascii('testigo-mailbox-v1'), lookup));
