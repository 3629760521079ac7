// Progressive enhancement of the report form. Without this script the form posts to the
// server, which seals for the source. With it, the report is sealed here and only the
// envelope leaves the browser. Nothing secret is stored (no storage API is used).
import { concat, fromHex, shortForm, toBase64Url } from './bytes.js';
import { createSealer } from './envelope.js';
import { parseArmored, verifyChain, recipients } from './manifest.js';
import { createPayloadWriter, partHeader, cleanFileName, cleanType } from './payload.js';
import { generate, render, renderDigits, deriveKeys, receiptLanguage, sameWord } from './receipt.js';
import { createStripper, sniff, MalformedImageError } from './strip.js';
import { buildQuestionnaire } from './questionnaire.js';
import { createUploader, UploadExpiredError, UploadGaveUpError } from './upload.js';

const PIECE = 1024 * 1024;
const WORKER_SCRIPT = '/assets/testigo.js';
const SLICE = 65536;

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

function messages() {
  const m = {};
  for (const e of document.querySelectorAll('#testigo-messages [data-key]')) m[e.dataset.key] = e.textContent;
  return (k, ...args) => (m[k] || k).replace(/\{(\d)\}/g, (_, i) => args[Number(i)] ?? '');
}

/** Reads a file slice by slice, through the metadata stripper when it is a JPEG or PNG. */
async function* fileBytes(file, stripper) {
  for (let o = 0; o < file.size; o += SLICE) {
    const chunk = new Uint8Array(await file.slice(o, o + SLICE).arrayBuffer());
    if (stripper) yield* stripper.push(chunk);
    else yield chunk;
  }
  if (stripper) yield* stripper.end();
}

async function scanFile(file) {
  const kind = sniff(new Uint8Array(await file.slice(0, 8).arrayBuffer()));
  const stripper = createStripper(kind);
  if (!stripper) return { kind, removed: [] };
  try {
    // eslint-disable-next-line no-unused-vars
    for await (const _ of fileBytes(file, stripper));
  } catch (e) {
    if (e instanceof MalformedImageError) return { kind, malformed: true, removed: [] };
    throw e;
  }
  return { kind, removed: [...stripper.removed] };
}

/**
 * Argon2id of the receipt in a Web Worker running this same bundle (same origin, CSP worker-src
 * 'self'), so that the page stays responsive on a slow phone without JIT; on the main thread when
 * a worker cannot start. Resolves to the keys of deriveKeys.
 */
function deriveOffThread(secret, params, salt, onProgress) {
  let w;
  try {
    w = new Worker(WORKER_SCRIPT);
  } catch {
    document.documentElement.dataset.testigoArgon2 = 'page';
    return deriveKeys(secret, params, salt, onProgress);
  }
  return new Promise((resolve, reject) => {
    w.onmessage = (e) => {
      const m = e.data || {};
      if (m.progress != null) onProgress(m.progress);
      else if (m.keys) {
        w.terminate();
        document.documentElement.dataset.testigoArgon2 = 'worker';
        resolve(m.keys);
      } else {
        w.terminate();
        reject(new Error('derivation'));
      }
    };
    w.onerror = (e) => {
      e.preventDefault();
      w.terminate();
      document.documentElement.dataset.testigoArgon2 = 'page';
      deriveKeys(secret, params, salt, onProgress).then(resolve, reject);
    };
    w.postMessage({ derive: { secret, params, salt } });
  });
}

/** The worker's side of deriveOffThread (index.js starts it when there is no document). */
export function workerMain(scope) {
  scope.onmessage = async (e) => {
    const d = e.data && e.data.derive;
    if (!d) return;
    try {
      let last = -1;
      const keys = await deriveKeys(d.secret, d.params, d.salt, (p) => {
        const r = Math.round(p * 100);
        if (r !== last) {
          last = r;
          scope.postMessage({ progress: p });
        }
      });
      d.secret.fill(0);
      scope.postMessage({ keys }, [keys.lookup.buffer, keys.seed.buffer]);
    } catch {
      scope.postMessage({ failed: true });
    }
  };
}

