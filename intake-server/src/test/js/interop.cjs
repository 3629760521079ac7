// Driven by JsInteropTest: runs the served bundle (the file in the jar) under Node.
//   node interop.cjs <bundle.js> seal <context> <in.bin> <out.bin> <pkhex>...
//   node interop.cjs <bundle.js> open <context> <in.bin> <out.bin> <seedhex>
//   node interop.cjs <bundle.js> strip <in.bin> <out.bin>
//   node interop.cjs <bundle.js> derive <secrethex> <saltHex> <m> <t> <p>   (prints JSON)
'use strict';
const fs = require('node:fs');

async function main() {
  const [bundle, cmd, ...args] = process.argv.slice(2);
  require(bundle);
  const T = globalThis.Testigo;
  const { fromHex, toHex } = T.bytes;
  if (cmd === 'seal') {
    const [context, input, output, ...pks] = args;
    const data = new Uint8Array(fs.readFileSync(input));
    fs.writeFileSync(output, await T.envelope.seal(data, pks.map(fromHex), context));
  } else if (cmd === 'open') {
    const [context, input, output, seed] = args;
    fs.writeFileSync(output, await T.envelope.open(new Uint8Array(fs.readFileSync(input)), fromHex(seed), context));
  } else if (cmd === 'strip') {
    const [input, output] = args;
    const r = T.strip.stripBytes(new Uint8Array(fs.readFileSync(input)));
    fs.writeFileSync(output, r.data);
    process.stdout.write(JSON.stringify(r.removed.sort()));
  } else if (cmd === 'derive') {
    const [secret, salt, m, t, p] = args;
    const k = await T.receipt.deriveKeys(fromHex(secret), { memoryKiB: +m, iterations: +t, parallelism: +p }, fromHex(salt));
    process.stdout.write(JSON.stringify({ lookup: toHex(k.lookup), seed: toHex(k.seed), pk: toHex(k.replyPublicKey) }));
  } else {
    throw new Error('unknown command');
  }
}

main().catch((e) => {
  process.stderr.write(String(e && e.message) + '\n');
  process.exit(1);
});
