// Key manifest v3 (docs/spec/retention-and-erasure.md §1): v2 entries, then the retention policy
// block (u16 closed_days, u16 referral_days, u16 spam_days, u8 early_signatures). Browser sealing
// must keep working under a v3 manifest; a damaged block must not parse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { T } from './bundle.mjs';

const { parseArmored, parseSigned } = T.manifest;

const golden = fileURLToPath(new URL('../../../../../crypto/src/test/resources/golden/', import.meta.url));
const v2 = parseArmored(readFileSync(golden + 'manifest-chain-v2.txt', 'ascii'))[2];

/** Manifest 2 of the v2 golden relabelled v3 with `block` appended to its body (signature kept, so not verified). */
function asV3(block) {
  const body = v2.subarray(0, v2.length - 64);
  const out = new Uint8Array(v2.length + block.length);
  out.set(body, 0);
  out[7] = 3;
  out.set(block, body.length);
  out.set(v2.subarray(v2.length - 64), body.length + block.length);
  return out;
}

const block = (closed, referral, spam, early) =>
  new Uint8Array([closed >> 8, closed & 0xff, referral >> 8, referral & 0xff, spam >> 8, spam & 0xff, early]);

test('manifestV3_parsesEntriesAsV2AndReadsThePolicyBlock', async () => {
  const m = await parseSigned(asV3(block(365, 1825, 30, 2)));
  assert.equal(m.version, 3);
  assert.deepEqual(m.retention, { closedDays: 365, referralDays: 1825, spamDays: 30, earlySignatures: 2 });
  assert.equal(m.reviewers.length, 3);
  assert.equal(m.reviewers.filter((e) => e.torKey).length, 2);
  assert.equal(m.body.length, v2.length - 64 + 7);
  const edges = await parseSigned(asV3(block(1, 1, 3650, 8)));
  assert.deepEqual(edges.retention, { closedDays: 1, referralDays: 1, spamDays: 3650, earlySignatures: 8 });
  assert.equal((await parseSigned(v2)).retention, null);
});

test('manifestV3_rejectsAMissingTruncatedOrLongerBlock', async () => {
  await assert.rejects(parseSigned(asV3(new Uint8Array(0))));
  const good = block(365, 1825, 30, 2);
  for (let n = 1; n < 7; n++) await assert.rejects(parseSigned(asV3(good.subarray(0, n))), undefined, `${n} bytes`);
  await assert.rejects(parseSigned(asV3(new Uint8Array([...good, 0]))));
  const v2WithBlock = asV3(good);
  v2WithBlock[7] = 2; // a v2 body followed by a policy block: trailing bytes
  await assert.rejects(parseSigned(v2WithBlock));
  for (const version of [0, 4, 255]) {
    const t = asV3(good);
    t[7] = version;
    await assert.rejects(parseSigned(t), undefined, `version ${version}`);
  }
});

test('manifestV3_rejectsPolicyValuesOutOfRange', async () => {
  const bad = [
    [0, 1825, 30, 2], [3651, 3651, 30, 2], [365, 0, 30, 2], [365, 3651, 30, 2], [365, 364, 30, 2],
    [365, 1825, 0, 2], [365, 1825, 3651, 2], [365, 1825, 30, 0], [365, 1825, 30, 9], [365, 1825, 30, 255],
    [0xffff, 0xffff, 0xffff, 0xff],
  ];
  for (const b of bad) await assert.rejects(parseSigned(asV3(block(...b))), undefined, b.join(','));
});

test('manifestV3_goldenChainWithThePolicyVerifiesAndSealsToTheSameRecipients', async () => {
  const { verifyChain, recipients } = T.manifest;
  const { fromHex, toHex, sha256 } = T.bytes;
  const root = Object.fromEntries(readFileSync(golden + 'manifest-root-v1.txt', 'ascii').trim().split('\n').map((l) => l.split(': ')));
  const facts = Object.fromEntries(readFileSync(golden + 'erasure-decision-v1.facts.txt', 'ascii').trim().split('\n').map((l) => l.split(': ')));
  const chain = parseArmored(readFileSync(golden + 'manifest-chain-v3.txt', 'ascii'));
  assert.equal(chain.length, 4);
  assert.equal(chain[3][7], 3);
  assert.equal(toHex(await sha256(chain[3])), facts['manifest-3-hash']);
  const latest = await verifyChain(chain, fromHex(root['root-fingerprint']));
  assert.equal(latest.sequence, 3n);
  assert.equal(latest.version, 3);
  assert.deepEqual(latest.retention, { closedDays: 365, referralDays: 1825, spamDays: 30, earlySignatures: 2 });
  const v2latest = await verifyChain(chain.slice(0, 3), fromHex(root['root-fingerprint']));
  assert.deepEqual(recipients(latest, Number(latest.issuedAt) + 1), recipients(v2latest, Number(latest.issuedAt) + 1));
  assert.equal(recipients(latest, Number(latest.issuedAt) + 1).length, 2);
  // the policy block is signed: any change to it, or a v3 body read as v2, does not verify
  for (const pos of [chain[3].length - 71, chain[3].length - 65, 7]) {
    const t = chain[3].slice();
    t[pos] ^= pos === 7 ? 0x01 : 0x02;
    await assert.rejects(verifyChain([...chain.slice(0, 3), t], fromHex(root['root-fingerprint'])), undefined, `flip at ${pos}`);
  }
});
