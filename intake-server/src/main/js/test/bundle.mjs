// Loads the committed bundle (the file the server serves) and returns its exports.
import { fileURLToPath, pathToFileURL } from 'node:url';

export const bundlePath = fileURLToPath(new URL('../../resources/assets/testigo.js', import.meta.url));
await import(pathToFileURL(bundlePath).href);
export const T = globalThis.Testigo;