/** A voice recorder (MediaRecorder) in the voice fieldset; recordings are attached like files. */
function voiceRecorder(form, t, onChange) {
  const box = form.querySelector('fieldset.voice');
  const recorded = [];
  if (!box || !globalThis.MediaRecorder || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return recorded;
  }
  const button = el('button', 'secondary voice-record', t('js.voice.record'));
  button.type = 'button';
  button.setAttribute('aria-pressed', 'false');
  const state = el('p', 'small voice-state');
  state.setAttribute('aria-live', 'polite');
  const list = el('div', 'voice-list');
  box.append(button, state, list);
  let rec = null;
  let started = 0;
  let tick = null;
  const show = () => {
    list.replaceChildren(...recorded.map((f, i) => {
      const row = el('p', 'small', t('js.voice.recorded', f.seconds) + ' ');
      const del = el('button', 'secondary', t('js.voice.discard'));
      del.type = 'button';
      del.addEventListener('click', () => {
        recorded.splice(i, 1);
        show();
        onChange();
      });
      row.append(del);
      return row;
    }));
  };
  button.addEventListener('click', async () => {
    if (rec) {
      rec.stop();
      return;
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      state.textContent = t('js.voice.unavailable');
      return;
    }
    const chunks = [];
    rec = new MediaRecorder(stream);
    rec.ondataavailable = (e) => {
      if (e.data && e.data.size > 0) chunks.push(e.data);
    };
    rec.onstop = () => {
      clearInterval(tick);
      for (const track of stream.getTracks()) track.stop();
      const type = (rec.mimeType || 'audio/webm').split(';')[0];
      const ext = type === 'audio/ogg' ? 'ogg' : type === 'audio/mp4' ? 'm4a' : 'webm';
      const file = new File(chunks, `voz-${recorded.length + 1}.${ext}`, { type });
      file.seconds = Math.max(1, Math.round((Date.now() - started) / 1000));
      recorded.push(file);
      rec = null;
      button.textContent = t('js.voice.record');
      button.setAttribute('aria-pressed', 'false');
      state.textContent = '';
      show();
      onChange();
    };
    started = Date.now();
    rec.start(1000);
    button.textContent = t('js.voice.stop');
    button.setAttribute('aria-pressed', 'true');
    state.textContent = t('js.voice.recording', 0);
    tick = setInterval(() => {
      state.textContent = t('js.voice.recording', Math.round((Date.now() - started) / 1000));
    }, 5000);
  });
  return recorded;
}

