// Entry point of the bundle: exposes the primitives (for the interop tests, which load this
// very file in Node) and enhances the report form when there is a page.
import * as bytes from './bytes.js';
import * as envelope from './envelope.js';
import * as manifest from './manifest.js';
import * as payload from './payload.js';
import * as receipt from './receipt.js';
import * as strip from './strip.js';
import { buildQuestionnaire } from './questionnaire.js';
import { createUploader } from './upload.js';
import { enhance, workerMain } from './page.js';

globalThis.Testigo = Object.freeze({ bytes, envelope, manifest, payload, receipt, strip, buildQuestionnaire, createUploader });

if (typeof document === 'undefined' && typeof WorkerGlobalScope !== 'undefined' && globalThis instanceof WorkerGlobalScope) {
  workerMain(globalThis);
} else if (typeof document !== 'undefined') {
  const start = () => {
    const form = document.querySelector('form[data-testigo-seal]');
    if (form && globalThis.crypto && globalThis.crypto.subtle) enhance(form);
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}
