// Interop with the Java implementation: the golden envelope of crypto/ (sealed by Bouncy Castle
// and the JDK) is reproduced byte for byte from its fixed inputs, and opens here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seal, open, publicKeyFromSeed, padme } from '../src/envelope.js';
import { fromHex } from '../src/bytes.js';

const golden = fileURLToPath(new URL('../../../../../crypto/src/test/resources/golden/envelope-v1/', import.meta.url));
const hexLines = (f) => readFileSync(golden + f, 'ascii').trim().split(/\s+/).map(fromHex);
const seeds = hexLines('recipient-seeds.hex');
const plaintext = new Uint8Array(readFileSync(golden + 'plaintext.bin'));
const envelope = new Uint8Array(readFileSync(golden + 'envelope.bin'));

test('seal_reproducesTheJavaGoldenEnvelopeByteForByte', async () => {
  const recipients = [await publicKeyFromSeed(seeds[0]), await publicKeyFromSeed(seeds[1])];
  const fixed = { fileKey: hexLines('file-key.hex')[0], salt: hexLines('payload-salt.hex')[0], eseeds: hexLines('hpke-eseeds.hex') };
  const sealed = await seal(plaintext, recipients, 'report', fixed);
  assert.equal(sealed.length, envelope.length);
  assert.ok(Buffer.from(sealed).equals(Buffer.from(envelope)), 'bytes differ from golden envelope.bin');
});

test('open_opensTheJavaGoldenEnvelopeWithEitherRecipientSeed', async () => {
  for (const seed of seeds) {
    const pt = await open(envelope, seed, 'report');
    assert.ok(Buffer.from(pt).equals(Buffer.from(plaintext)));
  }
});

test('open_failsForWrongContextFlippedBitsTruncationAndForeignKey', async () => {
  await assert.rejects(open(envelope, seeds[0], 'reply'));
  for (const pos of [0, 7, 100, 2000, 2470, 2481, 40000, envelope.length - 1]) {
    const t = envelope.slice();
    t[pos] ^= 1;
    await assert.rejects(open(t, seeds[0], 'report'), undefined, `flip at ${pos}`);
  }
  await assert.rejects(open(envelope.subarray(0, 2481 + 65552), seeds[0], 'report'));
  await assert.rejects(open(envelope.subarray(0, envelope.length - 1), seeds[0], 'report'));
  await assert.rejects(open(envelope, new Uint8Array(32).fill(9), 'report'));
});

test('seal_randomEnvelopesRoundTripAtChunkAndPaddingEdges', async () => {
  const pk = await publicKeyFromSeed(seeds[1]);
  for (const n of [0, 1, 7, 65535, 65536, 65537, 131071, 200000]) {
    const data = new Uint8Array(n).map((_, i) => (i * 31 + 7) & 0xff);
    const env = await seal(data, [pk], 'follow-up');
    const P = padme(n + 1);
    assert.equal(env.length, 73 + 9 + 1201 + P + 16 * Math.ceil(P / 65536));
    assert.ok(Buffer.from(await open(env, seeds[1], 'follow-up')).equals(Buffer.from(data)));
  }
});
