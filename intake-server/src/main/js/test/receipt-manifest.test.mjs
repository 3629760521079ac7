// Receipts and manifests against the Java golden files of crypto/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { T } from './bundle.mjs';

const { parse, render, generate, deriveKeys, mailboxId } = T.receipt;
const { parseArmored, verifyChain, recipients } = T.manifest;
const { fingerprint, fromHex, toHex, shortForm } = T.bytes;

const golden = fileURLToPath(new URL('../../../../../crypto/src/test/resources/golden/', import.meta.url));
const receipts = JSON.parse(readFileSync(golden + 'receipts-v1.json', 'utf8'));

test('receipt_goldenWordsParseAndRenderInTheirLanguage', async () => {
  for (const r of receipts.receipts) {
    const s = await parse(r.words);
    assert.equal(toHex(s), r.secret_hex);
    assert.equal(await render(s, r.language), r.words.normalize('NFC'));
    assert.equal(toHex(await parse(r.words.toUpperCase().normalize('NFD').replace(/ /g, ', '))), r.secret_hex);
  }
});

test('receipt_goldenKeysDeriveIdenticallyToJava', async () => {
  const p = receipts.params;
  const salt = fromHex(receipts.deployment_salt_hex);
  for (const r of receipts.receipts) {
    const k = await deriveKeys(fromHex(r.secret_hex), { memoryKiB: p.memory_kib, iterations: p.iterations, parallelism: p.parallelism }, salt);
    assert.equal(toHex(k.lookup), r.mailbox_lookup_key_hex);
    assert.equal(toHex(k.seed), r.reply_seed_hex);
    assert.equal(toHex(await fingerprint('testigo-recipient-v1', k.replyPublicKey)), r.reply_public_key_fingerprint_hex);
    assert.equal(toHex(await mailboxId(fromHex(receipts.deployment_secret_hex), k.lookup)), r.mailbox_id_hex);
  }
});

test('receipt_generatedSecretsHave77BitsAndRoundTripInEveryLanguage', async () => {
  for (let i = 0; i < 20; i++) {
    const s = await generate();
    assert.equal(s.length, 10);
    assert.equal(s[0] & 0xe0, 0);
    for (const l of ['ES', 'EN', 'FR', 'PT']) assert.equal(toHex(await parse(await render(s, l))), toHex(s));
  }
  const words = receipts.receipts[1].words.split(' ');
  words[7] = words[6];
  await assert.rejects(parse(words.join(' ')));
  await assert.rejects(parse('zoo zoo zoo'));
});

const root = Object.fromEntries(readFileSync(golden + 'manifest-root-v1.txt', 'ascii').trim().split('\n').map((l) => l.split(': ')));
const chainText = readFileSync(golden + 'manifest-chain-v1.txt', 'ascii');

test('manifest_goldenChainVerifiesFromThePinnedRootFingerprint', async () => {
  const chain = parseArmored(chainText);
  assert.equal(chain.length, 2);
  const latest = await verifyChain(chain, fromHex(root['root-fingerprint']));
  assert.equal(latest.sequence, 1n);
  assert.equal(toHex(latest.rootKey), root['root-public-key']);
  assert.ok(latest.reviewers.length >= 1);
  assert.ok(recipients(latest, Number(latest.issuedAt) + 1).length >= 1);
  assert.match(shortForm(fromHex(root['root-fingerprint'])), /^\d{5} \d{5} \d{5} \d{5} \d{5}$/);
});

test('manifest_goldenV2ChainWithTorKeysVerifiesAndSealsToTheSameRecipients', async () => {
  const chain = parseArmored(readFileSync(golden + 'manifest-chain-v2.txt', 'ascii'));
  assert.equal(chain.length, 3);
  const latest = await verifyChain(chain, fromHex(root['root-fingerprint']));
  assert.equal(latest.sequence, 2n);
  assert.equal(latest.reviewers.filter((e) => e.torKey).length, 2);
  assert.equal(recipients(latest, Number(latest.issuedAt) + 1).length, 2); // maria, jose; ana audits
  const relabelled = parseArmored(chainText)[1].slice();
  relabelled[7] = 2; // a v1 body called v2: no Tor flags, so it cannot parse
  await assert.rejects(verifyChain([parseArmored(chainText)[0], relabelled], fromHex(root['root-fingerprint'])));
});

test('manifest_rejectsForeignRootFlippedBitsReorderingAndTruncation', async () => {
  const chain = parseArmored(chainText);
  const pinned = fromHex(root['root-fingerprint']);
  const other = pinned.slice();
  other[0] ^= 1;
  await assert.rejects(verifyChain(chain, other));
  await assert.rejects(verifyChain([chain[1], chain[0]], pinned));
  await assert.rejects(verifyChain([chain[1]], pinned));
  await assert.rejects(verifyChain([], pinned));
  for (const pos of [0, 9, 20, 60, 200, chain[1].length - 70, chain[1].length - 1]) {
    const t = chain[1].slice();
    t[pos] ^= 0x01;
    await assert.rejects(verifyChain([chain[0], t], pinned), undefined, `flip at ${pos}`);
  }
  await assert.rejects(verifyChain([chain[0], chain[1].subarray(0, chain[1].length - 1)], pinned));
});
