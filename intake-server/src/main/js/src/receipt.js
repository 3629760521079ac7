// Receipts, format testigo-receipt-v1 (SECURITY.md 5.1): 77-bit secret + check word in a
// BIP-39 list (list id 0), the Kreyol list (list id 1) or digit groups (the BIP-39 indices),
// tolerant parsing, and key derivation Argon2id -> HKDF -> X-Wing seed. Mirrors Receipt.java.
import { argon2idAsync } from '@noble/hashes/argon2.js';
import es from '../../../../../crypto/src/main/resources/org/testigo/crypto/receipt/bip39-spanish.txt';
import en from '../../../../../crypto/src/main/resources/org/testigo/crypto/receipt/bip39-english.txt';
import fr from '../../../../../crypto/src/main/resources/org/testigo/crypto/receipt/bip39-french.txt';
import pt from '../../../../../crypto/src/main/resources/org/testigo/crypto/receipt/bip39-portuguese.txt';
import ht from '../../../../../crypto/src/main/resources/org/testigo/crypto/receipt/kreyol-ht.txt';
import blocklist from '../../../../../crypto/src/main/resources/org/testigo/crypto/receipt/receipt-blocklist.txt';
import { ascii, concat, hkdf, hmac, randomBytes, sha256 } from './bytes.js';
import { publicKeyFromSeed } from './envelope.js';

const LISTS = { ES: es, EN: en, FR: fr, PT: pt, HT: ht };
const LIST_ID = { ES: 0, EN: 0, FR: 0, PT: 0, HT: 1 };
// The BIP-39 lists first, exactly as before the Kreyol list existed; Kreyol only if they find nothing.
const ORDER = ['ES', 'EN', 'FR', 'PT', 'HT'];
const FAIL = 'receipt not recognised: check the words';
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

/** The receipt language for a page language (Haitian Creole: the Kreyol list). */
export const receiptLanguage = (pageLang) => ({ es: 'ES', en: 'EN', fr: 'FR', ht: 'HT', pt: 'PT' })[pageLang] || 'ES';

async function checkWord(secret, listId = 0) {
  const h = await sha256(concat(ascii('testigo-receipt-checksum-v1'), new Uint8Array([listId]), secret));
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
  return [...dataWords(secret), await checkWord(secret, LIST_ID[lang])].map((i) => l.display[i]).join(' ');
}

/** The numeric form: the BIP-39 indices (list id 0) as 8 groups of 4 digits. */
export async function renderDigits(secret) {
  return [...dataWords(secret), await checkWord(secret, 0)].map((i) => String(i).padStart(4, '0')).join(' ');
}

/**
 * Parses typed words in any of the five languages, or digit groups (input with no letter:
 * exactly 32 digits); returns the 10-byte secret or throws.
 */
export async function parse(typed) {
  if (typeof typed !== 'string' || typed.length > 512) throw new Error(FAIL);
  const n = norm(typed);
  if (!/\p{L}/u.test(n)) {
    const digits = n.replace(/[^0-9]/g, '');
    if (digits.length !== 32) throw new Error(FAIL);
    const idx = digits.match(/.{4}/g).map(Number);
    if (idx.some((i) => i > 2047)) throw new Error(FAIL);
    const s = secretOf(idx.slice(0, 7));
    if ((await checkWord(s, 0)) !== idx[7]) throw new Error(FAIL);
    return s;
  }
  const tokens = n.split(/[^\p{L}]+/u).filter((t) => t.length > 0);
  if (tokens.length !== 8) throw new Error(FAIL);
  for (const id of [0, 1]) {
    const candidates = [];
    for (const lang of ORDER.filter((l) => LIST_ID[l] === id)) {
      const idx = tokens.map((t) => list(lang).index.get(key4(t)));
      if (idx.some((i) => i === undefined)) continue;
      const s = secretOf(idx.slice(0, 7));
      if ((await checkWord(s, id)) === idx[7]) candidates.push(s);
    }
    if (candidates.some((c) => c.join() !== candidates[0].join())) throw new Error(FAIL);
    if (candidates.length > 0) return candidates[0];
  }
  throw new Error(FAIL);
}

/** Whether a typed word (or digit group) is the shown one, by the parse rules (Receipt.sameWord). */
export function sameWord(typed, shown) {
  if (typeof typed !== 'string' || typeof shown !== 'string' || typed.length > 64) return false;
  const t = norm(typed).replace(/[^\p{L}0-9]/gu, '');
  const s = norm(shown).replace(/[^\p{L}0-9]/gu, '');
  if (t === '' || s === '') return false;
  if (/^[0-9]+$/.test(s)) return t === s;
  return key4(t) === key4(s);
}

// Words a receipt is never shown with (Receipt.generate(random, language), receipt-blocklist.txt):
// "LANG word" lines, '#' comments.
let blockedWords;
function blocked(lang) {
  if (!blockedWords) {
    blockedWords = {};
    for (const line of blocklist.split('\n')) {
      const l = line.trim();
      if (l === '' || l.startsWith('#')) continue;
      const space = l.indexOf(' ');
      const code = l.slice(0, space);
      (blockedWords[code] = blockedWords[code] || new Set()).add(l.slice(space + 1).normalize('NFC'));
    }
  }
  return blockedWords[lang] || new Set();
}

/**
 * A fresh receipt secret: 10 random bytes, top 3 bits zero, re-drawn if ambiguous, or if
 * `shownIn` (a receipt language) is given and its words there include a blocked one.
 */
export async function generate(shownIn) {
  for (;;) {
    const s = randomBytes(10);
    s[0] &= 0x1f;
    let ok = true;
    if (shownIn && (await render(s, shownIn)).split(' ').some((w) => blocked(shownIn).has(w))) continue;
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
