// Builds the one browser bundle served at /assets/testigo.js. Reproducible: pinned esbuild
// (package-lock.json), no timestamps, no source maps, no absolute paths in the output.
// Usage: node build.mjs [outfile]   (default: ../resources/assets/testigo.js)
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';

const here = fileURLToPath(new URL('.', import.meta.url));
const outfile = process.argv[2] || here + '../resources/assets/testigo.js';
const lock = JSON.parse(readFileSync(here + 'package-lock.json', 'utf8'));
const bundled = Object.entries(lock.packages)
  .filter(([path, p]) => path.startsWith('node_modules/') && !p.dev)
  .map(([path, p]) => `${path.slice('node_modules/'.length)} ${p.version} (${p.license})`)
  .sort();

await build({
  entryPoints: [here + 'src/index.js'],
  outfile,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2020'],
  minify: true,
  charset: 'utf8',
  legalComments: 'eof',
  sourcemap: false,
  loader: { '.txt': 'text' },
  banner: { js: `/*! Testigo source page script. Built with esbuild from intake-server/src/main/js. Bundles: ${bundled.join(', ')}. Wordlists: BIP-39 (MIT), Kreyol from tesseract-ocr-hat (Apache-2.0). */` },
  logLevel: 'warning',
});
