// The committed bundle is exactly what `npm run build` makes from these sources and the
// locked packages: rebuild into a temporary file and compare bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePath } from './bundle.mjs';

test('bundle_isReproducedByteForByteByTheBuild', () => {
  const dir = mkdtempSync(join(tmpdir(), 'testigo-bundle-'));
  try {
    const out = join(dir, 'testigo.js');
    execFileSync(process.execPath, [fileURLToPath(new URL('../build.mjs', import.meta.url)), out], { stdio: 'inherit' });
    assert.ok(readFileSync(out).equals(readFileSync(bundlePath)),
      'src/main/resources/assets/testigo.js is stale: run `npm ci && npm run build` in intake-server/src/main/js and commit it');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