export function enhance(form) {
  const t = messages();
  const ds = form.dataset;
  const pinned = fromHex(ds.rootFingerprint);
  const params = { memoryKiB: +ds.argon2Memory, iterations: +ds.argon2Iterations, parallelism: +ds.argon2Parallelism };
  const maxBytes = +ds.maxBytes;
  const maxFiles = +ds.maxFiles;
  const lang = ds.lang;

  const panel = el('section', 'js-panel');
  panel.setAttribute('aria-live', 'polite');
  const keyLine = el('p', 'small', t('js.verifying'));
  const fileInfo = el('div', 'js-files');
  const status = el('p', 'js-status');
  const bar = el('progress');
  bar.max = 1000;
  bar.value = 0;
  bar.hidden = true;
  panel.append(el('p', 'small', t('js.encrypted_here')), keyLine, fileInfo, bar, status);
  const button = form.querySelector('button[type=submit]');
  button.before(panel);
  button.disabled = true;

  // Receipt first: the server's receipt (for the no-JS path) is replaced at once by one made
  // here, which never leaves the browser; the report is sealed only after two of its words
  // (or digit groups) are typed back.
  const shown = document.getElementById('testigo-receipt-words');
  const section = document.getElementById('testigo-receipt');
  const digits = section && section.dataset.digits === 'true';
  if (shown) shown.textContent = '…';
  for (const hidden of form.querySelectorAll('input[type=hidden][name=receipt]')) hidden.value = '';
  const receiptReady = (async () => {
    const secret = await generate(receiptLanguage(lang));
    const words = digits ? await renderDigits(secret) : await render(secret, receiptLanguage(lang));
    // one element per word, numbered by the style sheet, as the server draws its own
    if (shown) shown.replaceChildren(...words.split(' ').flatMap((w, i) => (i ? [' ', el('span', null, w)] : [el('span', null, w)])));
    if (section) section.dataset.origin = 'browser';
    return { secret, words };
  })();

  // The report is sealed to the manifest's entries valid at the server's time (its Date
  // header; this phone's clock only if there is none): the server accepts exactly the set
  // valid when the report arrives, and a phone's clock may be wrong by hours. Never a time
  // before the latest manifest was issued (a server's Date cannot bring back an entry that
  // manifest ended, e.g. a revoked key), and never an older chain than one already verified
  // on this page (manifest-and-custody.md §2: keep the highest sequence seen).
  let highest = -1n;
  const fetchKeys = async () => {
    const r = await fetch('/api/v1/manifest', { cache: 'no-store' });
    const latest = await verifyChain(parseArmored(await r.text()), pinned);
    if (latest.sequence < highest) throw new Error('older manifest');
    highest = latest.sequence;
    const date = Date.parse(r.headers.get('Date') || '');
    let now = BigInt(Math.floor((Number.isFinite(date) ? date : Date.now()) / 1000));
    if (now < latest.issuedAt) now = latest.issuedAt;
    const rs = recipients(latest, now);
    if (rs.length === 0) throw new Error('no recipients');
    return rs;
  };
  let keys = null;
  const ready = (async () => {
    try {
      keys = await fetchKeys();
      keyLine.textContent = t('js.verified', shortForm(pinned));
      keyLine.className = 'small verified';
      const stated = document.getElementById('stated-fingerprint');
      if (stated) stated.remove(); // the verified line says the same digits

      button.disabled = false;
      form.dataset.testigoReady = 'true';
    } catch {
      keyLine.textContent = t('js.verify_failed');
      keyLine.className = 'warning';
      form.dataset.testigoReady = 'failed';
    }
  })();

  const fileInputs = Array.from(form.querySelectorAll('input[type=file]'));
  let recorded = [];
  const chosenFiles = () => fileInputs.flatMap((i) => Array.from(i.files)).filter((f) => f.name !== '').concat(recorded);
  let scans = Promise.resolve([]);
  const rescan = () => {
    fileInfo.replaceChildren();
    scans = Promise.all(chosenFiles().map(async (f) => {
        const s = await scanFile(f);
        const line = el('p', 'small');
        if (s.malformed) line.textContent = t('js.malformed', cleanFileName(f.name));
        else if (!s.kind) line.textContent = t('js.not_checked', cleanFileName(f.name));
        else if (s.removed.length === 0) line.textContent = t('js.nothing_found', cleanFileName(f.name));
        else line.textContent = t('js.removed', cleanFileName(f.name), s.removed.map((k) => t('js.meta.' + k)).join(', '));
        fileInfo.append(line);
        return s;
      }));
  };
  for (const i of fileInputs) i.addEventListener('change', rescan);
  recorded = voiceRecorder(form, t, rescan);

  // One send at a time: a second tap on "send" while the first is still checking, sealing or
  // uploading is ignored (user pass: a double tap filed two identical cases). The form is
  // disabled once sealing starts; this covers the moments before.
  let sending = false;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (sending) return;
    sending = true;
    try {
      await send();
    } finally {
      sending = false;
    }
  });

  const send = async () => {
    await ready;
    if (!keys) return;
    const fd = new FormData(form);
    const built = buildQuestionnaire((n) => (fd.has(n) ? String(fd.get(n)) : ''), (n) => fd.getAll(n).map(String), lang);
    if (built.errors) {
      status.className = 'warning';
      status.textContent = built.errors.map((f) => {
        if (f === 'empty') return t('js.empty');
        const label = form.querySelector(`label[for="${f}"]`);
        return t('js.check', label ? label.textContent : f);
      }).join(' ');
      return;
    }
    const { secret, words } = await receiptReady;
    const confirms = Array.from(form.querySelectorAll('input[data-position]'));
    const shownWords = words.split(' ');
    // The message goes beside the boxes too (the focus scrolls there, and the status line is
    // screens below on a phone), and the boxes are marked invalid, as the page without
    // JavaScript does.
    const note = form.querySelector('[data-testigo-confirm-error]');
    const wrong = confirms.filter((c) => !sameWord(c.value, shownWords[Number(c.dataset.position) - 1] || ''));
    if (wrong.length) {
      status.className = 'warning';
      status.textContent = note ? note.textContent : '';
      if (note) {
        note.className = 'warning';
        note.setAttribute('role', 'alert');
        note.hidden = false;
      }
      // Only the wrong boxes are marked and the focus goes to the first of them; a right word
      // stays as typed and unmarked (user pass: both were marked, the focus on a right one).
      for (const c of confirms) {
        if (wrong.includes(c)) c.setAttribute('aria-invalid', 'true');
        else c.removeAttribute('aria-invalid');
      }
      wrong[0].focus();
      return;
    }
    if (note) note.hidden = true;
    for (const c of confirms) c.removeAttribute('aria-invalid');
    const files = chosenFiles();
    const scanned = await scans;
    if (files.length > maxFiles) return void (status.textContent = t('js.too_many'));
    if (scanned.some((s) => s.malformed)) return void (status.textContent = t('js.malformed_block'));
    const estimate = files.reduce((a, f) => a + f.size + 64, built.json.length + 4096);
    if (estimate * 1.13 + 8192 > maxBytes) return void (status.textContent = t('js.too_large'));

    for (const c of form.elements) c.disabled = true;
    // The form may have been open for hours: an entry may have ended or begun, or a new
    // manifest come, since the page loaded. Fetch the keys again (verified from the same
    // pinned root); if that fails, the keys verified at load are used.
    try {
      keys = await fetchKeys();
    } catch {
      // offline for a moment: the upload retries by itself; the keys from load stay
    }
    status.className = 'js-status';
    bar.hidden = false;
    let derived = 0;
    let deriving = false;
    let sent = 0;
    const progress = () => {
      bar.value = Math.min(990, Math.round(200 * derived + 790 * Math.min(1, sent / (estimate * 1.13 + 4096))));
    };
    // While the uploader waits before a retry, say how long: refreshed every 5 s, not every
    // second (the panel is an aria-live region; a screen reader would read each change).
    let tick = null;
    let end = null;
    const quiet = () => {
      clearInterval(tick);
      clearTimeout(end);
      tick = end = null;
    };
    const say = (text) => {
      quiet();
      status.textContent = text;
    };
    const onRetry = ({ delayMs }) => {
      const until = Date.now() + delayMs;
      say(t('js.retry_in', Math.max(1, Math.ceil(delayMs / 1000))));
      tick = setInterval(() => {
        const left = Math.ceil((until - Date.now()) / 1000);
        if (left > 0) status.textContent = t('js.retry_in', left);
      }, 5000);
      end = setTimeout(() => say(t('js.trying_again')), delayMs);
    };
    const uploader = createUploader({ onRetry });
    try {
      say(t('js.sealing'));
      const keysPromise = deriveOffThread(secret, params, pinned, (p) => {
        const step = Math.floor(p * 10);
        if (deriving && step !== Math.floor(derived * 10)) say(t('js.working', step * 10));
        derived = p;
        progress();
      });
      keysPromise.catch(() => {});
      await uploader.start();
      const sealer = await createSealer(keys, 'report');
      let pending = [sealer.header];
      let pendingLen = sealer.header.length;
      const flush = async (force) => {
        if (pendingLen >= PIECE || (force && pendingLen > 0)) {
          const piece = concat(...pending);
          pending = [];
          pendingLen = 0;
          say(t('js.uploading'));
          await uploader.put(piece);
          sent = uploader.offset;
          progress();
        }
      };
      const take = async (cts) => {
        for (const c of cts) {
          pending.push(c);
          pendingLen += c.length;
        }
        await flush(false);
      };
      const payload = createPayloadWriter(async (bytes) => take(await sealer.write(bytes)));
      await payload.start();
      await payload.beginPart(partHeader('questionnaire', null, 'application/json'));
      await payload.write(built.json);
      await payload.endPart();
      for (const f of files) {
        const kind = sniff(new Uint8Array(await f.slice(0, 8).arrayBuffer()));
        await payload.beginPart(partHeader('file', cleanFileName(f.name), cleanType(f.type)));
        for await (const bytes of fileBytes(f, createStripper(kind))) await payload.write(bytes);
        await payload.endPart();
      }
      await payload.finish();
      await take(await sealer.finish());
      await flush(true);
      say(t('js.deriving'));
      deriving = true;
      const k = await keysPromise;
      const reg = await fetch('/api/v1/mailboxes', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ lookupKey: toBase64Url(k.lookup), replyPublicKey: toBase64Url(k.replyPublicKey) }),
      });
      if (reg.status !== 201 && reg.status !== 200) throw new Error('mailbox');
      await uploader.commit({ 'Testigo-Mailbox-Lookup-Key': toBase64Url(k.lookup) });
      quiet();
      k.lookup.fill(0);
      k.seed.fill(0);
      bar.value = 1000;
      showReceipt(t, words, lang, scanned.some((s) => s.removed.length > 0));
      secret.fill(0);
    } catch (e) {
      quiet();
      await uploader.abort();
      status.className = 'warning';
      if (e instanceof UploadExpiredError) status.textContent = t('js.expired');
      else if (e instanceof UploadGaveUpError) status.textContent = t('js.gave_up');
      else status.textContent = t('js.failed');
      for (const c of form.elements) c.disabled = false;
      bar.hidden = true;
    }
  };
}

function showReceipt(t, words, lang, metadataRemoved) {
  const main = document.querySelector('main');
  const h1 = el('h1', null, t('receipt.title'));
  const link = el('a', null, t('status.title'));
  link.href = '/status?lang=' + encodeURIComponent(lang);
  const p = el('p', null, t('receipt.status') + ' ');
  p.append(link);
  // as the server's page draws it: a column, one word per line, numbered by the style sheet
  // (user pass: at 360 px the code fell into two columns, and could be copied column by column)
  const code = el('div', /^[0-9 ]+$/.test(words) ? 'code digits' : 'code words');
  code.append(el('p', 'receipt', words));
  main.replaceChildren(h1, el('p', null, t('receipt.intro')), code, el('p', 'warning', t('receipt.advice')), p);
  if (metadataRemoved) main.querySelector('p.receipt').after(el('p', 'small', t('receipt.metadata_removed')));
  document.title = t('receipt.title');
  h1.tabIndex = -1;
  h1.focus();
}
