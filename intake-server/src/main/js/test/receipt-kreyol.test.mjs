// Kreyol receipts (list id 1) and numeric receipts against the golden file made by an
// independent Python script (crypto/src/test/resources/golden/receipts-v1-kreyol-numeric.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { T } from './bundle.mjs';

const { parse, render, renderDigits, generate, receiptLanguage, sameWord } = T.receipt;
const { toHex } = T.bytes;
const golden = fileURLToPath(new URL('../../../../../crypto/src/test/resources/golden/', import.meta.url));
const vectors = JSON.parse(readFileSync(golden + 'receipts-v1-kreyol-numeric.json', 'utf8'));
const legacy = JSON.parse(readFileSync(golden + 'receipts-v1.json', 'utf8'));
const french = new Set(readFileSync(fileURLToPath(new URL(
  '../../../../../crypto/src/main/resources/org/testigo/crypto/receipt/bip39-french.txt', import.meta.url)), 'utf8')
  .split('\n').filter((w) => w).map((w) => w.normalize('NFC')));

test('kreyol_goldenWordsAndDigitsParseAndRenderAsInJavaAndPython', async () => {
  assert.equal(vectors.receipts.length, 5);
  for (const r of vectors.receipts) {
    const s = await parse(r.kreyol_words);
    assert.equal(toHex(s), r.secret_hex);
    assert.equal(toHex(await parse(r.digits)), r.secret_hex);
    assert.equal(toHex(await parse(r.digits.replace(/ /g, ''))), r.secret_hex);
    assert.equal(toHex(await parse(r.spanish_words)), r.secret_hex);
    assert.equal(await render(s, 'HT'), r.kreyol_words);
    assert.equal(await renderDigits(s), r.digits);
    assert.equal(toHex(await parse(r.kreyol_words.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase())), r.secret_hex);
  }
});

test('kreyol_oldGoldenReceiptsParseAsBefore', async () => {
  for (const r of legacy.receipts) assert.equal(toHex(await parse(r.words)), r.secret_hex);
});

test('kreyol_pageLanguageHtGetsTheKreyolListWithNoFrenchWord', async () => {
  assert.equal(receiptLanguage('ht'), 'HT');
  for (let i = 0; i < 20; i++) {
    const s = await generate();
    const words = (await render(s, receiptLanguage('ht'))).split(' ');
    assert.equal(words.length, 8);
    for (const w of words) assert.ok(!french.has(w), w);
    assert.equal(toHex(await parse(words.join(' '))), toHex(s));
    assert.equal(toHex(await parse(await renderDigits(s))), toHex(s));
  }
});

test('kreyol_digitsWithWrongCountRangeOrCheckAreRefused', async () => {
  const d = vectors.receipts[2].digits.replace(/ /g, '');
  await assert.rejects(parse(d.slice(1)));
  await assert.rejects(parse('9' + d.slice(1)));
  const last = (Number(d.slice(28)) + 1) % 2048;
  await assert.rejects(parse(d.slice(0, 28) + String(last).padStart(4, '0')));
  await assert.rejects(parse('1234 5678 9012 3456 7890 1234 5678 9012'));
});

test('kreyol_sameWordFollowsTheParseRules', () => {
  assert.ok(sameWord('KÒD', 'kod'));
  assert.ok(sameWord(' abandonn ', 'abandon'));
  assert.ok(sameWord('abac', 'ábaco'));
  assert.ok(!sameWord('aba', 'ábaco'));
  assert.ok(sameWord('0412', '0412'));
  assert.ok(!sameWord('412', '0412'));
  assert.ok(!sameWord('', 'kod'));
});

test('generate_shownInALanguage_neverShowsABlockedWord', async () => {
  const lines = readFileSync(new URL('../../../../../crypto/src/main/resources/org/testigo/crypto/receipt/receipt-blocklist.txt',
    import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('ES '));
  const blockedEs = new Set(lines.map((l) => l.slice(3).trim().normalize('NFC')));
  assert.ok(blockedEs.has('policía') && blockedEs.has('droga'));
  let plain = 0;
  for (let i = 0; i < 400; i++) {
    const s = await generate('ES');
    const words = (await render(s, 'ES')).split(' ');
    for (const w of words) assert.ok(!blockedEs.has(w), w);
    assert.equal(toHex(await parse(words.join(' '))), toHex(s));
    if ((await render(await generate(), 'ES')).split(' ').some((w) => blockedEs.has(w))) plain++;
  }
  assert.ok(plain > 0, 'plain draws show blocked words');
});
